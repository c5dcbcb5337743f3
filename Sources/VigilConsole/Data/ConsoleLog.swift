import Foundation
import Synchronization
import VigilCore

/// The console's log: lines go to `--log FILE` (never to the screen, which curses owns), or nowhere.
final class ConsoleLog: Sendable {
    private let handle: Mutex<FileHandle?>

    /// A log appending to `path`, or a silent one; throws when the file cannot be opened.
    init(path: String?) throws {
        guard let path else {
            handle = Mutex(nil)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ConsoleError("cannot create the log file \(path)")
            }
        }
        guard let file = FileHandle(forWritingAtPath: path) else { throw ConsoleError("cannot open the log file \(path)") }
        file.seekToEndOfFile()
        handle = Mutex(file)
    }

    /// Appends a line, timestamped; text from logs is sanitised so the file is safe to `cat`.
    func write(_ message: String) {
        let stamp = Timestamp(milliseconds: Int64(System.now() * 1000)).iso8601(alwaysMilliseconds: true)
        let line = stamp + " " + TextSanitizer.sanitize(message) + "\n"
        handle.withLock { $0?.write(Data(line.utf8)) }
    }
}

/// An error the console reports to the user before or instead of opening the UI.
public struct ConsoleError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
