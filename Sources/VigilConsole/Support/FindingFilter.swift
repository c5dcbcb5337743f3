import VigilDetect
import VigilStore

/// The findings pane's filter: `severity>=high state:new rule:s3-* entity:jordan` and words found in titles.
///
/// Every term must match. `severity` (`sev`) takes `:`, `=`, `>`, `>=`, `<`, `<=`; `rule` takes a glob on the
/// rule id; `entity` and bare words are case-insensitive substrings.
struct FindingFilter: Equatable, Sendable {
    enum Term: Equatable, Sendable {
        case severity(ComparisonOperator, Severity)
        case state(String)
        case rule(QueryPattern)
        case entity(String)
        case text(String)
    }

    var terms: [Term] = []

    var isEmpty: Bool { terms.isEmpty }

    static func parse(_ text: String) throws(FilterError) -> FindingFilter {
        var filter = FindingFilter()
        var column = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            defer { column += word.count + 1 }
            guard !word.isEmpty else { continue }
            filter.terms.append(try term(word, column: column))
        }
        return filter
    }

    private static func term(_ word: String, column: Int) throws(FilterError) -> Term {
        let operators: [(String, ComparisonOperator)] = [(">=", .greaterOrEqual), ("<=", .lessOrEqual), (">", .greater),
                                                         ("<", .less), (":", .equal), ("=", .equal)]
        guard let split = word.firstIndex(where: { ":=<>".contains($0) }) else { return .text(word.lowercased()) }
        let field = word[..<split].lowercased()
        let rest = word[split...]
        guard let (symbol, op) = operators.first(where: { rest.hasPrefix($0.0) }) else { return .text(word.lowercased()) }
        let value = String(rest.dropFirst(symbol.count))
        let valueColumn = column + field.count + symbol.count
        guard !value.isEmpty else {
            throw FilterError(message: "expected a value after '\(field)\(symbol)'", column: valueColumn)
        }
        if field != "severity" && field != "sev" && op != .equal {
            throw FilterError(message: "'\(symbol)' only compares severities (write \(field):VALUE)", column: column + field.count)
        }
        switch field {
        case "severity", "sev":
            guard let level = Severity.allCases.first(where: { $0.description == value.lowercased() }) else {
                throw FilterError(message: "unknown severity '\(value)': expected info, low, medium, high or critical",
                                  column: valueColumn)
            }
            return .severity(op, level)
        case "state":
            guard value.lowercased() == "new" else {
                throw FilterError(message: "unknown state '\(value)': findings are all 'new' until triage arrives",
                                  column: valueColumn)
            }
            return .state(value.lowercased())
        case "rule": return .rule(QueryPattern(glob: value))
        case "entity": return .entity(value.lowercased())
        default:
            throw FilterError(message: "unknown field '\(field)': expected severity, state, rule or entity", column: column)
        }
    }

    func matches(_ finding: Finding) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .severity(let op, let level): op.evaluate(finding.severity, level)
            case .state(let state): state == "new"
            case .rule(let pattern): pattern.matches(finding.ruleID)
            case .entity(let text): finding.entities.contains { $0.description.lowercased().contains(text) }
            case .text(let text): finding.title.lowercased().contains(text)
            }
        }
    }
}
