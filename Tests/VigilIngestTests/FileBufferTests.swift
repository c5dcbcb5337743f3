import Foundation
import Testing
@testable import VigilIngest

/// Loads read every file of a worker into one reused buffer; what each read sees must be that file alone.
@Suite("File buffer")
struct FileBufferTests {
    @Test("files of growing and shrinking sizes read through one buffer give their own bytes, and the same errors")
    func reuse() throws {
        let folder = NSTemporaryDirectory() + "vigil-buffer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let buffer = FileBuffer()
        for (n, size) in [10, 5_000, 3, 70_000, 69_999, 1, 200_000, 17].enumerated() {
            let path = folder + "/f\(n)"
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let seen = try InputFile.withContents(of: path, in: buffer) { Array($0) }
            #expect(seen == bytes, "file \(n) of \(size) bytes")
            #expect(try InputFile.read(path) == bytes)
        }
        // An empty file, a folder and a missing file behave as a read without the buffer does.
        let empty = folder + "/empty"
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(try InputFile.withContents(of: empty, in: buffer) { $0.count } == 0)
        for path in [folder, folder + "/missing"] {
            var messages: [String] = []
            for reading in [true, false] {
                do throws(InputError) {
                    if reading { _ = try InputFile.read(path) } else { _ = try InputFile.withContents(of: path, in: buffer) { $0.count } }
                } catch {
                    messages.append(error.message)
                }
            }
            #expect(messages.count == 2 && messages[0] == messages[1], "\(path): \(messages)")
        }
    }
}
