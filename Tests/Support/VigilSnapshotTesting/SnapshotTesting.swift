import Foundation
import Testing
import VigilTerminal

// Text snapshots of screen buffers, kept in `__Snapshots__/<name>.txt` beside the test file that asks.
//
// Re-record with `VIGIL_RECORD_SNAPSHOTS=1 swift test …`: a recording run writes the files and FAILS, so a
// snapshot is never recorded by accident; run again without the variable to see it pass. Shared by the
// terminal and console test targets.

/// Compares a buffer's text (`renderText()`, or `renderStyled()` with `styled`) to a stored snapshot in the
/// `__Snapshots__` folder next to the calling test file.
public func assertSnapshot(
    _ buffer: ScreenBuffer, named name: String, styled: Bool = false,
    filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let snapshotDirectory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let actual = (styled ? buffer.renderStyled() : buffer.renderText()) + "\n"
    let file = snapshotDirectory.appendingPathComponent(name + ".txt")
    let recording = ProcessInfo.processInfo.environment["VIGIL_RECORD_SNAPSHOTS"] == "1"

    if recording {
        do {
            try FileManager.default.createDirectory(at: snapshotDirectory, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("Recorded snapshot \(file.path). Run again without VIGIL_RECORD_SNAPSHOTS to check it.",
                         sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not record snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("""
            No snapshot at \(file.path). Record it with:
              VIGIL_RECORD_SNAPSHOTS=1 swift test --filter \(name)
            then review the file and run again without the variable.
            Actual:
            \(actual)
            """, sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record("Snapshot \(name) differs:\n\(snapshotDiff(expected: expected, actual: actual))",
                     sourceLocation: sourceLocation)
    }
}

/// Line-by-line differences, `-` expected and `+` actual, with line numbers.
public func snapshotDiff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for index in 0..<max(old.count, new.count) {
        let a = index < old.count ? String(old[index]) : nil
        let b = index < new.count ? String(new[index]) : nil
        if a != b {
            if let a { out.append("\(index + 1) - |\(a)|") }
            if let b { out.append("\(index + 1) + |\(b)|") }
        }
    }
    return out.joined(separator: "\n")
}
