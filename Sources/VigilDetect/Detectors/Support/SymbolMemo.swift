/// What a detector worked out about each store symbol (is this source an address, which principal group is this
/// ARN in), kept in an array indexed by the symbol.
///
/// Detectors ask about a symbol on nearly every event; hashing it into a dictionary cost more than the question.
/// Store symbols are dense (0 ..< the symbol count), so the array grows to the largest symbol asked about: at
/// most one entry per distinct string in the store, which the store itself already holds.
struct SymbolMemo<Value> {
    private var values: [Value?] = []

    /// The remembered answer for `symbol`, or `compute()`'s (remembered).
    @inline(__always)
    mutating func value(_ symbol: UInt32, _ compute: () -> Value) -> Value {
        let i = Int(symbol)
        if i < values.count, let known = values[i] { return known }
        let answer = compute()
        if i >= values.count { values.append(contentsOf: repeatElement(nil, count: max(i + 1, values.count * 2) - values.count)) }
        values[i] = answer
        return answer
    }
}
