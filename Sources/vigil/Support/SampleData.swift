#if canImport(Glibc)
import Glibc
#endif

/// Finds the bundled sample data, so `swift run vigil` works from the package root and elsewhere.
enum SampleData {
    static func location() -> String? {
        var candidates: [String] = []
        if let env = getenv("VIGIL_SAMPLE_DATA") { candidates.append(String(cString: env)) }
        candidates.append("sample-data")
        // The source tree this binary was built from: …/Sources/vigil/Support/SampleData.swift → …/sample-data.
        let file = #filePath
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 4 {
            parts.removeLast(4)
            candidates.append(parts.joined(separator: "/") + "/sample-data")
        }
        for path in candidates {
            var info = stat()
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return path }
        }
        return nil
    }
}
