/// Orders a run of flows so that each source's flows come together, in their original order.
///
/// A detector whose state is per source, fed flows in time order, touches a different source's state at nearly
/// every flow; with thousands of active sources that state does not fit in cache, and each flow cost several
/// misses. Taking a run source by source touches each source's state once per run instead. It is only valid for
/// state that no other source reads, and the detector must sweep expired state at the run's start rather than
/// as it goes, since times no longer rise from one flow to the next.
enum SourceGrouping {
    /// Reorders `items` grouped by `key` (in increasing order) and in their original order within a key: a stable
    /// radix sort on 16-bit digits, one pass or two. The items themselves move (rather than an order of indexes
    /// being returned), so the caller then reads them front to back; `scratch` is reused from run to run.
    static func group<Item: BitwiseCopyable>(_ items: inout [Item], scratch: inout [Item], by key: (Item) -> UInt32) {
        let n = items.count
        guard n > 1 else { return }
        var largest: UInt32 = 0
        for item in items { largest = max(largest, key(item)) }
        if scratch.count != n { scratch = items }  // n elements to write over
        var counts = [Int](repeating: 0, count: 1 << 16)
        var shift: UInt32 = 0
        repeat {
            counts.withUnsafeMutableBufferPointer { counts in
                items.withUnsafeBufferPointer { from in
                    scratch.withUnsafeMutableBufferPointer { to in
                        for item in from { counts[Int((key(item) >> shift) & 0xFFFF)] += 1 }
                        var total = 0
                        for k in counts.indices {
                            let c = counts[k]
                            counts[k] = total
                            total += c
                        }
                        for item in from {
                            let digit = Int((key(item) >> shift) & 0xFFFF)
                            to[counts[digit]] = item
                            counts[digit] += 1
                        }
                        for k in counts.indices { counts[k] = 0 }
                    }
                }
            }
            swap(&items, &scratch)
            shift += 16
        } while shift < 32 && largest >> shift != 0
    }
}
