import VigilCore
import VigilStore

/// One compiled `field|modifiers: values` condition (a class: the engine passes it by reference).
final class FieldMatcher: @unchecked Sendable {
    let field: String
    let accessor: FieldAccessor
    let patterns: [ValuePattern]
    /// `|all`: every pattern must match (some value each); otherwise any one pattern.
    let requireAll: Bool
    let cased: Bool
    /// Index of this matcher's per-symbol memo table in the engine, or -1 when the result cannot be memoised.
    /// Assigned by the compiler before the rule is shared.
    var memoSlot: Int = -1
    /// The column whose symbol decides a memoised matcher; nil for attributes (decided by the row's combination).
    let memoColumn: IndexedField?

    /// Whether any pattern compares case-folded bytes (regexes, CIDR blocks and numbers read the original text).
    private let foldsValues: Bool

    init(field: String, accessor: FieldAccessor, patterns: [ValuePattern], requireAll: Bool, cased: Bool) {
        foldsValues = patterns.contains { p in
            if p.usesFoldedBytes { return true }
            if case .fieldReference = p { return true }
            return false
        }
        self.field = field
        self.accessor = accessor
        memoColumn = accessor.memoisedColumn
        self.patterns = patterns
        self.requireAll = requireAll
        self.cased = cased
    }

    /// Whether the matcher's result depends on this field alone, so it can be cached per column symbol.
    var isMemoisable: Bool {
        accessor.isMemoisable && !patterns.contains { if case .fieldReference = $0 { true } else { false } }
    }

    /// Evaluates against the field's values: empty when absent, nil entries for JSON null.
    func evaluate(_ values: [String?], context: EventContext?) -> Bool {
        if patterns.isEmpty { return false }
        // Each value is folded once, not once per pattern: a rule may list dozens of values.
        let folded: [[UInt8]?] = foldsValues ? values.map { v in v.map { cased ? Array($0.utf8) : foldCase(Array($0.utf8)) } } : []
        if requireAll {
            for p in patterns where !test(p, values, folded, context) { return false }
            return true
        }
        for p in patterns where test(p, values, folded, context) { return true }
        return false
    }

    private func test(_ pattern: ValuePattern, _ values: [String?], _ folded: [[UInt8]?], _ context: EventContext?) -> Bool {
        switch pattern {
        case .null:
            return values.isEmpty || values.contains { $0 == nil }
        case .exists(let wanted):
            return values.contains { $0 != nil } == wanted
        case .fieldReference(let other, let position):
            guard let context else { return false }
            let references = context.values(other).compactMap { $0.map { cased ? Array($0.utf8) : foldCase(Array($0.utf8)) } }
            for case let mine? in folded {
                for r in references {
                    switch position {
                    case .whole: if mine == r { return true }
                    case .contains: if r.isEmpty || mine.withUnsafeBytes({ ByteSearch.contains($0, r) }) { return true }
                    case .prefix: if mine.starts(with: r) { return true }
                    case .suffix: if mine.count >= r.count && mine[(mine.count - r.count)...].elementsEqual(r) { return true }
                    }
                }
            }
            return false
        default:
            let usesFolded = pattern.usesFoldedBytes
            for (k, v) in values.enumerated() {
                guard let v else { continue }
                let bytes = usesFolded ? folded[k]! : Array(v.utf8)
                if pattern.matches(bytes, original: v, intel: context?.intel) { return true }
            }
            return false
        }
    }
}

/// A field-less keyword search: any (or, with `|all`, every) pattern found in the record's text.
struct KeywordMatcher: Sendable {
    let patterns: [ValuePattern]
    let requireAll: Bool

    func evaluate(_ context: EventContext) -> Bool {
        let text = context.foldedRecordText
        if requireAll {
            return patterns.allSatisfy { $0.matches(text, original: "", intel: nil) }
        }
        return patterns.contains { $0.matches(text, original: "", intel: nil) }
    }
}

/// A compiled condition tree over a rule's matchers.
indirect enum ConditionNode: Sendable {
    case field(Int)
    case keyword(Int)
    case and([ConditionNode])
    case or([ConditionNode])
    case not(ConditionNode)
    case constant(Bool)
}
