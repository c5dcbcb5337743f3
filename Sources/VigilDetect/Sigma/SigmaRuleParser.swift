import VigilCore
import Yams

/// Reads Sigma YAML documents into ``DetectionRule`` values.
///
/// A file may hold several documents (`---`), as correlation rules usually do. Each bad document becomes a
/// ``RuleLoadError`` naming the file and line; the good ones are returned. Hostile files are bounded: a file over
/// ``maximumFileBytes`` is refused, and alias-expanded trees over ``maximumNodes`` nodes are cut off.
enum SigmaRuleParser {
    static let maximumFileBytes = 4 << 20
    static let maximumNodes = 200_000

    static func parse(text: String, file: String, builtIn: Bool) -> (rules: [DetectionRule], errors: [RuleLoadError]) {
        var rules: [DetectionRule] = []
        var errors: [RuleLoadError] = []
        guard text.utf8.count <= maximumFileBytes else {
            return ([], [RuleLoadError(file: file, line: 0, message: "file is larger than \(maximumFileBytes >> 20) MB; not a rule")])
        }
        do {
            var documents = try Yams.compose_all(yaml: text, .basic).makeIterator()
            while true {
                let next: Node?
                next = documents.next()
                if let error = documents.error { throw error }
                guard let node = next else { break }
                do {
                    var reader = NodeReader(file: file)
                    if let rule = try reader.rule(node, builtIn: builtIn) { rules.append(rule) }
                } catch {
                    errors.append(error)
                }
            }
        } catch let error as YamlError {
            errors.append(RuleLoadError(file: file, line: Self.line(of: error), message: "invalid YAML: \(Self.summary(of: error))"))
        } catch {
            errors.append(RuleLoadError(file: file, line: 0, message: "invalid YAML: \(error)"))
        }
        return (rules, errors)
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 0
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(problem) (column \(mark.column))"
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }
}

/// Walks one YAML document, counting nodes so an alias bomb cannot run forever.
struct NodeReader {
    let file: String
    var visited = 0
    var ruleName: String?

    init(file: String) { self.file = file }

    func fail(_ node: Node?, _ message: String) -> RuleLoadError {
        RuleLoadError(file: file, line: node?.mark?.line ?? 0, rule: ruleName, message: message)
    }

    mutating func count(_ node: Node) throws(RuleLoadError) {
        visited += 1
        if visited > SigmaRuleParser.maximumNodes {
            throw fail(node, "document is too large (over \(SigmaRuleParser.maximumNodes) nodes, aliases expanded)")
        }
    }

    /// A mapping's pairs with string keys.
    mutating func pairs(_ node: Node) throws(RuleLoadError) -> [(key: String, keyNode: Node, value: Node)] {
        try count(node)
        guard case .mapping(let mapping) = node else { throw fail(node, "expected a map") }
        var out: [(String, Node, Node)] = []
        for (k, v) in mapping {
            guard case .scalar(let s) = k else { throw fail(k, "map keys must be text") }
            out.append((s.string, k, v))
        }
        return out
    }

    mutating func string(_ node: Node, _ what: String) throws(RuleLoadError) -> String {
        try count(node)
        guard case .scalar(let s) = node else { throw fail(node, "\(what) must be text") }
        return s.string
    }

