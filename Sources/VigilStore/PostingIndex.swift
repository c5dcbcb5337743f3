/// Sorted lists of event ids per symbol, for one field.
///
/// The bulk of the lists is kept in compressed-sparse-row form: one byte buffer holding every list one after the
/// other, each id stored as the gap from the previous one in a variable-length integer (LEB128), plus a byte offset
/// per symbol. Gaps in busy lists fit in one byte, so an entry takes about 1.5 bytes instead of 4. Events appended
/// after the last rebuild go to a small delta map, and the index is rebuilt when the delta grows, so live appends
/// stay cheap and bulk loads stay compact.
struct PostingIndex: Sendable {
    private var offsets: [UInt32] = [0]
    private var encoded: [UInt8] = []
    private var entries = 0
    private var delta: [UInt32: [UInt32]] = [:]
    private var deltaEntries = 0
    /// Events below this id are in the compressed part.
    private(set) var coveredEvents = 0

    /// Rebuilds the compressed part from a column (`forEachValue` calls back with each (event, symbol) pair,
    /// events in increasing order).
    mutating func rebuild(eventCount: Int, symbolCount: Int, forEachValue: ((Int, UInt32) -> Void) -> Void) {
        // Counting sort by symbol, then each list delta-encoded; through pointers, since each pass runs once per
        // value (millions per field in a flow load) and array accessors checked bounds and uniqueness each time.
        var counts = [UInt32](repeating: 0, count: symbolCount + 1)
        counts.withUnsafeMutableBufferPointer { counts in
            forEachValue { _, symbol in counts[Int(symbol) + 1] &+= 1 }
            for s in 0..<symbolCount { counts[s + 1] &+= counts[s] }
        }
        var cursor = counts
        let total = Int(counts[symbolCount])
        let flat = [UInt32](unsafeUninitializedCapacity: total) { flat, written in
            cursor.withUnsafeMutableBufferPointer { cursor in
                forEachValue { event, symbol in
                    flat[Int(cursor[Int(symbol)])] = UInt32(event)
                    cursor[Int(symbol)] &+= 1
                }
            }
            written = total
        }
        var byteOffsets = [UInt32](repeating: 0, count: symbolCount + 1)
        // At most five bytes an id (32 bits, seven a byte).
        var used = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: max(1, total * 5)) { out, written in
            counts.withUnsafeBufferPointer { counts in
                flat.withUnsafeBufferPointer { flat in
                    byteOffsets.withUnsafeMutableBufferPointer { byteOffsets in
                        for s in 0..<symbolCount {
                            byteOffsets[s] = UInt32(used)
                            var previous: UInt32 = 0
                            var first = true
                            for k in Int(counts[s])..<Int(counts[s + 1]) {
                                let id = flat[k]
                                // The first id is stored whole, each later one as the gap from the one before.
                                var gap = first ? id : id &- previous
                                first = false
                                previous = id
                                while gap >= 0x80 {
                                    out[used] = UInt8(truncatingIfNeeded: gap) | 0x80
                                    used += 1
                                    gap >>= 7
                                }
                                out[used] = UInt8(gap)
                                used += 1
                            }
                        }
                        byteOffsets[symbolCount] = UInt32(used)
                    }
                }
            }
            written = used
        }
        offsets = byteOffsets
        // A copy, to drop the spare capacity (`Array(bytes[...])` would keep sharing the oversized buffer).
        encoded = bytes.withUnsafeBufferPointer { Array($0) }
        entries = flat.count
        delta = [:]
        deltaEntries = 0
        coveredEvents = eventCount
    }

    /// Decodes the compressed list of `symbol`, calling `body` with each id in increasing order.
    @inline(__always)
    private func decode(_ symbol: UInt32, _ body: (UInt32) -> Void) {
        let s = Int(symbol)
        guard s + 1 < offsets.count else { return }
        let lo = Int(offsets[s]), hi = Int(offsets[s + 1])
        guard hi > lo else { return }
        encoded.withUnsafeBufferPointer { b in
            var i = lo
            var id: UInt32 = 0
            var first = true
            while i < hi {
                var value: UInt32 = 0
                var shift: UInt32 = 0
                while true {
                    let byte = b[i]
                    i += 1
                    value |= UInt32(byte & 0x7F) << shift
                    if byte < 0x80 { break }
                    shift += 7
                }
                id = first ? value : id &+ value
                first = false
                body(id)
            }
        }
    }

    /// Records that `event` (newer than every indexed event) has `symbol`.
    mutating func add(event: Int, symbol: UInt32) {
        delta[symbol, default: []].append(UInt32(event))
        deltaEntries += 1
    }

    var needsRebuild: Bool { deltaEntries > 65_536 && deltaEntries > entries / 8 }

    /// The ids of events with `symbol`, in increasing order.
    func postings(_ symbol: UInt32) -> [UInt32] {
        var result: [UInt32] = []
        decode(symbol) { result.append($0) }
        if let extra = delta[symbol] { result.append(contentsOf: extra) }
        return result
    }

    /// How many events have `symbol`.
    func count(_ symbol: UInt32) -> Int {
        var n = 0
        decode(symbol) { _ in n += 1 }
        return n + (delta[symbol]?.count ?? 0)
    }

    /// Every symbol with at least one event (cheaper than `counts()`: nothing is decoded).
    func presentSymbols() -> [UInt32] {
        var out: [UInt32] = []
        if offsets.count > 1 {
            for s in 1..<(offsets.count - 1) where offsets[s + 1] > offsets[s] || delta[UInt32(s)] != nil { out.append(UInt32(s)) }
        }
        for s in delta.keys where s != 0 && Int(s) + 1 >= offsets.count { out.append(s) }
        return out
    }

    /// Every symbol with at least one event and its count.
    func counts() -> [(symbol: UInt32, count: Int)] {
        var out: [(UInt32, Int)] = []
        var seen = Set<UInt32>()
        if offsets.count > 1 {
            for s in 1..<(offsets.count - 1) where offsets[s + 1] > offsets[s] {
                // In the compressed part every byte below 0x80 ends one id.
                var n = 0
                for k in Int(offsets[s])..<Int(offsets[s + 1]) where encoded[k] < 0x80 { n += 1 }
                out.append((UInt32(s), n + (delta[UInt32(s)]?.count ?? 0)))
                seen.insert(UInt32(s))
            }
        }
        for (s, list) in delta where !seen.contains(s) && s != 0 { out.append((s, list.count)) }
        return out
    }

    var approximateBytes: Int { offsets.capacity * 4 + encoded.capacity + deltaEntries * 8 + delta.count * 48 }
}
