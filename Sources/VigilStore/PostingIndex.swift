/// Sorted lists of event ids per symbol, for one field.
///
/// The bulk of the lists is kept in compressed-sparse-row form (one flat id array plus offsets per symbol: exactly
/// four bytes per entry). Events appended after the last rebuild go to a small delta map, and the index is rebuilt
/// when the delta grows, so live appends stay cheap and bulk loads stay compact.
struct PostingIndex: Sendable {
    private var offsets: [UInt32] = [0]
    private var ids: [UInt32] = []
    private var delta: [UInt32: [UInt32]] = [:]
    private var deltaEntries = 0
    /// Events below this id are in the CSR part.
    private(set) var coveredEvents = 0

    /// Rebuilds the CSR part from a column (`values(event)` gives the symbols of each event).
    mutating func rebuild(eventCount: Int, symbolCount: Int, forEachValue: ((Int, UInt32) -> Void) -> Void) {
        var counts = [UInt32](repeating: 0, count: symbolCount + 1)
        forEachValue { _, symbol in counts[Int(symbol) + 1] &+= 1 }
        for s in 0..<symbolCount { counts[s + 1] &+= counts[s] }
        var cursor = counts
        var flat = [UInt32](repeating: 0, count: Int(counts[symbolCount]))
        forEachValue { event, symbol in
            flat[Int(cursor[Int(symbol)])] = UInt32(event)
            cursor[Int(symbol)] += 1
        }
        offsets = counts
        ids = flat
        delta = [:]
        deltaEntries = 0
        coveredEvents = eventCount
    }

    /// Records that `event` (newer than every indexed event) has `symbol`.
    mutating func add(event: Int, symbol: UInt32) {
        delta[symbol, default: []].append(UInt32(event))
        deltaEntries += 1
    }

    var needsRebuild: Bool { deltaEntries > 65_536 && deltaEntries > ids.count / 8 }

    /// The ids of events with `symbol`, in increasing order.
    func postings(_ symbol: UInt32) -> [UInt32] {
        var result: [UInt32] = []
        let s = Int(symbol)
        if s + 1 < offsets.count {
            let lo = Int(offsets[s]), hi = Int(offsets[s + 1])
            if hi > lo { result = Array(ids[lo..<hi]) }
        }
        if let extra = delta[symbol] { result.append(contentsOf: extra) }
        return result
    }

    /// How many events have `symbol`.
    func count(_ symbol: UInt32) -> Int {
        let s = Int(symbol)
        var n = 0
        if s + 1 < offsets.count { n = Int(offsets[s + 1] - offsets[s]) }
        return n + (delta[symbol]?.count ?? 0)
    }

    /// Every symbol with at least one event and its count.
    func counts() -> [(symbol: UInt32, count: Int)] {
        var out: [(UInt32, Int)] = []
        var seen = Set<UInt32>()
        if offsets.count > 1 {
            for s in 1..<(offsets.count - 1) {
                let n = Int(offsets[s + 1] - offsets[s]) + (delta[UInt32(s)]?.count ?? 0)
                if n > 0 { out.append((UInt32(s), n)); seen.insert(UInt32(s)) }
            }
        }
        for (s, list) in delta where !seen.contains(s) && s != 0 { out.append((s, list.count)) }
        return out
    }

    var approximateBytes: Int { offsets.capacity * 4 + ids.capacity * 4 + deltaEntries * 8 + delta.count * 48 }
}
