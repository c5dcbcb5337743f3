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
        evaluate(condition, context, memo)
    }

    private func evaluate(_ node: ConditionNode, _ context: EventContext, _ memo: MatchMemo) -> Bool {
        switch node {
        case .field(let i): return memo.evaluate(matchers[i], context)
        case .keyword(let i): return keywords[i].evaluate(context)
        case .and(let nodes):
            for n in nodes where !evaluate(n, context, memo) { return false }
            return true
        case .or(let nodes):
            for n in nodes where evaluate(n, context, memo) { return true }
            return false
        case .not(let n): return !evaluate(n, context, memo)
        case .constant(let b): return b
        }
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
final class MatchMemo {
    private var tables: [[UInt32: Bool]]

    init(slots: Int) { tables = Array(repeating: [:], count: slots) }

    func evaluate(_ matcher: FieldMatcher, _ context: EventContext) -> Bool {
        guard matcher.memoSlot >= 0, let column = matcher.accessor.memoisedColumn else {
            return matcher.evaluate(context.values(matcher.accessor), context: context)
        }
        let symbol = context.store.symbol(column, of: context.id)
        if let known = tables[matcher.memoSlot][symbol] { return known }
        let result = matcher.evaluate(context.values(matcher.accessor), context: context)
        // A principal column without an ARN, or an identity type the column does not know, sent the read to the
        // record: that result is not the symbol's to remember.
        switch matcher.accessor {
        case .principalARN where context.store.value(.principal, of: context.id)?.hasPrefix("arn:") != true: return result
        case .identityType where context.store.value(.principalType, of: context.id) ?? "Unknown" == "Unknown": return result
        default: break
        }
        tables[matcher.memoSlot][symbol] = result
        return result
    }
}
