import VigilCore
import VigilStore

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
        readsIdentityOrOutcome = matchers.contains {
            switch $0.accessor {
            case .identityType, .errorCode: true
            default: false
            }
        }
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

    /// Whether the rule reads `userIdentity.type` or `errorCode`, the facts the dispatcher refines its lists
    /// with after `eventSource` and `eventName` (rules that do not read them need no second look).
    let readsIdentityOrOutcome: Bool

    /// Three-valued evaluation knowing only what the dispatcher knows of an event (``DispatchFacts``): false
    /// means the rule can never match such an event, so the dispatcher leaves it out.
    func mayMatch(_ facts: DispatchFacts) -> Bool {
        tri(condition, facts) != .no
    }

    private enum Tri { case yes, no, unknown }

    private func tri(_ node: ConditionNode, _ facts: DispatchFacts) -> Tri {
        switch node {
        case .field(let i):
            let m = matchers[i]
            // The values the matcher would see (as ``EventContext/values(_:)`` gives them), when the facts fix them.
            let values: [String?]
            switch m.accessor {
            case .column(.service): values = [facts.service]
            case .column(.action): values = [facts.action]
            case .identityType:
                guard let type = facts.identityType else { return .unknown }
                values = [type]
            case .errorCode:
                // Only failures carry an error code.
                guard !facts.failed else { return .unknown }
                values = []
            default: return .unknown
            }
            for p in m.patterns {
                if p.usesFoldedBytes { continue }
                if case .null = p { continue }
                return .unknown
            }
            return m.evaluate(values, context: nil) ? .yes : .no
        case .keyword: return .unknown
        case .constant(let b): return b ? .yes : .no
        case .not(let n):
            switch tri(n, facts) {
            case .yes: return .no
            case .no: return .yes
            case .unknown: return .unknown
            }
        case .and(let nodes):
            var result = Tri.yes
            for n in nodes {
                switch tri(n, facts) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case .or(let nodes):
            var result = Tri.no
            for n in nodes {
                switch tri(n, facts) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        }
    }
}

/// What the dispatcher knows of an event before any rule runs, from its columns: the rules that cannot match
/// an event with these facts are left out of its candidates (once per combination, not once per event).
struct DispatchFacts {
    var service: String
    var action: String
    /// The identity type's name when the row's type code gives it (what `userIdentity.type` reads); nil when the
    /// record is read for it.
    var identityType: String?
    /// Whether the event failed: a successful one has no `errorCode`.
    var failed: Bool
}

/// Per-symbol memo of column matchers: a rule on `eventSource` or `userAgent` is decided once per distinct value.
///
/// One open-addressing table for every matcher, keyed by (memo slot, symbol): a lookup is a multiply and a probe,
/// with no dictionary (nor its reference counting) per matcher.
final class MatchMemo {
    private var keys: [UInt64]
    /// Per entry: 0 or 1, the matcher's result for the symbol; ``readEveryTime`` when the symbol does not decide
    /// it (a principal column holding no ARN, an unknown identity type, an attribute the combination left
    /// uncaptured), so the record is read for each event.
    private var results: [UInt8]
    private var used = 0
    private static let readEveryTime: UInt8 = 2

    /// The store's columns for the run being matched (``use(_:)``), nil outside. Symbols are read through it
    /// (pointer reads) rather than through the store's methods; kept behind a pointer so that a read does not
    /// copy the reader.
    private let reader = UnsafeMutablePointer<ColumnReader?>.allocate(capacity: 1)

    init(slots: Int) {
        keys = Array(repeating: .max, count: 1 << 12)
        results = Array(repeating: 0, count: 1 << 12)
        reader.initialize(to: nil)
    }

    deinit {
        reader.deinitialize(count: 1)
        reader.deallocate()
    }

    /// Reads symbols through `columns` until ``stopUsingColumns()``; valid only inside `withColumnReader`.
    func use(_ columns: ColumnReader) { reader.pointee = columns }

    func stopUsingColumns() { reader.pointee = nil }

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

    private func remember(_ key: UInt64, _ result: UInt8, at index: Int) {
        keys[index] = key
        results[index] = result
        used += 1
        guard used * 2 > keys.count else { return }
        let oldKeys = keys, oldResults = results
        keys = Array(repeating: .max, count: oldKeys.count * 2)
        results = Array(repeating: 0, count: oldKeys.count * 2)
        for (k, key) in oldKeys.enumerated() where key != .max {
            let slot = lookup(key).index
            keys[slot] = key
            results[slot] = oldResults[k]
        }
    }

    func evaluate(_ matcher: FieldMatcher, _ context: EventContext) -> Bool {
        let slot = matcher.memoSlot
        guard slot >= 0 else { return matcher.evaluate(context.values(matcher.accessor), context: context) }
        let id = context.id
        // The symbol that decides the matcher: the column's, or the row's attribute combination.
        let symbol: UInt32
        if reader.pointee != nil {
            if let column = matcher.memoColumn {
                symbol = reader.pointee!.symbol(column, of: id)
            } else {
                symbol = reader.pointee!.attributeSet(of: id)
            }
        } else {
            symbol = matcher.memoColumn.map { context.store.symbol($0, of: id) } ?? context.store.attributeSet(of: id)
        }
        let key = UInt64(slot) << 32 | UInt64(symbol)
        let (found, index) = lookup(key)
        if found {
            let known = results[index]
            if known != Self.readEveryTime { return known == 1 }
            return matcher.evaluate(context.values(matcher.accessor), context: context)
        }
        let result = matcher.evaluate(context.values(matcher.accessor), context: context)
        remember(key, Self.decides(symbol, matcher.accessor, context.store) ? (result ? 1 : 0) : Self.readEveryTime, at: index)
        return result
    }

    /// Whether the symbol alone decides the matcher, or the values were read from the record (see
    /// ``EventContext/values(_:)``): a question about the symbol only, so it is asked once per symbol.
    private static func decides(_ symbol: UInt32, _ accessor: FieldAccessor, _ store: EventStore) -> Bool {
        switch accessor {
        case .attribute(let attribute): return store.attribute(attribute, inSet: symbol) != .unknown
        case .principalARN: return symbol != 0 && store.symbols[symbol].hasPrefix("arn:")
        case .identityType:
            return symbol != 0 && Principal.IdentityType.allCases[Int(symbol) - 1] != .unknown
        default: return true
        }
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
