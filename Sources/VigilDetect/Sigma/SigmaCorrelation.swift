/// A Sigma correlation rule (`correlation:` block): aggregation over the matches of other rules.
public struct SigmaCorrelation: Sendable {
    public enum Kind: String, Sendable {
        case eventCount = "event_count"
        case valueCount = "value_count"
        case temporal = "temporal"
        case temporalOrdered = "temporal_ordered"
    }

    /// A threshold: `gte: 10`, or a range (`gt: 3`, `lte: 9`).
    public struct Condition: Sendable, Equatable {
        public var gt: Double?
        public var gte: Double?
        public var lt: Double?
        public var lte: Double?
        public var eq: Double?
        /// For `value_count`: the field whose distinct values are counted.
        public var field: String?

        public init(gt: Double? = nil, gte: Double? = nil, lt: Double? = nil, lte: Double? = nil, eq: Double? = nil, field: String? = nil) {
            self.gt = gt
            self.gte = gte
            self.lt = lt
            self.lte = lte
            self.eq = eq
            self.field = field
        }

        func holds(_ n: Double) -> Bool {
            if let gt, !(n > gt) { return false }
            if let gte, !(n >= gte) { return false }
            if let lt, !(n < lt) { return false }
            if let lte, !(n <= lte) { return false }
            if let eq, n != eq { return false }
            return true
        }

        /// True when the condition can only be decided once a window closes (an upper bound or equality):
        /// a count that is still growing may pass and then fail.
        var needsClosedWindow: Bool { lt != nil || lte != nil || eq != nil }
    }

    public var kind: Kind
    /// Names or ids of the rules whose matches are aggregated.
    public var rules: [String]
    public var groupBy: [String]
    /// Window length in milliseconds.
    public var timespanMilliseconds: Int64
    public var condition: Condition
    /// Whether the referenced rules also report their own matches.
    public var generate: Bool
    /// Field aliases: alias name → (rule name → field in that rule's events).
    public var aliases: [String: [String: String]]
}

/// Parses Sigma time spans: `30s`, `5m`, `1h`, `2d` (also `1w`, `1M` for 30 days, `1y`).
enum Timespan {
    static func milliseconds(_ text: String) -> Int64? {
        let t = text.trimmingSpaces
        guard let unit = t.last, let n = Int64(t.dropLast()), n >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 7 * 86_400
        case "M": seconds = 30 * 86_400
        case "y": seconds = 365 * 86_400
        default: return nil
        }
        let (product, overflow) = n.multipliedReportingOverflow(by: seconds * 1000)
        return overflow ? nil : product
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
