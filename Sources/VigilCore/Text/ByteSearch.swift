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

    /// Compares sixteen positions at a time against two of the needle's bytes together (Wojciech Muła's SIMD
    /// substring method), and verifies only the positions where both agree (``anchors(_:)``): anchoring
    /// `"bucketName"` on its quotes, as its first and last bytes would, stopped at nearly every member of every
    /// JSON record.
    private static func search(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8], ignoringCase: Bool) -> Bool {
        let n = needle.count
        guard n > 0 else { return true }
        let h = haystack.count
        guard h >= n, let base = haystack.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        @inline(__always) func isLetter(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        let (p, q) = anchors(needle)
        let anchorP = needle[p], anchorQ = needle[q]
        let foldP: SIMD16<UInt8> = ignoringCase && isLetter(anchorP) ? SIMD16(repeating: 0x20) : SIMD16(repeating: 0)
        let foldQ: SIMD16<UInt8> = ignoringCase && isLetter(anchorQ) ? SIMD16(repeating: 0x20) : SIMD16(repeating: 0)
        let vectorP = SIMD16<UInt8>(repeating: anchorP), vectorQ = SIMD16<UInt8>(repeating: anchorQ)
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
                let a = UnsafeRawPointer(base + i + p).loadUnaligned(as: SIMD16<UInt8>.self)
                let b = UnsafeRawPointer(base + i + q).loadUnaligned(as: SIMD16<UInt8>.self)
                let hits = ((a | foldP) .== vectorP) .& ((b | foldQ) .== vectorQ)
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

    /// The two positions compared first: as far apart as possible (a pair of bytes far apart is rarer than any
    /// bigram), but moved inwards past the needle's structural bytes (quotes, colons, commas, spaces), which
    /// pair up at every member of a JSON record.
    static func anchors(_ needle: [UInt8]) -> (Int, Int) {
        var p = 0, q = needle.count - 1
        while p < q, isStructural(needle[p]) { p += 1 }
        while q > p, isStructural(needle[q]) { q -= 1 }
        return (p, q)
    }

    /// Whether a byte is one of the structural bytes every JSON record and log line is full of.
    @inline(__always)
    static func isStructural(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: " ")
    }
}
