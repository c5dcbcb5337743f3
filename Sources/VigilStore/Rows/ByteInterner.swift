import VigilCore

/// Interns byte strings without making a `String` of each: the values live once in one byte buffer, and an
/// open-addressing table keyed by a hash of the bytes finds them.
///
/// Readers intern into one while they build rows, so the hot path of ingestion never allocates per value; the
/// store turns each distinct value into a `String` once, when rows are merged. A class, so that the batches of
/// rows one worker builds from many files share one: their values are then converted once, not once per file.
/// Not synchronised: one writer at a time, and reads only once writing is over. Symbol 0 means "no value".
public final class ByteInterner: @unchecked Sendable {
    /// Every value's bytes, back to back.
    private var storage: [UInt8] = []
    /// Per symbol: where its bytes start in `storage` (entry 0 unused), with one extra entry for the end.
    private var starts: [Int] = [0, 0]
    /// Open-addressing table; its size is a power of two. A slot holds a symbol in its low 32 bits (0: empty)
    /// and the symbol's hash in its high 32, so that a probe passes over other values without reading them
    /// (each such read was a cache miss in a table of a few hundred thousand values).
    private var slots: [UInt64] = Array(repeating: 0, count: 64)

    /// ``System/hashSeed``, read once rather than on every value.
    private let seed = System.hashSeed

    public init() {}

    /// The number of symbols, including the reserved 0.
    public var count: Int { starts.count - 1 }

    /// The symbol of `bytes`, adding it if new; 0 for no bytes.
    @inline(__always)
    public func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard !bytes.isEmpty else { return 0 }
        let hash = Self.hash(bytes, seed: seed)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        let tag = UInt64(hash) << 32
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & 0xFFFF_FFFF_0000_0000 == tag, equals(UInt32(truncatingIfNeeded: entry), bytes) {
                return UInt32(truncatingIfNeeded: entry)
            }
            slot = (slot + 1) & mask
        }
        let symbol = UInt32(count)
        storage.append(contentsOf: bytes)
        starts.append(storage.count)
        slots[slot] = tag | UInt64(symbol)
        if count * 2 > slots.count { grow() }
        return symbol
    }

    /// Whether `symbol` (0 holds nothing) is the symbol of `bytes`: one comparison, for a caller that expects a
    /// value it has seen.
    @inline(__always)
    public func holds(_ symbol: UInt32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        symbol != 0 && equals(symbol, bytes)
    }

    /// Calls `body` with the bytes of `symbol` (empty for 0).
    @inline(__always)
    public func withBytes<R>(_ symbol: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let s = starts[Int(symbol)], e = starts[Int(symbol) + 1]
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[s..<e])) }
    }

    /// The value of `symbol` as text.
    public func string(_ symbol: UInt32) -> String {
        withBytes(symbol) { String(decoding: $0, as: UTF8.self) }
    }

    @inline(__always)
    private func equals(_ symbol: UInt32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let s = starts[Int(symbol)], e = starts[Int(symbol) + 1]
        guard e - s == bytes.count else { return false }
        return storage.withUnsafeBytes { mine in
            memoryEqual(mine.baseAddress! + s, bytes.baseAddress!, bytes.count)
        }
    }

    private func grow() {
        var table = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = table.count - 1
        for entry in slots where entry != 0 {
            var slot = Int(entry >> 32) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = entry
        }
        slots = table
    }

    /// A fast 32-bit hash of short byte strings: eight bytes at a time, then a final mix. Seeded per process
    /// (``System/hashSeed``): the bytes are attacker-written log text.
    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer, seed: UInt64 = System.hashSeed) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ seed ^ UInt64(b.count)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n { h = (h ^ tailWord(b, from: i)) &* 0x94D0_49BB_1331_11EB }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return UInt32(truncatingIfNeeded: h)
    }
}

/// The bytes of `b` from `i` on (fewer than eight) as one little-endian word: from one load that overlaps the
/// bytes before `i` when `b` has eight bytes or more.
@inline(__always)
func tailWord(_ b: UnsafeRawBufferPointer, from i: Int) -> UInt64 {
    let n = b.count
    if n >= 8 { return b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64((8 - (n - i)) * 8) }
    var word: UInt64 = 0
    var shift: UInt64 = 0
    for k in i..<n {
        word |= UInt64(b[k]) << shift
        shift += 8
    }
    return word
}

/// Byte equality of two regions, eight bytes at a time.
@inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    if n >= 8 {
        while i + 8 < n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        // The last eight bytes, overlapping the previous word when `n` is not a multiple of eight.
        return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
