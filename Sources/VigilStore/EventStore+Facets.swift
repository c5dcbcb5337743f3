import VigilCore

/// Counts over sets of events: top values per field and time histograms, for facets and sparklines.
extension EventStore {
    /// A histogram of events over time.
    public struct Histogram: Sendable, Equatable {
        public var start: Timestamp
        public var bucketSeconds: Int64
        public var counts: [Int]
    }

    /// Buckets `ids` (any order) into about `buckets` bars of a round width covering their time span.
    public func histogram(ids: [EventID], buckets: Int) -> Histogram {
        guard !ids.isEmpty, buckets > 0 else { return Histogram(start: Timestamp(milliseconds: 0), bucketSeconds: 1, counts: []) }
        var lo = Int64.max, hi = Int64.min
        for id in ids { let t = time[Int(id)]; lo = min(lo, t); hi = max(hi, t) }
        let span = max(1, (hi - lo) / 1000 + 1)
        let width = Self.roundBucket(seconds: (span + Int64(buckets) - 1) / Int64(buckets))
        return histogram(ids: ids, from: Timestamp(milliseconds: lo - lo % (width * 1000)), bucketSeconds: width,
                         count: Int((hi - (lo - lo % (width * 1000))) / (width * 1000)) + 1)
    }

    /// Buckets `ids` into `count` bars of `bucketSeconds` starting at `from`; events outside are not counted.
    public func histogram(ids: [EventID], from: Timestamp, bucketSeconds: Int64, count: Int) -> Histogram {
        var counts = [Int](repeating: 0, count: max(0, count))
        let width = max(1, bucketSeconds) * 1000
        for id in ids {
            let offset = time[Int(id)] - from.milliseconds
            guard offset >= 0 else { continue }
            let b = Int(offset / width)
            if b < counts.count { counts[b] += 1 }
        }
        return Histogram(start: from, bucketSeconds: max(1, bucketSeconds), counts: counts)
    }

    /// The smallest "round" bucket width (1 s, 5 s, 1 min, 1 h, 1 day…) at least `seconds` wide.
    static func roundBucket(seconds: Int64) -> Int64 {
        let steps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800, 604_800]
        return steps.first { $0 >= seconds } ?? ((seconds + 86399) / 86400 * 86400)
    }

    /// Top values of a field among `ids`, most common first (ties alphabetically).
    public func valueCounts(_ field: IndexedField, among ids: [EventID], limit: Int = 10) -> [(value: String, count: Int)] {
        var counts: [UInt32: Int] = [:]
        for id in ids {
            if field == .resource {
                for s in resourceSymbols(of: id) { counts[s, default: 0] += 1 }
            } else {
                let s = symbol(field, of: id)
                if s != 0 { counts[s, default: 0] += 1 }
            }
        }
        var named: [(value: String, count: Int)] = counts.map { (value: name(field, symbol: $0.key), count: $0.value) }
        named.sort { a, b in a.count == b.count ? a.value < b.value : a.count > b.count }
        return Array(named.prefix(limit))
    }
}
