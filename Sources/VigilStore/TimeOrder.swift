/// Stable ordering of rows by time, by radix sort: millions of rows sort in a few linear passes instead of
/// n log n comparisons through an index.
enum TimeOrder {
    /// The row indexes of `time` sorted by time, ties in row order.
    static func order(_ time: [Int64]) -> [Int] {
        let n = time.count
        guard n > 1, let low = time.min(), let high = time.max() else { return Array(0..<n) }
        let span = UInt64(bitPattern: high &- low)
        var keys = [UInt64](repeating: 0, count: n)
        var rows = [UInt32](repeating: 0, count: n)
        guard n <= Int(UInt32.max) else { return fallback(time) }
        time.withUnsafeBufferPointer { t in
            for i in 0..<n {
                keys[i] = UInt64(bitPattern: t[i] &- low)
                rows[i] = UInt32(i)
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
        return rows.map { Int($0) }
    }

    private static func fallback(_ time: [Int64]) -> [Int] {
        Array(0..<time.count).sorted { time[$0] == time[$1] ? $0 < $1 : time[$0] < time[$1] }
    }
}
