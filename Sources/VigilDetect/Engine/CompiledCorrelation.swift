import VigilCore
import VigilStore

/// A correlation ready to run over the matches of its input rules (a class: the engine passes it by reference).
final class CompiledCorrelation: Sendable {
    let rule: DetectionRule
    let kind: SigmaCorrelation.Kind
    /// Indices of the input rules in the rule set's compiled rules, in the correlation's order.
    let inputs: [Int]
    /// Per input: how to read each group-by field from that input's events (aliases resolved).
    let groupBy: [[FieldAccessor]]
    /// Per input: the counted field of a `value_count`.
    let valueField: [FieldAccessor?]
    let groupNames: [String]
    let timespan: Int64
    let condition: SigmaCorrelation.Condition
    let template: FindingTemplate

    init(rule: DetectionRule, kind: SigmaCorrelation.Kind, inputs: [Int], groupBy: [[FieldAccessor]], valueField: [FieldAccessor?],
         groupNames: [String], timespan: Int64, condition: SigmaCorrelation.Condition, template: FindingTemplate) {
        self.rule = rule
        self.kind = kind
        self.inputs = inputs
        self.groupBy = groupBy
        self.valueField = valueField
        self.groupNames = groupNames
        self.timespan = timespan
        self.condition = condition
        self.template = template
    }
}

/// The running state of every correlation: per group, the matches inside the window.
///
/// State is bounded: a group's window keeps only what falls inside the timespan (and at most ``maximumWindow``
/// matches), and when the number of groups passes ``maximumGroups`` the groups idle for longer than the timespan
/// are dropped. Counts are kept incrementally, so each match costs O(1) apart from evictions.
struct CorrelationState {
    static let maximumGroups = 50_000
    static let maximumWindow = 10_000

    /// Plain integers only: windows are appended to and evicted from on every match, and a string inside made
    /// each of those moves pay reference counting.
    private struct Match {
        var time: Int64
        var input: Int32
        var event: EventStore.EventID
        /// The counted value of a `value_count` (``ValueKey``; 0: none).
        var value: UInt64
    }

    private struct Group {
        var window: [Match] = []
        var head = 0
        /// Distinct counted values inside the window, with how many matches carry each.
        var valueCounts: [UInt64: Int32] = [:]
        /// The finding this group's last firing went into, so a burst extends it without any string work.
        var finding: Int?
        /// Matches per input inside the window (temporal correlations).
        var inputCounts: [Int] = []
        /// While a fired correlation's burst goes on, matches extend the same finding.
        var firedUntil: Int64 = .min
        var lastSeen: Int64 = .min

        var liveCount: Int { window.count - head }

        mutating func evictFirst() {
            let m = window[head]
            head += 1
            if m.value != 0 {
                let n = (valueCounts[m.value] ?? 1) - 1
                valueCounts[m.value] = n == 0 ? nil : n
            }
            if Int(m.input) < inputCounts.count { inputCounts[Int(m.input)] -= 1 }
        }

        mutating func reset() {
            window.removeAll(keepingCapacity: true)
            head = 0
            valueCounts.removeAll()
            for i in inputCounts.indices { inputCounts[i] = 0 }
        }
    }

    /// A group's identity: column symbols when every group-by field is an exact column (no string built per
    /// match), else the values as text.
    enum GroupKey: Hashable, RecencyKey {
        case symbols(UInt64)
        case text(String)

        /// The table mixes these bits with the process's seed; text goes through `Hasher` (seeded per process too).
        var mixedBits: UInt64 {
            switch self {
            case .symbols(let packed): packed
            case .text(let text): UInt64(bitPattern: Int64(text.hashValue)) ^ 0x8000_0000_0000_0000
            }
        }
    }

    /// A counted value as one integer: a column symbol when the field is a column, else a seeded 64-bit hash
    /// (`Hasher`, keyed per process, so colliding values cannot be prepared) of the text folded to lower case,
    /// with the top bit set. 0 means no value.
    enum ValueKey {
        static func symbol(_ symbol: UInt32) -> UInt64 { UInt64(symbol) }
        static func text(_ text: String) -> UInt64 { UInt64(bitPattern: Int64(text.hashValue)) | 0x8000_0000_0000_0000 }
    }

    /// Per correlation, its groups: a slab with an open-addressing index (a probe per match, no `Dictionary`
    /// hashing). Never evicts by itself: idle groups are dropped explicitly (``maximumGroups``).
    private var groups: [RecencyTable<GroupKey, Group>]

    init(count: Int) { groups = Array(repeating: RecencyTable(capacity: Int(Int32.max) - 1), count: count) }

    struct Firing {
        var events: [EventStore.EventID]
        var first: Int64
        var last: Int64
        /// The group's values as text (`userIdentity.arn=arn:aws:iam::…`); empty when `continuing` is set.
        var groupKey: String
        var count: Int
        /// Set when the match extends a finding this group already reported.
        var continuing: Int?
        var group: GroupKey
    }

