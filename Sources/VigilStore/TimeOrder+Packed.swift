import Dispatch

/// Time order for bulk loads, in less memory: each row's time and number packed into one 64-bit key.
extension TimeOrder {
    /// The row indexes of `time` sorted by time (ties in row order) with the times in that order; nil when a
    /// row number and the span of the times do not fit in 64 bits together (then use ``order(_:parallelFrom:)``).
    ///
    /// A key is the time minus the earliest, shifted above the row number. Rows start in ascending order and the
    /// radix sort is stable, so only the time bytes are sorted on, and each pass moves eight bytes a row where
    /// separate keys and rows moved twelve. A bulk load sorts while it holds all of its batches: this needs 16
    /// bytes a row (keys and the sort's second buffer) where ``order(_:parallelFrom:)`` needs 32.
    static func packedOrder(_ time: consuming [Int64], parallelFrom threshold: Int = parallelThreshold)
        -> (rows: [UInt32], times: [Int64])? {
        let n = time.count
        guard n > 1, let low = time.min(), let high = time.max() else {
            return (Array(0..<UInt32(time.count)), time)
        }
        var rowBits = 0
        while (1 << rowBits) < n { rowBits += 1 }
        let span = UInt64(bitPattern: high &- low)
        var timeBits = 0
        while timeBits < 64, span >> UInt64(timeBits) != 0 { timeBits += 1 }
        guard n <= Int(UInt32.max), rowBits + timeBits <= 64 else { return nil }
        let shift = UInt64(rowBits)
        var keys = [UInt64](unsafeUninitializedCapacity: n) { out, written in
            time.withUnsafeBufferPointer { t in
                for i in 0..<n { out[i] = UInt64(bitPattern: t[i] &- low) << shift | UInt64(i) }
            }
            written = n
        }
        time = []
        var scratch = [UInt64](unsafeUninitializedCapacity: n) { _, written in written = n }
        let timeBytes = (timeBits + 7) / 8
        keys.withUnsafeMutableBufferPointer { keys in
            scratch.withUnsafeMutableBufferPointer { scratch in
                // Two halves sorted on two cores, each within its own part of both buffers, then merged.
                let halves = n >= max(2, threshold) ? [0..<(n / 2), (n / 2)..<n] : [0..<n]
                let inScratch = halves.map { _ in RunPlace() }
                let buffers = Buffers(keys: keys, scratch: scratch)
                DispatchQueue.concurrentPerform(iterations: halves.count) { h in
                    let r = halves[h]
                    inScratch[h].isScratch = sortRun(UnsafeMutableBufferPointer(rebasing: buffers.keys[r]),
                                                     UnsafeMutableBufferPointer(rebasing: buffers.scratch[r]), shift: shift,
                                                     bytes: timeBytes)
                }
                if halves.count == 1 {
                    if inScratch[0].isScratch { _ = keys.initialize(fromContentsOf: scratch) }
                    return
                }
                // Each half's sorted run lies in one buffer; both are moved to `scratch` and merged into `keys`.
                for h in 0..<2 where !inScratch[h].isScratch {
                    let r = halves[h]
                    _ = UnsafeMutableBufferPointer(rebasing: scratch[r]).initialize(fromContentsOf: keys[r])
                }
                // The merge in two parts on two cores: the first takes the n/2 smallest keys, from `a` and `b`
                // in the proportion a binary search finds (keys are distinct: the row is part of each).
                let mid = n / 2
                let a = UnsafeBufferPointer(rebasing: scratch[0..<mid]), b = UnsafeBufferPointer(rebasing: scratch[mid..<n])
                let m = mid
                var lo = max(0, m - b.count), hi = min(m, a.count)
                while lo < hi {
                    let i = (lo + hi) / 2
                    if a[i] < b[m - i - 1] { lo = i + 1 } else { hi = i }
                }
                let (aSplit, bSplit) = (lo, m - lo)
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    let out = buffers.keys
                    let a = UnsafeBufferPointer(rebasing: buffers.scratch[0..<mid])
                    let b = UnsafeBufferPointer(rebasing: buffers.scratch[mid..<n])
                    var (i, j) = part == 0 ? (0, 0) : (aSplit, bSplit)
                    let (iEnd, jEnd) = part == 0 ? (aSplit, bSplit) : (a.count, b.count)
                    var k = part == 0 ? 0 : m
                    while i < iEnd, j < jEnd {
                        if b[j] < a[i] { out[k] = b[j]; j += 1 } else { out[k] = a[i]; i += 1 }
                        k += 1
                    }
                    while i < iEnd { out[k] = a[i]; i += 1; k += 1 }
                    while j < jEnd { out[k] = b[j]; j += 1; k += 1 }
                }
            }
        }
        scratch = []
        let mask = (UInt64(1) << shift) &- 1
        var rows = [UInt32](), times = [Int64]()
        keys.withUnsafeBufferPointer { keys in
            rows = [UInt32](unsafeUninitializedCapacity: n) { rowsOut, written in
                times = [Int64](unsafeUninitializedCapacity: n) { timesOut, timesWritten in
                    let out = Outputs(keys: keys, rows: rowsOut, times: timesOut)
                    let parts = n >= max(2, threshold) ? 2 : 1
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        for k in (n * part / parts)..<(n * (part + 1) / parts) {
                            out.rows[k] = UInt32(truncatingIfNeeded: out.keys[k] & mask)
                            out.times[k] = Int64(bitPattern: out.keys[k] >> shift) &+ low
                        }
                    }
                    timesWritten = n
                }
                written = n
            }
        }
        return (rows, times)
    }

    /// The sorted keys, and where the jobs write the rows and times, each its own part.
    private struct Outputs: @unchecked Sendable {
        let keys: UnsafeBufferPointer<UInt64>
        let rows: UnsafeMutableBufferPointer<UInt32>
        let times: UnsafeMutableBufferPointer<Int64>
    }

    /// LSD radix sort of `keys` on the `bytes` bytes above `shift`, with `scratch` as the second buffer; true
    /// when the sorted run ends up in `scratch`.
    private static func sortRun(_ keys: UnsafeMutableBufferPointer<UInt64>, _ scratch: UnsafeMutableBufferPointer<UInt64>,
                                shift: UInt64, bytes: Int) -> Bool {
        let n = keys.count
        var from = keys, to = scratch
        var swapped = false
        var counts = [Int](repeating: 0, count: 257)
        for pass in 0..<bytes {
            let s = shift + UInt64(pass * 8)
            for b in 0..<257 { counts[b] = 0 }
            for i in 0..<n { counts[Int((from[i] >> s) & 0xFF) + 1] += 1 }
            // A pass where every key has the same byte changes nothing.
            if counts.contains(n) { continue }
            for b in 1...256 { counts[b] += counts[b - 1] }
            counts.withUnsafeMutableBufferPointer { counts in
                for i in 0..<n {
                    let b = Int((from[i] >> s) & 0xFF)
                    to[counts[b]] = from[i]
                    counts[b] += 1
                }
            }
            swap(&from, &to)
            swapped.toggle()
        }
        return swapped
    }

    /// The two buffers, handed to the jobs that each sort their own half of both.
    private struct Buffers: @unchecked Sendable {
        let keys: UnsafeMutableBufferPointer<UInt64>
        let scratch: UnsafeMutableBufferPointer<UInt64>
    }

    /// Whether a half's sorted run ended in the scratch buffer (written by the job that sorted it).
    private final class RunPlace: @unchecked Sendable {
        var isScratch = false
    }
}
