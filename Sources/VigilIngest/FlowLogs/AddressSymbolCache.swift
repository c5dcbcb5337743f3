import VigilStore

/// The interned symbols of IPv4 addresses a flow-log reader met recently, found by the address itself.
///
/// Each flow line names two addresses, and a busy VPC repeats a few thousand of them. Interning an address's
/// text hashes it, probes the interner's table, then compares the stored bytes: three dependent loads. Here the
/// parsed address picks one slot of a small direct-mapped table. Only IPv4 addresses in their one canonical
/// form come here (the parser rejects any other spelling), so equal addresses always have equal text.
final class AddressSymbolCache: @unchecked Sendable {  // one reader's, on one thread at a time
    /// Slots: the address in the high half, its symbol in the low half (symbol 0: an empty slot).
    private var slots: [UInt64]
    private let shift: UInt32
    /// The interner the symbols belong to; another one empties the cache. Held, not identified by address: a
    /// freed interner's address can come back as a new one's, whose symbols differ.
    private var interner: ByteInterner?

    /// A cache of `1 << bits` slots.
    init(bits: Int = 12) {
        slots = [UInt64](repeating: 0, count: 1 << bits)
        shift = UInt32(32 - bits)
    }

    /// Makes the cache serve `symbols`, emptying it when it served another interner.
    func use(_ symbols: ByteInterner) {
        guard interner !== symbols else { return }
        interner = symbols
        for k in slots.indices { slots[k] = 0 }
    }

    /// The symbol of `address` in the interner in use: from the table, or interned from `text` (the address's
    /// text as the line has it) and remembered.
    @inline(__always)
    func symbol(of address: UInt32, text: UnsafeRawBufferPointer, in symbols: ByteInterner) -> UInt32 {
        let slot = Int((address &* 0x9E37_79B1) >> shift)
        let entry = slots[slot]
        if entry >> 32 == UInt64(address), entry & 0xFFFF_FFFF != 0 { return UInt32(truncatingIfNeeded: entry) }
        let symbol = symbols.intern(text)
        slots[slot] = UInt64(address) << 32 | UInt64(symbol)
        return symbol
    }
}