    /// Notes which finding a group's firing went into.
    mutating func remember(_ correlationIndex: Int, _ group: GroupKey, finding: Int) {
        _ = groups[correlationIndex].updateIfPresent(group) { $0.finding = finding }
    }

    /// Feeds one match of input `input` of correlation `c`; returns a firing when the condition is met (or when
    /// an already-fired burst goes on).
    mutating func observe(_ correlationIndex: Int, _ c: CompiledCorrelation, input: Int, event: EventStore.EventID,
                          time: Int64, context: EventContext) -> Firing? {
        func display() -> String {
            var text = ""
            for (k, accessor) in c.groupBy[input].enumerated() {
                if k > 0 { text += "," }
                text += c.groupNames[k] + "=" + (context.firstValue(accessor) ?? "")
            }
            return text
        }
        let accessors = c.groupBy[input]
        let key: GroupKey
        // A principal without an ARN groups by the principal the record names instead (its id): closer to the
        // intent than lumping every ARN-less call together.
        if accessors.count <= 2, accessors.allSatisfy({ $0.groupingColumn != nil }) {
            var packed: UInt64 = 0
            for a in accessors { packed = packed << 32 | UInt64(context.store.symbol(a.groupingColumn!, of: event)) }
            key = .symbols(packed)
        } else {
            key = .text(display())
        }
        var value: UInt64 = 0
        if let field = c.valueField[input] {
            if case .column(let f) = field {
                value = ValueKey.symbol(context.store.symbol(f, of: event))
            } else {
                value = context.firstValue(field).map { ValueKey.text($0.lowercased()) } ?? 0
            }
        }
        if c.kind == .valueCount, value == 0 { return nil }
        if groups[correlationIndex].count >= Self.maximumGroups, groups[correlationIndex].peek(key) == nil {
            let horizon = time - c.timespan
            groups[correlationIndex].removeAll { $0.lastSeen < horizon }
        }
        return withGroup(correlationIndex, key, inputs: c.inputs.count) { group in
            group.lastSeen = time
            if time <= group.firedUntil {
                group.firedUntil = time + c.timespan
                return Firing(events: [event], first: time, last: time, groupKey: group.finding == nil ? display() : "", count: 1,
                              continuing: group.finding, group: key)
            }
            group.window.append(Match(time: time, input: Int32(input), event: event, value: value))
            if value != 0 { group.valueCounts[value, default: 0] += 1 }
            group.inputCounts[input] += 1
            // Drop what fell out of the window (and keep the window bounded on a flood).
            while group.head < group.window.count, group.window[group.head].time < time - c.timespan { group.evictFirst() }
            while group.liveCount > Self.maximumWindow { group.evictFirst() }
            if group.head > 64, group.head * 2 > group.window.count {
                group.window.removeFirst(group.head)
                group.head = 0
            }
            let fired: Bool
            switch c.kind {
            case .eventCount:
                fired = !c.condition.needsClosedWindow && c.condition.holds(Double(group.liveCount))
            case .valueCount:
                fired = !c.condition.needsClosedWindow && c.condition.holds(Double(group.valueCounts.count))
            case .temporal:
                fired = c.condition.holds(Double(group.inputCounts.count { $0 > 0 }))
            case .temporalOrdered:
                // Only a match of the last input can complete the sequence. CloudTrail times have one-second
                // resolution and files are not sorted within a second: matches in one second count in listed order.
                if input == c.inputs.count - 1, group.inputCounts.allSatisfy({ $0 > 0 }) {
                    var next = 0
                    for m in group.window[group.head...].sorted(by: { ($0.time, $0.input) < ($1.time, $1.input) }) where Int(m.input) == next {
                        next += 1
                        if next == c.inputs.count { break }
                    }
                    fired = next == c.inputs.count
                } else {
                    fired = false
                }
            }
            guard fired else { return nil }
            let live = group.window[group.head...]
            let firing = Firing(events: live.map(\.event), first: live.first!.time, last: time, groupKey: display(), count: live.count,
                                continuing: nil, group: key)
            group.reset()
            group.firedUntil = time + c.timespan
            return firing
        }
    }

    /// Runs `body` on a group's state in place (no copy of its window per match).
    private mutating func withGroup<R>(_ c: Int, _ key: GroupKey, inputs: Int, _ body: (inout Group) -> R) -> R {
        // One lookup: the group is made in place when it is new.
        groups[c].update(key, orInsert: { Group(inputCounts: Array(repeating: 0, count: inputs)) }, body)
    }
}

extension FieldAccessor {
    /// The column whose symbol identifies a group, for fields read from one.
    fileprivate var groupingColumn: IndexedField? {
        switch self {
        case .column(let f): f
        case .principalARN: .principal
        default: nil
        }
    }
}
