import VigilCore

/// A rule ready to run: matchers over one kind of event and the condition that combines them.
///
/// A class, so that the engine's inner loop passes references rather than copying the rule's arrays.
final class CompiledRule: @unchecked Sendable {
    let rule: DetectionRule
    let kind: EventKind
    let matchers: [FieldMatcher]
    let keywords: [KeywordMatcher]
    let condition: ConditionNode
    /// `condition` flattened for the inner loop: walking it takes no reference counting.
    private let program: ConditionProgram
    /// The matchers again, unretained (`matchers` keeps them alive): reading one in the inner loop costs no
    /// reference counting.
    private let matcherRefs: UnsafeMutableBufferPointer<Unmanaged<FieldMatcher>>

    deinit { matcherRefs.deallocate() }
    /// Where the folding entity is read from; nil means the default for the kind.
    let entity: FieldAccessor?
    /// Whether a match is reported as a finding (false when only correlations consume it). Set while the rule
    /// set is built, never after.
    var generates: Bool

    init(rule: DetectionRule, kind: EventKind, matchers: [FieldMatcher], keywords: [KeywordMatcher],
         condition: ConditionNode, entity: FieldAccessor?, generates: Bool) {
        self.rule = rule
        self.kind = kind
        self.matchers = matchers
        self.keywords = keywords
        self.condition = Self.cheapestFirst(condition, matchers)
        self.program = ConditionProgram(self.condition)
        matcherRefs = .allocate(capacity: matchers.count)
        for (k, m) in matchers.enumerated() { matcherRefs.initializeElement(at: k, to: Unmanaged.passUnretained(m)) }
        self.entity = entity
        self.generates = generates
    }

    /// Reorders `and`/`or` terms so memoised column tests run before record reads: they decide most events
    /// (an `and` fails early on `eventName`) without touching the raw JSON.
    private static func cheapestFirst(_ node: ConditionNode, _ matchers: [FieldMatcher]) -> ConditionNode {
        func cost(_ n: ConditionNode) -> Int {
            switch n {
            case .field(let i): return matchers[i].memoSlot >= 0 ? 1 : 10
            case .keyword: return 50
            case .constant: return 0
            case .not(let inner): return cost(inner)
            case .and(let terms), .or(let terms): return terms.map(cost).max() ?? 0
            }
        }
        switch node {
        case .and(let terms): return .and(terms.map { cheapestFirst($0, matchers) }.enumerated().sorted { (cost($0.element), $0.offset) < (cost($1.element), $1.offset) }.map(\.element))
        case .or(let terms): return .or(terms.map { cheapestFirst($0, matchers) }.enumerated().sorted { (cost($0.element), $0.offset) < (cost($1.element), $1.offset) }.map(\.element))
        case .not(let inner): return .not(cheapestFirst(inner, matchers))
        default: return node
        }
    }

    func matches(_ context: EventContext, memo: MatchMemo) -> Bool {
        program.run(0, matchers: matcherRefs, keywords: keywords, context, memo)
    }

    /// Three-valued evaluation knowing only the event's `eventSource` and `eventName`: false means the rule can
    /// never match such an event, so the dispatcher leaves it out.
    func mayMatch(service: String, action: String) -> Bool {
        tri(condition, service, action) != .no
    }

    private enum Tri { case yes, no, unknown }

