import VigilCore

/// Comparing member names with the names a reader looks for: a record has some thirty, each compared with
/// several, so the bytes are compared eight at a time.
extension CloudTrailRecord {
    /// Whether an unescaped member name is exactly `name`.
    @inline(__always)
    static func `is`(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ name: StaticString) -> Bool {
        let len = key.count - 2
        guard len == name.utf8CodeUnitCount, !key.hasEscapes, let base = b.baseAddress else { return false }
        return NameBytes.equal(base + key.start + 1, UnsafeRawPointer(name.utf8Start), len, folding: false)
    }

    /// Whether a member name equals `lowered` when ASCII letters are compared without case (escapes are not
    /// resolved: the bytes as written).
    @inline(__always)
    static func foldedEquals(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ lowered: StaticString) -> Bool {
        let len = key.count - 2
        guard len == lowered.utf8CodeUnitCount, let base = b.baseAddress else { return false }
        return NameBytes.equal(base + key.start + 1, UnsafeRawPointer(lowered.utf8Start), len, folding: true)
    }
}

/// Word-at-a-time equality of short byte strings.
enum NameBytes {
    /// Whether the `n` bytes at `a` equal those at `b`; with `folding`, ASCII capitals of `a` count as their
    /// lower-case letters (`b` must be lower case). Reads only inside both ranges.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int, folding: Bool) -> Bool {
        @inline(__always) func word(_ p: UnsafeRawPointer, _ at: Int, _ fold: Bool) -> UInt64 {
            let w = p.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            return fold ? lowered(w) : w
        }
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if word(a, i, folding) != word(b, i, false) { return false }
                i += 8
            }
            // The last eight bytes, overlapping the previous word when `n` is not a multiple of eight.
            return word(a, n - 8, folding) == word(b, n - 8, false)
        }
        var i = 0
        while i < n {
            var c = a.load(fromByteOffset: i, as: UInt8.self)
            if folding, c &- 65 < 26 { c |= 0x20 }
            if c != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// `w` with each ASCII capital letter byte made lower case, other bytes (non-ASCII ones included) unchanged.
    @inline(__always)
    static func lowered(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let seven = w & ~high
        // Per byte, without carries between bytes: the high bit says `seven >= 'A'`, then `seven > 'Z'`.
        let atLeastA = seven &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = seven &+ 0x2525_2525_2525_2525
        let capital = atLeastA & ~pastZ & ~w & high
        return w | (capital >> 2)
    }
}
