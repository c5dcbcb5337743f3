#if canImport(Glibc)
import Glibc
#endif

/// Splitting buffers into lines, shared by every line-oriented reader.
enum Lines {
    /// Calls `body` with each line of `data` (without its `\n` or `\r\n`) and its 1-based number, starting at
    /// `firstLineNumber`; stop early by returning false. A final line without a newline is included.
    @inline(__always)
    static func forEach(_ data: UnsafeRawBufferPointer, firstLineNumber: Int = 1,
                        _ body: (_ line: UnsafeRawBufferPointer, _ number: Int) -> Bool) {
        guard let base = data.baseAddress else { return }
        let count = data.count
        var start = 0
        var number = firstLineNumber
        while start < count {
            // memchr is vectorised: lines are found at memory speed.
            let end = memchr(base + start, 0x0A, count - start).map { UnsafeRawPointer($0) - base } ?? count
            var contentEnd = end
            if contentEnd > start, data[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if !body(UnsafeRawBufferPointer(rebasing: data[start..<contentEnd]), number) { return }
            number += 1
            start = end + 1
        }
    }
}