    private func tri(_ node: ConditionNode, _ service: String, _ action: String) -> Tri {
        switch node {
        case .field(let i):
            let m = matchers[i]
            let value: String
            switch m.accessor {
            case .column(.service): value = service
            case .column(.action): value = action
            default: return .unknown
            }
            for p in m.patterns {
                if p.usesFoldedBytes { continue }
                if case .null = p { continue }
                return .unknown
            }
            return m.evaluate([value], context: nil) ? .yes : .no
        case .keyword: return .unknown
        case .constant(let b): return b ? .yes : .no
        case .not(let n):
            switch tri(n, service, action) {
            case .yes: return .no
            case .no: return .yes
            case .unknown: return .unknown
            }
        case .and(let nodes):
            var result = Tri.yes
            for n in nodes {
                switch tri(n, service, action) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case .or(let nodes):
            var result = Tri.no
            for n in nodes {
                switch tri(n, service, action) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        }
    }
}

/// Per-symbol memo of column matchers: a rule on `eventSource` or `userAgent` is decided once per distinct value.
///
/// One open-addressing table for every matcher, keyed by (memo slot, symbol): a lookup is a multiply and a probe,
/// with no dictionary (nor its reference counting) per matcher.
final class MatchMemo {
    private var keys: [UInt64]
    private var results: [Bool]
    private var used = 0

    init(slots: Int) {
        keys = Array(repeating: .max, count: 1 << 12)
        results = Array(repeating: false, count: 1 << 12)
    }

    @inline(__always)
    private func lookup(_ key: UInt64) -> (found: Bool, index: Int) {
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while true {
            let k = keys[i]
            if k == key { return (true, i) }
            if k == .max { return (false, i) }
            i = (i + 1) & mask
        }
    }

    private func remember(_ key: UInt64, _ result: Bool, at index: Int) {
        keys[index] = key
        results[index] = result
        used += 1
        guard used * 2 > keys.count else { return }
        let oldKeys = keys, oldResults = results
        keys = Array(repeating: .max, count: oldKeys.count * 2)
        results = Array(repeating: false, count: oldKeys.count * 2)
        for (k, key) in oldKeys.enumerated() where key != .max {
            let slot = lookup(key).index
            keys[slot] = key
            results[slot] = oldResults[k]
        }
    }

    func evaluate(_ matcher: FieldMatcher, _ context: EventContext) -> Bool {
        guard matcher.memoSlot >= 0 else {
            return matcher.evaluate(context.values(matcher.accessor), context: context)
        }
        let symbol: UInt32
        if case .attribute(let attribute) = matcher.accessor {
            // Rows whose combination does not know the attribute read the record: not the combination's result.
            let set = context.store.attributeSet(of: context.id)
            guard context.store.attribute(attribute, inSet: set) != .unknown else {
                return matcher.evaluate(context.values(matcher.accessor), context: context)
            }
            symbol = set
        } else if let column = matcher.accessor.memoisedColumn {
            symbol = context.store.symbol(column, of: context.id)
        } else {
            return matcher.evaluate(context.values(matcher.accessor), context: context)
        }
        let key = UInt64(matcher.memoSlot) << 32 | UInt64(symbol)
        let (found, index) = lookup(key)
        if found { return results[index] }
        let result = matcher.evaluate(context.values(matcher.accessor), context: context)
        // A principal column without an ARN, or an identity type the column does not know, sent the read to the
        // record: that result is not the symbol's to remember.
        switch matcher.accessor {
        case .principalARN where context.store.value(.principal, of: context.id)?.hasPrefix("arn:") != true: return result
        case .identityType where context.store.value(.principalType, of: context.id) ?? "Unknown" == "Unknown": return result
        default: break
        }
        remember(key, result, at: index)
        return result
    }
}

/// A condition tree as a flat array in prefix order, each node knowing where its subtree ends, so that
/// evaluation short-circuits by index instead of walking boxed enum cases (and their reference counts).
final class ConditionProgram: @unchecked Sendable {
    enum Op: UInt8, Sendable { case field, keyword, and, or, not, constantTrue, constantFalse }

    struct Node {
        var op: Op
        var operand: Int32
        /// Index just past the node's subtree.
        var end: Int32
    }

    private let nodes: UnsafeMutableBufferPointer<Node>

    init(_ root: ConditionNode) {
        var list: [Node] = []
        func append(_ node: ConditionNode) {
            let at = list.count
            list.append(Node(op: .constantFalse, operand: 0, end: 0))
            switch node {
            case .field(let i): list[at].op = .field; list[at].operand = Int32(i)
            case .keyword(let i): list[at].op = .keyword; list[at].operand = Int32(i)
            case .constant(let b): list[at].op = b ? .constantTrue : .constantFalse
            case .not(let inner): list[at].op = .not; append(inner)
            case .and(let terms): list[at].op = .and; for t in terms { append(t) }
            case .or(let terms): list[at].op = .or; for t in terms { append(t) }
            }
            list[at].end = Int32(list.count)
        }
        append(root)
        nodes = .allocate(capacity: list.count)
        _ = nodes.initialize(from: list)
    }

    deinit { nodes.deallocate() }

    /// Evaluates the subtree at `pc`.
    func run(_ pc: Int, matchers: UnsafeMutableBufferPointer<Unmanaged<FieldMatcher>>, keywords: [KeywordMatcher],
             _ context: EventContext, _ memo: MatchMemo) -> Bool {
        let node = nodes[pc]
        switch node.op {
        case .field:
            return matchers[Int(node.operand)]._withUnsafeGuaranteedRef { memo.evaluate($0, context) }
        case .keyword: return keywords[Int(node.operand)].evaluate(context)
        case .constantTrue: return true
        case .constantFalse: return false
        case .not: return !run(pc + 1, matchers: matchers, keywords: keywords, context, memo)
        case .and:
            var child = pc + 1
            let end = Int(node.end)
            while child < end {
                if !run(child, matchers: matchers, keywords: keywords, context, memo) { return false }
                child = Int(nodes[child].end)
            }
            return true
        case .or:
            var child = pc + 1
            let end = Int(node.end)
            while child < end {
                if run(child, matchers: matchers, keywords: keywords, context, memo) { return true }
                child = Int(nodes[child].end)
            }
            return false
        }
    }
}