    mutating func strings(_ node: Node, _ what: String) throws(RuleLoadError) -> [String] {
        try count(node)
        switch node {
        case .scalar(let s): return s.string.isEmpty ? [] : [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq { out.append(try string(item, what)) }
            return out
        default: throw fail(node, "\(what) must be text or a list of text")
        }
    }

    /// A detection value with the type YAML gives it (quoted text is always text).
    mutating func value(_ node: Node) throws(RuleLoadError) -> SigmaValue {
        try count(node)
        guard case .scalar(let s) = node else { throw fail(node, "a value must be text, a number, a boolean or null") }
        if s.style != .plain { return .string(s.string) }
        let t = s.string
        switch t.lowercased() {
        case "", "null", "~": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if Double(t) != nil, t.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true { return .number(t) }
        return .string(t)
    }

    // MARK: Rule

    mutating func rule(_ node: Node, builtIn: Bool) throws(RuleLoadError) -> DetectionRule? {
        if case .scalar(let s) = node, s.string.isEmpty { return nil }  // an empty document
        let members = try pairs(node)
        var fields: [String: Node] = [:]
        for (key, _, value) in members { fields[key] = value }
        if let t = fields["title"], case .scalar(let s) = t { ruleName = s.string }
        guard let titleNode = fields["title"] else { throw fail(node, "missing 'title'") }
        let title = try string(titleNode, "title")
        var id = try optionalString(fields, "id")
        if id == nil { id = try optionalString(fields, "name") }
        guard let id, !id.isEmpty else {
            throw fail(node, "missing 'id'")
        }
        ruleName = title
        var level = Severity.medium
        if let l = fields["level"] {
            let text = try string(l, "level")
            guard let parsed = Severity(sigmaLevel: text) else {
                throw fail(l, "unknown level '\(text)' (informational, low, medium, high or critical)")
            }
            level = parsed
        }
        let tags = try list(fields, "tags")
        var logSource = LogSource()
        if let ls = fields["logsource"] {
            for (key, _, value) in try pairs(ls) {
                switch key {
                case "product": logSource.product = try string(value, "logsource.product")
                case "service": logSource.service = try string(value, "logsource.service")
                case "category": logSource.category = try string(value, "logsource.category")
                default: break
                }
            }
        }
        let body: DetectionRule.Body
        if let detection = fields["detection"] {
            body = .detection(try self.detection(detection))
        } else if let correlation = fields["correlation"] {
            body = .correlation(try self.correlation(correlation))
        } else {
            throw fail(node, "neither 'detection' nor 'correlation'")
        }
        var extras = VigilRuleExtras()
        if let v = fields["vigil"] { extras = try self.extras(v) }
        return DetectionRule(
            id: id, name: try optionalString(fields, "name"), title: title, status: try optionalString(fields, "status"),
            description: try optionalString(fields, "description"), level: extras.severity ?? level, tags: tags,
            attack: AttackTags(tags: tags), logSource: logSource, falsePositives: try list(fields, "falsepositives"),
            fields: try list(fields, "fields"), references: try list(fields, "references"), author: try optionalString(fields, "author"),
            body: body, extras: extras,
            origin: RuleOrigin(file: file, line: node.mark?.line ?? 1, builtIn: builtIn))
    }

    mutating func optionalString(_ fields: [String: Node], _ key: String) throws(RuleLoadError) -> String? {
        guard let n = fields[key] else { return nil }
        return try string(n, key)
    }

    mutating func list(_ fields: [String: Node], _ key: String) throws(RuleLoadError) -> [String] {
        guard let n = fields[key] else { return [] }
        return try strings(n, key)
    }

    // MARK: Detection

    mutating func detection(_ node: Node) throws(RuleLoadError) -> SigmaDetection {
        var searches: [SigmaSearch] = []
        var conditions: [SigmaConditionText] = []
        var timeframe: String?
        for (key, keyNode, value) in try pairs(node) {
            switch key {
            case "condition":
                try count(value)
                switch value {
                case .scalar(let s): conditions.append(SigmaConditionText(text: s.string, line: value.mark?.line ?? 0))
                case .sequence(let seq):
                    for item in seq { conditions.append(SigmaConditionText(text: try string(item, "condition"), line: item.mark?.line ?? 0)) }
                default: throw fail(value, "condition must be text or a list of text")
                }
            case "timeframe":
                timeframe = try string(value, "timeframe")
            default:
                searches.append(try search(key, value, line: keyNode.mark?.line ?? 0))
            }
        }
        guard !conditions.isEmpty else { throw fail(node, "detection has no 'condition'") }
        return SigmaDetection(searches: searches, conditions: conditions, timeframe: timeframe)
    }

    mutating func search(_ name: String, _ node: Node, line: Int) throws(RuleLoadError) -> SigmaSearch {
        try count(node)
        switch node {
        case .mapping:
            return SigmaSearch(name: name, body: .maps([try fieldMap(node)]), line: line)
        case .sequence(let seq):
            if seq.allSatisfy({ if case .mapping = $0 { true } else { false } }) {
                var maps: [SigmaFieldMap] = []
                for item in seq { maps.append(try fieldMap(item)) }
                return SigmaSearch(name: name, body: .maps(maps), line: line)
            }
            var keywords: [SigmaValue] = []
            for item in seq {
                guard case .scalar = item else { throw fail(item, "search '\(name)' mixes maps and keywords") }
                keywords.append(try value(item))
            }
            return SigmaSearch(name: name, body: .keywords(keywords), line: line)
        case .scalar:
            return SigmaSearch(name: name, body: .keywords([try value(node)]), line: line)
        default:
            throw fail(node, "search '\(name)' must be a map, a list of maps or a list of keywords")
        }
    }

    mutating func fieldMap(_ node: Node) throws(RuleLoadError) -> SigmaFieldMap {
        var fields: [SigmaFieldCondition] = []
        for (key, keyNode, value) in try pairs(node) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            var values: [SigmaValue] = []
            try count(value)
            switch value {
            case .scalar: values = [try self.value(value)]
            case .sequence(let seq):
                for item in seq { values.append(try self.value(item)) }
            default:
                throw fail(value, "the value of '\(key)' must be a value or a list of values, not a map")
            }
            fields.append(SigmaFieldCondition(field: parts[0], modifiers: Array(parts.dropFirst()).map { $0.lowercased() },
                                              values: values, line: keyNode.mark?.line ?? 0))
        }
        return SigmaFieldMap(fields: fields)
    }

    // MARK: Correlation

    mutating func correlation(_ node: Node) throws(RuleLoadError) -> SigmaCorrelation {
        var kind: SigmaCorrelation.Kind?
        var rules: [String] = []
        var groupBy: [String] = []
        var timespan: Int64?
        var condition = SigmaCorrelation.Condition()
        var hasCondition = false
        var generate = false
        var aliases: [String: [String: String]] = [:]
        for (key, _, value) in try pairs(node) {
            switch key {
            case "type":
                let text = try string(value, "correlation type")
                guard let k = SigmaCorrelation.Kind(rawValue: text) else {
                    throw fail(value, "unknown correlation type '\(text)' (event_count, value_count, temporal, temporal_ordered)")
                }
                kind = k
            case "rules": rules = try strings(value, "correlation rules")
            case "group-by": groupBy = try strings(value, "group-by")
            case "timespan", "timeframe":
                let text = try string(value, "timespan")
                guard let ms = Timespan.milliseconds(text), ms > 0 else { throw fail(value, "bad timespan '\(text)' (e.g. 30s, 5m, 1h, 1d)") }
                timespan = ms
            case "generate":
                generate = try string(value, "generate").lowercased() == "true"
            case "condition":
                hasCondition = true
                for (op, _, v) in try pairs(value) {
                    if op == "field" { condition.field = try string(v, "condition field"); continue }
                    let text = try string(v, "condition value")
                    guard let n = Double(text) else { throw fail(v, "condition '\(op)' needs a number, not '\(text)'") }
                    switch op {
                    case "gt": condition.gt = n
                    case "gte": condition.gte = n
                    case "lt": condition.lt = n
                    case "lte": condition.lte = n
                    case "eq": condition.eq = n
                    default: throw fail(v, "unknown condition operator '\(op)' (gt, gte, lt, lte, eq)")
                    }
                }
            case "aliases":
                for (alias, _, mapping) in try pairs(value) {
                    var perRule: [String: String] = [:]
                    for (rule, _, field) in try pairs(mapping) { perRule[rule] = try string(field, "alias field") }
                    aliases[alias] = perRule
                }
            default:
                break
            }
        }
        guard let kind else { throw fail(node, "correlation has no 'type'") }
        guard !rules.isEmpty else { throw fail(node, "correlation names no 'rules'") }
        guard let timespan else { throw fail(node, "correlation has no 'timespan'") }
        switch kind {
        case .eventCount, .valueCount:
            guard hasCondition else { throw fail(node, "\(kind.rawValue) needs a 'condition'") }
            if kind == .valueCount, condition.field == nil { throw fail(node, "value_count needs 'condition.field'") }
        case .temporal, .temporalOrdered:
            if !hasCondition { condition.gte = Double(Set(rules).count) }
        }
        return SigmaCorrelation(kind: kind, rules: rules, groupBy: groupBy, timespanMilliseconds: timespan,
                                condition: condition, generate: generate, aliases: aliases)
    }

    // MARK: Vigil extras

    mutating func extras(_ node: Node) throws(RuleLoadError) -> VigilRuleExtras {
        var extras = VigilRuleExtras()
        for (key, _, value) in try pairs(node) {
            switch key {
            case "severity":
                let text = try string(value, "vigil.severity")
                guard let s = Severity(sigmaLevel: text) else { throw fail(value, "unknown severity '\(text)'") }
                extras.severity = s
            case "stratus": extras.stratus = try strings(value, "vigil.stratus")
            case "explanation": extras.explanation = try string(value, "vigil.explanation")
            case "why": extras.whyItMatters = try string(value, "vigil.why")
            case "next_steps", "next-steps": extras.nextSteps = try strings(value, "vigil.next_steps")
            case "entity": extras.entityField = try string(value, "vigil.entity")
            case "tests":
                try count(value)
                guard case .sequence(let seq) = value else { throw fail(value, "vigil.tests must be a list") }
                for item in seq { extras.tests.append(try testCase(item)) }
            default:
                throw fail(value, "unknown field 'vigil.\(key)' (severity, stratus, explanation, why, next_steps, entity, tests)")
            }
        }
        return extras
    }

    mutating func testCase(_ node: Node) throws(RuleLoadError) -> RuleTestCase {
        var name: String?
        var shouldMatch: Bool?
        var records: [[UInt8]] = []
        var intel: [String: [String]] = [:]
        for (key, _, value) in try pairs(node) {
            switch key {
            case "intel":
                for (list, _, entries) in try pairs(value) { intel[list] = try strings(entries, "test intel list") }
            case "name": name = try string(value, "test name")
            case "match": shouldMatch = try string(value, "test match").lowercased() == "true"
            case "event": records.append(try record(value))
            case "events":
                try count(value)
                guard case .sequence(let seq) = value else { throw fail(value, "test 'events' must be a list") }
                for item in seq { records.append(try record(item)) }
            default: throw fail(value, "unknown test field '\(key)' (name, match, event, events, intel)")
            }
        }
        guard let shouldMatch else { throw fail(node, "test needs 'match: true' or 'match: false'") }
        guard !records.isEmpty else { throw fail(node, "test has no 'event' or 'events'") }
        return RuleTestCase(name: name, shouldMatch: shouldMatch, records: records, line: node.mark?.line ?? 0, intel: intel)
    }

    /// A test event: a YAML map becomes a JSON record; text stays a raw line (flow and auth logs) or JSON text.
    mutating func record(_ node: Node) throws(RuleLoadError) -> [UInt8] {
        if case .scalar(let s) = node { return Array(s.string.utf8) }
        var out = ""
        try writeJSON(node, into: &out)
        return Array(out.utf8)
    }

    mutating func writeJSON(_ node: Node, into out: inout String) throws(RuleLoadError) {
        try count(node)
        switch node {
        case .mapping(let mapping):
            out += "{"
            var first = true
            for (k, v) in mapping {
                if !first { out += "," }
                first = false
                JSONValue.writeString(try string(k, "key"), into: &out)
                out += ":"
                try writeJSON(v, into: &out)
            }
            out += "}"
        case .sequence(let seq):
            out += "["
            for (i, item) in seq.enumerated() {
                if i > 0 { out += "," }
                try writeJSON(item, into: &out)
            }
            out += "]"
        case .scalar(let s):
            if s.style == .plain {
                switch s.string {
                case "null", "~", "": out += "null"; return
                case "true", "false": out += s.string; return
                default:
                    if Double(s.string) != nil, s.string.first.map({ $0.isNumber || $0 == "-" }) == true,
                       !s.string.hasPrefix("0") || s.string == "0" || s.string.hasPrefix("0.") {
                        out += s.string
                        return
                    }
                }
            }
            JSONValue.writeString(s.string, into: &out)
        case .alias:
            throw fail(node, "aliases are not allowed in test events")
        }
    }
}
