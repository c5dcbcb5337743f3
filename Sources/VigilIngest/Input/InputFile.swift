import VigilCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input error that concerns a whole file (missing, unreadable, a directory loop…).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(TextSanitizer.sanitize(path)): \(message)" }
}

/// Reading evidence files: always read-only, whole file at once, with the modification time for year inference.
public enum InputFile {
    /// Opens `path` with O_RDONLY (evidence is never opened for writing) and reads all of it; `-` reads standard input.
    public static func read(_ path: String) throws(InputError) -> [UInt8] {
        if path == "-" { return readAll(fd: 0) }
        let (fd, size) = try openForReading(path)
        defer { close(fd) }
        guard let size else { return readAll(fd: fd) }
        // Read straight into uninitialised storage: zero-filling first would touch every page once more.
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
            let (filled, error) = fill(fd, buf.baseAddress!, size)
            failure = error
            count = error != 0 ? 0 : filled
        }
        if failure != 0 { throw InputError(path: path, message: String(cString: strerror(failure))) }
        return bytes
    }

    /// Reads all of `path` into `buffer` (which grows as needed and is reused from file to file), calling `body`
    /// with the bytes; they are valid only during the call. Otherwise as ``read(_:)``.
    static func withContents<R>(of path: String, in buffer: FileBuffer, _ body: (UnsafeRawBufferPointer) -> R) throws(InputError) -> R {
        if path == "-" { return readAll(fd: 0).withUnsafeBytes(body) }
        let (fd, size) = try openForReading(path)
        defer { close(fd) }
        guard let size else { return readAll(fd: fd).withUnsafeBytes(body) }
        let start = buffer.reserve(size)
        let (filled, failure) = fill(fd, start, size)
        if failure != 0 { throw InputError(path: path, message: String(cString: strerror(failure))) }
        return body(UnsafeRawBufferPointer(start: start, count: filled))
    }

    /// Opens `path` read-only; the size is nil unless it is a non-empty regular file (read those to their end).
    private static func openForReading(_ path: String) throws(InputError) -> (fd: Int32, size: Int?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, message: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = errno
            close(fd)
            throw InputError(path: path, message: String(cString: strerror(error)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError(path: path, message: "is a directory")
        }
        let size = Int(info.st_size)
        return (fd, size > 0 && (info.st_mode & S_IFMT) == S_IFREG ? size : nil)
    }

    /// Reads up to `size` bytes into `start`; the count read, and the error that stopped it (0: none).
    private static func fill(_ fd: Int32, _ start: UnsafeMutableRawPointer, _ size: Int) -> (Int, Int32) {
        var filled = 0
        while filled < size {
            let n = Glibc.read(fd, start + filled, size - filled)
            if n < 0 { if errno == EINTR { continue }; return (filled, errno) }
            if n == 0 { break }
            filled += n
        }
        return (filled, 0)
    }

    /// Reads `length` bytes (or up to the end) of a regular file starting at `offset`, read-only: what a live
    /// tail needs, without reading the part it has already seen.
    public static func read(_ path: String, from offset: Int, length: Int) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(0, length))
        var filled = 0
        let failed: Bool = bytes.withUnsafeMutableBytes { buf in
            while filled < buf.count {
                let n = pread(fd, buf.baseAddress! + filled, buf.count - filled, off_t(offset + filled))
                if n < 0 { if errno == EINTR { continue }; return true }
                if n == 0 { break }
                filled += n
            }
            return false
        }
        if failed { throw InputError(path: path, message: String(cString: strerror(errno))) }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    private static func readAll(fd: Int32) -> [UInt8] {
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// The file's modification time, or nil when it cannot be read.
    public static func modificationTime(_ path: String) -> Timestamp? {
        var info = stat()
        guard path != "-", stat(path, &info) == 0 else { return nil }
        return Timestamp(milliseconds: Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000)
    }

    /// Kind and size of a path without following it further.
    enum Kind { case file(size: Int, modified: Timestamp), directory, pipe, missing(String), other }

    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing(String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG:
            return .file(size: Int(info.st_size),
                         modified: Timestamp(milliseconds: Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000))
        case S_IFIFO: return .pipe
        default: return .other
        }
    }

    /// Expands the given paths into a sorted list of regular files: folders are walked recursively (following the
    /// `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` layout and organisation trails naturally), hidden
    /// files and folders are skipped, and so are documents that sit beside logs (`*.md`, `*.yaml`, `*.yml`,
    /// `README*`, `LICENSE*`: scenario descriptions, notes). `-` stays as standard input. Files named explicitly
    /// are always read. Paths that cannot be read become errors.
    public static func expand(_ paths: [String]) -> (files: [String], errors: [InputError]) {
        var files: [String] = []
        var errors: [InputError] = []
        var visited = Set<String>()
        for path in paths {
            if path == "-" { files.append(path); continue }
            switch kind(path) {
            case .file: files.append(path)
            case .directory: walk(path, &files, &errors, &visited, depth: 0)
            case .missing(let reason): errors.append(InputError(path: path, message: reason))
            // A pipe named on the command line (`vigil ingest <(zcat …)`) is read to its end; devices are refused.
            case .pipe: files.append(path)
            case .other: errors.append(InputError(path: path, message: "not a regular file, folder or pipe"))
            }
        }
        return (files, errors)
    }

    static func isDocument(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".md") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
            || lower.hasPrefix("readme") || lower.hasPrefix("license")
    }

    private static func walk(_ dir: String, _ files: inout [String], _ errors: inout [InputError],
                             _ visited: inout Set<String>, depth: Int) {
        guard depth < 32 else { errors.append(InputError(path: dir, message: "folders nested too deep")); return }
        guard let real = realpath(dir, nil) else { errors.append(InputError(path: dir, message: String(cString: strerror(errno)))); return }
        let canonical = String(cString: real)
        free(real)
        guard visited.insert(canonical).inserted else { return }  // a symlink loop
        guard let handle = opendir(dir) else { errors.append(InputError(path: dir, message: String(cString: strerror(errno)))); return }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") || isDocument(name) { continue }
            names.append(name)
        }
        for name in names.sorted() {
            let child = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            switch kind(child) {
            case .file: files.append(child)
            case .directory: walk(child, &files, &errors, &visited, depth: depth + 1)
            case .missing(let reason): errors.append(InputError(path: child, message: reason))
            case .pipe, .other: break
            }
        }
    }
}
