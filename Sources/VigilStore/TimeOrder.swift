import Dispatch

/// Stable ordering of rows by time, by radix sort: millions of rows sort in a few linear passes instead of
/// n log n comparisons through an index.
enum TimeOrder {
    /// From this many rows the two halves are sorted on two cores, then merged: a bulk load orders all its rows
    /// at once while nothing else runs.
    static let parallelThreshold = 1 << 20

    /// The row indexes of `time` sorted by time, ties in row order.
    static func order(_ time: [Int64], parallelFrom threshold: Int = parallelThreshold) -> [Int] {
        let n = time.count
        guard n > 1, let low = time.min(), let high = time.max() else { return Array(0..<n) }
        guard n <= Int(UInt32.max) else { return fallback(time) }
        let span = UInt64(bitPattern: high &- low)
        guard n >= max(2, threshold) else { return sortedRun(time, 0..<n, low: low, span: span).rows.map { Int($0) } }

        let halves = [0..<(n / 2), (n / 2)..<n]
        let runs = (RunBox(), RunBox())
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            let run = sortedRun(time, halves[half], low: low, span: span)
            if half == 0 { runs.0.run = run } else { runs.1.run = run }
        }
        // A stable two-way merge: on equal times the first half, whose rows come first, goes first.
        let (a, b) = (runs.0.run, runs.1.run)
        return [Int](unsafeUninitializedCapacity: n) { out, written in
            var i = 0, j = 0, k = 0
            while i < a.keys.count, j < b.keys.count {
                if b.keys[j] < a.keys[i] {
                    out[k] = Int(b.rows[j]); j += 1
                } else {
                    out[k] = Int(a.rows[i]); i += 1
                }
                k += 1
            }
            while i < a.keys.count { out[k] = Int(a.rows[i]); i += 1; k += 1 }
            while j < b.keys.count { out[k] = Int(b.rows[j]); j += 1; k += 1 }
            written = n
        }
    }

    /// The rows of `range` sorted by time (ties in row order), with their keys (time minus `low`).
    private static func sortedRun(_ time: [Int64], _ range: Range<Int>, low: Int64, span: UInt64) -> Run {
        let n = range.count
        var keys = [UInt64](repeating: 0, count: n)
        var rows = [UInt32](repeating: 0, count: n)
        time.withUnsafeBufferPointer { t in
            for i in 0..<n {
                keys[i] = UInt64(bitPattern: t[range.lowerBound + i] &- low)
                rows[i] = UInt32(range.lowerBound + i)
            }
        }
        var bytes = 0
        var rest = span
        while rest > 0 { bytes += 1; rest >>= 8 }
        var keysOut = [UInt64](repeating: 0, count: n)
        var rowsOut = [UInt32](repeating: 0, count: n)
        for pass in 0..<bytes {
            let shift = UInt64(pass * 8)
            var counts = [Int](repeating: 0, count: 257)
            keys.withUnsafeBufferPointer { k in
                for i in 0..<n { counts[Int((k[i] >> shift) & 0xFF) + 1] += 1 }
            }
            // A pass where every key has the same byte changes nothing.
            if counts.contains(n) { continue }
            for b in 1...256 { counts[b] += counts[b - 1] }
            keys.withUnsafeBufferPointer { k in
                rows.withUnsafeBufferPointer { r in
                    keysOut.withUnsafeMutableBufferPointer { ko in
                        rowsOut.withUnsafeMutableBufferPointer { ro in
                            for i in 0..<n {
                                let b = Int((k[i] >> shift) & 0xFF)
                                let at = counts[b]
                                counts[b] = at + 1
                                ko[at] = k[i]
                                ro[at] = r[i]
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&rows, &rowsOut)
        }
        return Run(keys: keys, rows: rows)
    }

    private struct Run {
        var keys: [UInt64] = []
        var rows: [UInt32] = []
    }

    /// One half's sorted run, written by the job that sorted it.
    private final class RunBox: @unchecked Sendable {
        var run = Run()
    }

    private static func fallback(_ time: [Int64]) -> [Int] {
        Array(0..<time.count).sorted { time[$0] == time[$1] ? $0 < $1 : time[$0] < time[$1] }
    }
}
