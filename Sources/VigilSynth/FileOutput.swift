#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An error writing generated data.
public struct SynthError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Minimal file-system writes (no Foundation): `mkdir -p`, whole-file writes, and an appending writer.
enum FileOutput {
    static func makeDirectories(_ path: String) throws {
        guard !path.isEmpty else { return }
        var current = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw SynthError("cannot create directory \(current): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func join(_ a: String, _ b: String) -> String {
        if a.isEmpty { return b }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Writes `bytes` to `path`, creating parent directories.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try makeDirectories(parent(of: path))
        let writer = try FileSink(path: path)
        try writer.write(bytes)
        try writer.finish()
    }
}

/// An open file written with `fwrite`.
final class FileSink {
    private var handle: UnsafeMutablePointer<FILE>?
    let path: String

    init(path: String) throws {
        self.path = path
        guard let h = fopen(path, "wb") else {
            throw SynthError("cannot open \(path) for writing: \(String(cString: strerror(errno)))")
        }
        handle = h
    }

    func write(_ bytes: [UInt8]) throws {
        guard let handle, !bytes.isEmpty else { return }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        if written != bytes.count {
            throw SynthError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Closes the file, reporting a failed flush.
    func finish() throws {
        guard let h = handle else { return }
        handle = nil
        if fclose(h) != 0 {
            throw SynthError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { if let handle { fclose(handle) } }
}

extension FileOutput {
    /// Regular files under `root`, as paths relative to it, sorted bytewise.
    static func listFiles(_ root: String) -> [String] {
        var out: [String] = []
        func walk(_ relative: String) {
            let path = relative.isEmpty ? root : join(root, relative)
            guard let dir = opendir(path) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard stat(join(root, child), &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    walk(child)
                } else if (info.st_mode & S_IFMT) == S_IFREG {
                    out.append(child)
                }
            }
        }
        walk("")
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Deletes `path` and everything under it (used only on a generator's own output folder).
    static func removeTree(_ path: String) throws {
        guard isDirectory(path) else { return }
        let files = listFiles(path)
        for file in files where unlink(join(path, file)) != 0 {
            throw SynthError("cannot remove \(join(path, file)): \(String(cString: strerror(errno)))")
        }
        // Directories deepest first.
        var dirs: [String] = []
        func collect(_ relative: String) {
            let full = relative.isEmpty ? path : join(path, relative)
            guard let dir = opendir(full) else { return }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                if isDirectory(join(path, child)) {
                    collect(child)
                    dirs.append(child)
                }
            }
        }
        collect("")
        for dir in dirs where rmdir(join(path, dir)) != 0 {
            throw SynthError("cannot remove \(join(path, dir)): \(String(cString: strerror(errno)))")
        }
        if rmdir(path) != 0 {
            throw SynthError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }
}
