/// A column of symbols that takes two bytes a row while every symbol fits in 16 bits, and widens itself to four
/// bytes the first time one does not. Most stores have far fewer than 65,536 distinct strings. A column whose
/// symbols are all 0 (a field no event has: for flow logs, principal, user, access key and user agent) stores
/// nothing but its length until it gets another symbol.
@usableFromInline
struct SymbolColumn: Sendable {
    private var narrow: [UInt16] = []
    private var wide: [UInt32]?
    /// Rows of a column that is all zeros and stores none of them (`narrow` is then empty and `wide` nil).
    private var blank = 0

    init() {}

    /// A column of `count` zeros, stored as its length.
    init(blank count: Int) { blank = count }

    /// A column of `values`, as narrow as they allow.
    init(_ values: [UInt32]) {
        let widest = values.max() ?? 0
        if widest == 0 {
            blank = values.count
        } else if widest <= UInt32(UInt16.max) {
            narrow = values.map { UInt16(truncatingIfNeeded: $0) }
        } else {
            wide = values
        }
    }

    /// A column of two-byte symbols.
    init(narrow: [UInt16]) { self.narrow = narrow }

    /// A column of four-byte symbols.
    init(wide: [UInt32]) { self.wide = wide }

    var count: Int { wide?.count ?? narrow.count + blank }
    /// Whether every symbol is 0 (nothing stored but the length).
    var isBlank: Bool { wide == nil && narrow.isEmpty }
    var isEmpty: Bool { count == 0 }

    @inline(__always)
    subscript(index: Int) -> UInt32 {
        if let wide { return wide[index] }
        if blank > 0 {
            precondition(index >= 0 && index < blank, "index out of range")
            return 0
        }
        return UInt32(narrow[index])
    }

    /// Stores the zeros of a blank column, before a symbol that is not 0 is added.
    private mutating func materialize() {
        guard blank > 0 else { return }
        narrow = [UInt16](repeating: 0, count: blank)
        blank = 0
    }

    /// Appends a 0: a count while the column is blank.
    @inline(__always)
    mutating func appendZero() {
        if blank > 0 {
            blank &+= 1
        } else {
            append(0)
        }
    }

    @inline(__always)
    mutating func append(_ symbol: UInt32) {
        if symbol == 0, wide == nil, narrow.isEmpty {
            // A column reserved for symbols that starts with zeros gives its room back.
            if blank == 0, narrow.capacity > 0 { narrow = [] }
            blank += 1
            return
        }
        materialize()
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

    /// Appends `values`, widening the column once if one of them needs it.
    mutating func append(contentsOf values: [UInt32]) {
        if count == 0 {
            self = SymbolColumn(values)
            return
        }
        let widest = values.max() ?? 0
        if wide == nil, widest == 0, narrow.isEmpty {
            blank += values.count
            return
        }
        materialize()
        if wide == nil, widest > UInt32(UInt16.max) {
            wide = narrow.map(UInt32.init)
            narrow = []
        }
        if wide != nil {
            wide!.append(contentsOf: values)
        } else {
            narrow.append(contentsOf: values.lazy.map { UInt16(truncatingIfNeeded: $0) })
        }
    }

    /// Calls `body` with a reader on each of `columns`, in order.
    static func withReaders<R>(_ columns: [SymbolColumn], _ body: ([Reader]) throws -> R) rethrows -> R {
        var readers: [Reader] = []
        readers.reserveCapacity(columns.count)
        return try withReaders(columns, opened: &readers, body)
    }

    private static func withReaders<R>(_ columns: [SymbolColumn], opened readers: inout [Reader],
                                       _ body: ([Reader]) throws -> R) rethrows -> R {
        guard readers.count < columns.count else { return try body(readers) }
        return try columns[readers.count].withReader { reader in
            readers.append(reader)
            return try withReaders(columns, opened: &readers, body)
        }
    }

    mutating func reserveCapacity(_ n: Int) {
        // A blank column reserves nothing: it may well stay blank.
        if wide != nil { wide!.reserveCapacity(n) } else if blank == 0 { narrow.reserveCapacity(n) }
    }

    /// Makes the column four bytes a row now, with room for `n` rows: for values that will soon need it (a
    /// widening later would copy the column).
    mutating func reserveWideCapacity(_ n: Int) {
        if wide == nil {
            var widened = [UInt32]()
            widened.reserveCapacity(max(n, count))
            if blank > 0 { widened.append(contentsOf: repeatElement(0, count: blank)) } else { widened.append(contentsOf: narrow.lazy.map(UInt32.init)) }
            wide = widened
            narrow = []
            blank = 0
        } else {
            wide!.reserveCapacity(n)
        }
    }

    /// Appends one cell of each row of a row-major table (`stride` cells a row, this column's at `offset`),
    /// mapped through `remap`; only the rows listed in `rows`, in that order.
    mutating func append(cells: [UInt32], stride: Int, offset: Int, rows: [Int], remap: [UInt32]) {
        materialize()
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
        if blank > 0 { return SymbolColumn(blank: blank) }
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

        /// Reads beyond `narrow` are zeros: a blank column is read through an empty buffer.
        @inlinable @inline(__always)
        subscript(index: Int) -> UInt32 {
            if let wide { return wide[index] }
            return index < narrow.count ? UInt32(narrow[index]) : 0
        }
    }

    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        if let wide { return try wide.withUnsafeBufferPointer { try body(Reader(narrow: UnsafeBufferPointer(start: nil, count: 0), wide: $0)) } }
        return try narrow.withUnsafeBufferPointer { try body(Reader(narrow: $0, wide: nil)) }
    }
}
