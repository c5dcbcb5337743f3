/// Substring search over raw bytes, fast enough to pre-filter millions of records before parsing any of them.
public enum ByteSearch {
    /// Whether `bytes` are exactly `literal`'s bytes.
    @inline(__always)
    public static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<bytes.count where bytes[k] != p[k] { return false }
        return true
    }

    /// Exact (case-sensitive) search.
    public static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        search(haystack, needle, ignoringCase: false)
    }

    /// ASCII case-insensitive search; `needle` must already be lowercased. Non-ASCII bytes compare exactly.
    ///
    /// Sixteen bytes at a time are compared with the needle's first byte (folded to lower case), and only
    /// the positions that match are verified.
    public static func containsIgnoringCase(_ haystack: UnsafeRawBufferPointer, lowercased needle: [UInt8]) -> Bool {
        search(haystack, needle, ignoringCase: true)
    }

    /// Compares sixteen positions at a time against the needle's first and last bytes together (Wojciech Muła's
    /// SIMD substring method), so JSON's many quotes and common letters rarely reach the full comparison.
    private static func search(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8], ignoringCase: Bool) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        let h = haystack.count
        guard h >= n, let base = haystack.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        @inline(__always) func isLetter(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        let first = needle[0], last = needle[n - 1]
        let foldFirst: SIMD16<UInt8> = ignoringCase && isLetter(first) ? SIMD16(repeating: 0x20) : SIMD16(repeating: 0)
        let foldLast: SIMD16<UInt8> = ignoringCase && isLetter(last) ? SIMD16(repeating: 0x20) : SIMD16(repeating: 0)
        let firstVector = SIMD16<UInt8>(repeating: first), lastVector = SIMD16<UInt8>(repeating: last)
        return needle.withUnsafeBufferPointer { np -> Bool in
            let needleBase = np.baseAddress!
            @inline(__always) func verify(_ at: Int) -> Bool {
                var k = 0
                while k < n {
                    var c = base[at + k]
                    if ignoringCase && c >= 65 && c <= 90 { c |= 0x20 }
                    if c != needleBase[k] { return false }
                    k += 1
                }
                return true
            }
            let lastStart = h - n  // the last position a match can start at
            var i = 0
            while i + 15 <= lastStart {
                let a = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let b = UnsafeRawPointer(base + i + n - 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let hits = ((a | foldFirst) .== firstVector) .& ((b | foldLast) .== lastVector)
                if hits != SIMDMask(repeating: false) {
                    for k in 0..<16 where hits[k] && verify(i + k) { return true }
                }
                i += 16
            }
            while i <= lastStart {
                if verify(i) { return true }
                i += 1
            }
            return false
        }
    }
}
