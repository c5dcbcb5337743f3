/// Orders a run of flows so that each source's flows come together, in their original order.
///
/// A detector whose state is per source, fed flows in time order, touches a different source's state at nearly
/// every flow; with thousands of active sources that state does not fit in cache, and each flow cost several
/// misses. Taking a run source by source touches each source's state once per run instead. It is only valid for
/// state that no other source reads, and the detector must sweep expired state at the run's start rather than
/// as it goes, since times no longer rise from one flow to the next.
enum SourceGrouping {
    /// Reorders `items` into 65,536 buckets by the low 16 bits of `key`, keeping their original order within a
    /// bucket: one pass of a stable counting sort (a stable sort by key for runs under 1,024). Items of one key end
    /// up together and in order, except that keys sharing a bucket interleave (which keeps each key's order, all
    /// a detector needs). The items themselves move, so the caller then reads them front to back; `scratch` is
    /// reused from run to run.
    static func group<Item: BitwiseCopyable>(_ items: inout [Item], scratch: inout [Item], by key: (Item) -> UInt32) {
        let n = items.count
        guard n > 1 else { return }
        // A live session hands over a few flows at a time: sorting them beats clearing 65,536 counters.
        guard n >= 1024 else {
            items = items.indices.sorted { (key(items[$0]), $0) < (key(items[$1]), $1) }.map { items[$0] }
            return
        }
        if scratch.count != n { scratch = items }  // n elements to write over
        var counts = [Int](repeating: 0, count: 1 << 16)
        counts.withUnsafeMutableBufferPointer { counts in
            items.withUnsafeBufferPointer { from in
                scratch.withUnsafeMutableBufferPointer { to in
                    for item in from { counts[Int(key(item) & 0xFFFF)] += 1 }
                    var total = 0
                    for k in counts.indices {
                        let c = counts[k]
                        counts[k] = total
                        total += c
                    }
                    for item in from {
                        let bucket = Int(key(item) & 0xFFFF)
                        to[counts[bucket]] = item
                        counts[bucket] += 1
                    }
                }
            }
        }
        swap(&items, &scratch)
    }
}
