/// A column of symbols that takes two bytes a row while every symbol fits in 16 bits, and widens itself to four
/// bytes the first time one does not. Most stores have far fewer than 65,536 distinct strings.
struct SymbolColumn: Sendable {
    private var narrow: [UInt16] = []
    private var wide: [UInt32]?

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

    /// The column reordered: row `k` becomes old row `order[k]`.
    func permuted(_ order: [Int]) -> SymbolColumn {
        var out = SymbolColumn()
        if let wide { out.wide = order.map { wide[$0] } } else { out.narrow = order.map { narrow[$0] } }
        return out
    }

    var bytes: Int { wide.map { $0.capacity * 4 } ?? narrow.capacity * 2 }
}
