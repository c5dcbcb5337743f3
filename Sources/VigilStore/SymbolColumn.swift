/// A column of symbols that takes two bytes a row while every symbol fits in 16 bits, and widens itself to four
/// bytes the first time one does not. Most stores have far fewer than 65,536 distinct strings.
@usableFromInline
struct SymbolColumn: Sendable {
    private var narrow: [UInt16] = []
    private var wide: [UInt32]?

    init() {}

    /// A column of two-byte symbols.
    init(narrow: [UInt16]) { self.narrow = narrow }

    /// A column of four-byte symbols.
    init(wide: [UInt32]) { self.wide = wide }

    var count: Int { wide?.count ?? narrow.count }
    var isEmpty: Bool { count == 0 }

    @inline(__always)
    subscript(index: Int) -> UInt32 {
        if let wide { return wide[index] }
        return UInt32(narrow[index])
    }

    @inline(__always)
    mutating func append(_ symbol: UInt32) {
        if wide != nil {
            wide!.append(symbol)
        } else if symbol <= UInt32(UInt16.max) {
            narrow.append(UInt16(symbol))
        } else {
            var widened = narrow.map(UInt32.init)
            widened.reserveCapacity(max(narrow.capacity, narrow.count + 1))
            widened.append(symbol)
            wide = widened
            narrow = []
        }
    }

    mutating func reserveCapacity(_ n: Int) {
        if wide != nil { wide!.reserveCapacity(n) } else { narrow.reserveCapacity(n) }
    }

    /// Appends one cell of each row of a row-major table (`stride` cells a row, this column's at `offset`),
    /// mapped through `remap`; only the rows listed in `rows`, in that order.
    mutating func append(cells: [UInt32], stride: Int, offset: Int, rows: [Int], remap: [UInt32]) {
        // Mapped into a scratch column first, then appended in one go: appending cell by cell paid a capacity
        // and uniqueness check per row.
        var widest: UInt32 = 0
        let mapped = [UInt32](unsafeUninitializedCapacity: rows.count) { out, written in
            remap.withUnsafeBufferPointer { map in
                cells.withUnsafeBufferPointer { cells in
                    for (k, r) in rows.enumerated() {
                        let symbol = map[Int(cells[r * stride + offset])]
                        widest = max(widest, symbol)
                        out[k] = symbol
                    }
                }
            }
            written = rows.count
        }
        if wide == nil, widest > UInt32(UInt16.max) {
            var widened = narrow.map(UInt32.init)
            widened.reserveCapacity(narrow.count + mapped.count)
            wide = widened
            narrow = []
        }
        if wide != nil {
            wide!.append(contentsOf: mapped)
        } else {
            // No exact reserve here: loads append a batch per file, and growing geometrically keeps that linear.
            narrow.append(contentsOf: mapped.lazy.map { UInt16(truncatingIfNeeded: $0) })
        }
    }

    /// The column reordered: row `k` becomes old row `order[k]`.
    func permuted(_ order: [Int]) -> SymbolColumn {
        var out = SymbolColumn()
        if let wide { out.wide = EventStore.gather(wide, order) } else { out.narrow = EventStore.gather(narrow, order) }
        return out
    }

    var bytes: Int { wide.map { $0.capacity * 4 } ?? narrow.capacity * 2 }

    /// The column read through a pointer, for long loops (valid only inside ``withReader(_:)``).
    @usableFromInline
    struct Reader {
        @usableFromInline let narrow: UnsafeBufferPointer<UInt16>
        @usableFromInline let wide: UnsafeBufferPointer<UInt32>?

        @usableFromInline
        init(narrow: UnsafeBufferPointer<UInt16>, wide: UnsafeBufferPointer<UInt32>?) {
            self.narrow = narrow
            self.wide = wide
        }

        @inlinable @inline(__always)
        subscript(index: Int) -> UInt32 {
            if let wide { return wide[index] }
            return UInt32(narrow[index])
        }
    }

    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        if let wide { return try wide.withUnsafeBufferPointer { try body(Reader(narrow: UnsafeBufferPointer(start: nil, count: 0), wide: $0)) } }
        return try narrow.withUnsafeBufferPointer { try body(Reader(narrow: $0, wide: nil)) }
    }
}
