import VigilCore

/// The start and end offsets of a line's space- or tab-separated tokens, in a buffer reused line after line.
final class FlowLineTokens {
    /// Tokens recorded per line; a line may have more (they are counted, not recorded). Headers name at most 64.
    static let capacity = 64
    private let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * FlowLineTokens.capacity)
    /// How many tokens the last line split had.
    private(set) var count = 0

    deinit { offsets.deallocate() }

    @inline(__always) func start(_ k: Int) -> Int { Int(offsets[2 * k]) }
    @inline(__always) func end(_ k: Int) -> Int { Int(offsets[2 * k + 1]) }

    /// How many tokens of the last line were recorded (all of them when `stored == count`).
    var stored: Int { min(count, Self.capacity) }

    /// Token `k` of `line` (one of the recorded ones).
    @inline(__always)
    func token(_ k: Int, in line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: line[start(k)..<end(k)])
    }

    /// Splits `line`; a line too long for 32-bit offsets counts as having more tokens than are recorded.
    func split(_ line: UnsafeRawBufferPointer) {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count <= Int(Int32.max) else {
            count = line.isEmpty ? 0 : Self.capacity + 1
            return
        }
        split(base, line.count)
    }

    /// Splits a line of `n` bytes at runs of spaces and tabs.
    @inline(__always)
    func split(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0, k = 0
        while true {
            while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            if i == n { break }
            let s = i
            i = Self.separator(p, from: s + 1, n)
            if k < Self.capacity {
                offsets[2 * k] = Int32(truncatingIfNeeded: s)
                offsets[2 * k + 1] = Int32(truncatingIfNeeded: i)
            }
            k += 1
        }
        count = k
    }

    /// The offset of the first space or tab at or after `i`, or `n`: eight bytes at a time while eight remain
    /// in the line (tokens average about eight bytes, so this is one or two steps instead of a step a byte).
    @inline(__always)
    static func separator(_ p: UnsafePointer<UInt8>, from start: Int, _ n: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let bits = separatorBits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if bits != 0 { return i + bits.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n, p[i] != 0x20, p[i] != 0x09 { i += 1 }
        return i
    }

    /// The high bit of each byte of `w` (little-endian) that is a space or a tab; bytes above the first such
    /// byte may be marked wrongly (a borrow runs upwards), so only the lowest mark is to be trusted.
    @inline(__always)
    static func separatorBits(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let space = w ^ (ones &* 0x20), tab = w ^ (ones &* 0x09)
        return ((space &- ones) & ~space | (tab &- ones) & ~tab) & (ones &* 0x80)
    }
}
