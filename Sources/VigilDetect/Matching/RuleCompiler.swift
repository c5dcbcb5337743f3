import VigilCore

/// Turns parsed Sigma detections into ``CompiledRule`` values: modifiers into value patterns, field names into
/// accessors, the condition into a tree over the matchers.
struct RuleCompiler {
    var placeholders: Placeholders
    /// The next free memo slot (slots are numbered across all rules of a set).
    var nextMemoSlot = 0

    /// Lists longer than this are refused: a rule is not a threat feed (use `--intel` lists for those).
    static let maximumValues = 100_000

    init(placeholders: Placeholders) { self.placeholders = placeholders }

    struct Output {
        var rules: [CompiledRule]
        /// A legacy `| count()` or `| near` aggregation, to become a correlation over `rules`.
        var aggregation: LegacyAggregation?
    }

    mutating func compile(_ rule: DetectionRule, _ detection: SigmaDetection) throws(RuleLoadError) -> Output {
        guard let kind = rule.logSource.eventKind else {
            throw error(rule, rule.origin.line, "log source \(describe(rule.logSource)) is not one Vigil reads (aws cloudtrail, vpcflowlogs, guardduty, route53; linux sshd)")
        }
        var matchers: [FieldMatcher] = []
        var keywords: [KeywordMatcher] = []
        var searchNodes: [(name: String, node: ConditionNode)] = []
        for search in detection.searches {
            switch search.body {
            case .maps(let maps):
                var alternatives: [ConditionNode] = []
                for map in maps {
                    var all: [ConditionNode] = []
                    for condition in map.fields {
                        if condition.field.isEmpty {
                            keywords.append(try keywordMatcher(rule, condition.values, modifiers: condition.modifiers, line: condition.line))
                            all.append(.keyword(keywords.count - 1))
                            continue
                        }
                        let matcher = try fieldMatcher(rule, condition, kind: kind)
                        if matcher.isMemoisable {
                            matcher.memoSlot = nextMemoSlot
                            nextMemoSlot += 1
                        }
                        matchers.append(matcher)
                        all.append(.field(matchers.count - 1))
                    }
                    alternatives.append(all.count == 1 ? all[0] : .and(all))
                }
                searchNodes.append((search.name, alternatives.count == 1 ? alternatives[0] : .or(alternatives)))
            case .keywords(let values):
                keywords.append(try keywordMatcher(rule, values, modifiers: [], line: search.line))
                searchNodes.append((search.name, .keyword(keywords.count - 1)))
            }
        }
        var conditions: [ConditionNode] = []
        var aggregation: LegacyAggregation?
        var nearNode: ConditionNode?
        for text in detection.conditions {
            let parsed: (SigmaCondition, LegacyAggregation?)
            do { parsed = try SigmaConditionParser.parse(text.text) } catch {
                throw self.error(rule, text.line, "condition '\(text.text)': \(error.message) at column \(error.offset + 1)")
            }
            conditions.append(try resolve(parsed.0, searchNodes, rule, text.line))
            if let a = parsed.1 {
                guard aggregation == nil, detection.conditions.count == 1 else {
                    throw error(rule, text.line, "an aggregation (| count(), | near) needs a single condition")
                }
                aggregation = a
                if case .near(let other) = a { nearNode = try resolve(other, searchNodes, rule, text.line) }
            }
        }
        let entity = try rule.extras.entityField.map { field throws(RuleLoadError) -> FieldAccessor in
            guard let a = FieldAccessor.resolve(field, kind: kind) else { throw error(rule, rule.origin.line, "unknown entity field '\(field)'") }
            return a
        }
        let base = CompiledRule(rule: rule, kind: kind, matchers: matchers, keywords: keywords,
                                condition: conditions.count == 1 ? conditions[0] : .or(conditions),
                                entity: entity, generates: aggregation == nil)
        var rules = [base]
        if let nearNode {
            rules.append(CompiledRule(rule: rule, kind: kind, matchers: matchers, keywords: keywords, condition: nearNode,
                                      entity: entity, generates: false))
        }
        return Output(rules: rules, aggregation: aggregation)
    }

    private func describe(_ source: LogSource) -> String {
        [source.product, source.service, source.category].compactMap { $0 }.joined(separator: "/")
    }

    private func error(_ rule: DetectionRule, _ line: Int, _ message: String) -> RuleLoadError {
        RuleLoadError(file: rule.origin.file, line: line, rule: rule.title, message: message)
    }

    // MARK: Condition

    private func resolve(_ c: SigmaCondition, _ searches: [(name: String, node: ConditionNode)], _ rule: DetectionRule,
                         _ line: Int) throws(RuleLoadError) -> ConditionNode {
        switch c {
        case .search(let name):
            guard let found = searches.first(where: { $0.name == name }) else {
                throw error(rule, line, "condition names '\(name)', which the detection does not define")
            }
            return found.node
        case .oneOf(let pattern), .allOf(let pattern):
            let glob = Glob(pattern, cased: true)
            let selected = searches.filter { glob.matches(Array($0.name.utf8)) }.map(\.node)
            guard !selected.isEmpty else {
                throw error(rule, line, "condition '\(pattern == "*" ? "them" : pattern)' matches no search of the detection")
            }
            if case .allOf = c { return selected.count == 1 ? selected[0] : .and(selected) }
            return selected.count == 1 ? selected[0] : .or(selected)
        case .not(let inner): return .not(try resolve(inner, searches, rule, line))
        case .and(let terms):
            var out: [ConditionNode] = []
            for t in terms { out.append(try resolve(t, searches, rule, line)) }
            return .and(out)
        case .or(let terms):
            var out: [ConditionNode] = []
            for t in terms { out.append(try resolve(t, searches, rule, line)) }
            return .or(out)
        }
    }

    // MARK: Values and modifiers

    private func keywordMatcher(_ rule: DetectionRule, _ values: [SigmaValue], modifiers: [String], line: Int) throws(RuleLoadError) -> KeywordMatcher {
        var all = false
        var cased = false
        for m in modifiers {
            switch m {
            case "all": all = true
            case "contains": break
            case "cased": cased = true
            default: throw error(rule, line, "modifier '\(m)' is not supported on keywords")
            }
        }
        let patterns = values.compactMap { v -> ValuePattern? in
            if case .null = v { return nil }
            return .wildcard("*" + v.text + "*", cased: cased)
        }
        return KeywordMatcher(patterns: patterns, requireAll: all)
    }

    private func fieldMatcher(_ rule: DetectionRule, _ condition: SigmaFieldCondition, kind: EventKind) throws(RuleLoadError) -> FieldMatcher {
        let line = condition.line
        guard let accessor = FieldAccessor.resolve(condition.field, kind: kind) else {
            throw error(rule, line, "'\(condition.field)' is not a field of \(kind) events")
        }
        guard condition.values.count <= Self.maximumValues else {
            throw error(rule, line, "'\(condition.field)' lists \(condition.values.count) values; the limit is \(Self.maximumValues) (load long lists with --intel)")
        }
        enum Position { case whole, contains, starts, ends }
        enum Special { case none, regex, cidr, compare(ValuePattern.Comparison), exists, fieldReference, intel }
        var position = Position.whole
        var special = Special.none
        var all = false, cased = false, expand = false, windash = false
        var base64 = 0  // 1: base64, 2: base64offset
        var regexOptions: SafeRegex.Options = []
        for m in condition.modifiers {
            switch m {
            case "contains": position = .contains
            case "startswith": position = .starts
            case "endswith": position = .ends
            case "all": all = true
            case "cased": cased = true
            case "re": special = .regex
            case "i": regexOptions.insert(.caseInsensitive)
            case "m": regexOptions.insert(.multiline)
            case "s": regexOptions.insert(.dotMatchesNewline)
            case "cidr": special = .cidr
            case "gt": special = .compare(.gt)
            case "gte": special = .compare(.gte)
            case "lt": special = .compare(.lt)
            case "lte": special = .compare(.lte)
            case "exists": special = .exists
            case "fieldref": special = .fieldReference
            case "intel": special = .intel
            case "expand": expand = true
            case "windash": windash = true
            case "base64": base64 = 1
            case "base64offset": base64 = 2
            case "utf16le", "utf16be", "utf16", "wide":
                throw error(rule, line, "modifier '\(m)' (UTF-16 encodings for Windows logs) is not supported on AWS logs")
            case "":
                throw error(rule, line, "empty modifier in '\(condition.field)|\(condition.modifiers.joined(separator: "|"))'")
            default:
                throw error(rule, line, "unknown modifier '\(m)'")
            }
        }
        var values = condition.values
        if expand {
            var expanded: [SigmaValue] = []
            for v in values {
                let name = v.text
                guard let list = placeholders.lookup(name) else {
                    throw error(rule, line, "needs placeholder '\(name)': pass a placeholder file (--placeholders FILE) that defines it")
                }
                expanded += list.map { .string($0) }
            }
            values = expanded
        }
        var patterns: [ValuePattern] = []
        for value in values {
            if case .null = value {
                if case .exists = special {} else { patterns.append(.null); continue }
            }
            let text = value.text
            switch special {
            case .regex:
                do { patterns.append(.regex(try SafeRegex(text, options: regexOptions))) } catch {
                    throw self.error(rule, line, "regular expression '\(text)': \(error)")
                }
            case .cidr:
                guard let block = CIDRBlock(text) ?? IPAddress(text).map({ CIDRBlock(network: $0, prefixLength: $0.isV4 ? 32 : 128) }) else {
                    throw error(rule, line, "'\(text)' is not a CIDR block")
                }
                patterns.append(.cidr(block))
            case .compare(let op):
                guard let n = Double(text) else { throw error(rule, line, "'\(text)' is not a number (|\(op.rawValue))") }
                patterns.append(.compare(op, n))
            case .exists:
                guard case .bool(let b) = value else { throw error(rule, line, "|exists takes true or false, not '\(text)'") }
                patterns.append(.exists(b))
            case .fieldReference:
                guard let other = FieldAccessor.resolve(text, kind: kind) else { throw error(rule, line, "'\(text)' is not a field of \(kind) events") }
                let where_: ValuePattern.Position = switch position {
                case .whole: .whole
                case .contains: .contains
                case .starts: .prefix
                case .ends: .suffix
                }
                patterns.append(.fieldReference(other, where_))
            case .intel:
                patterns.append(.intel(text))
            case .none:
                var variants = windash ? Self.windashVariants(text) : [text]
                if base64 > 0 {
                    variants = variants.flatMap { base64 == 1 ? [Base64.encode(Array($0.utf8))] : Base64.offsetVariants(Array($0.utf8)) }
                        .map(Self.escapeWildcards)
                    if base64 == 2, position == .whole { position = .contains }
                }
                for v in variants {
                    switch position {
                    case .whole: patterns.append(.wildcard(v, cased: cased))
                    case .contains: patterns.append(.wildcard("*" + v + "*", cased: cased))
                    case .starts: patterns.append(.wildcard(v + "*", cased: cased))
                    case .ends: patterns.append(.wildcard("*" + v, cased: cased))
                    }
                }
            }
        }
        return FieldMatcher(field: condition.field, accessor: accessor, patterns: patterns, requireAll: all, cased: cased)
    }

    private static func escapeWildcards(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "*" || c == "?" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Command-line flags written with any of the dashes Windows accepts (`-x`, `/x`, `–x`, `—x`, `―x`).
    static func windashVariants(_ s: String) -> [String] {
        guard let first = s.first, first == "-" || first == "/" else { return [s] }
        let rest = s.dropFirst()
        return ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"].map { $0 + rest }
    }
}

/// Standard base64, for the `base64` and `base64offset` modifiers.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The three encodings of `bytes` at each alignment inside a longer base64 text, with the characters that
    /// depend on the unknown neighbours cut off (what Sigma's `base64offset` means).
    static func offsetVariants(_ bytes: [UInt8]) -> [String] {
        let starts = [0, 2, 3]
        var out: [String] = []
        for shift in 0..<3 {
            let encoded = Array(encode(Array(repeating: 0, count: shift) + bytes).utf8)
            let total = bytes.count + shift
            let cutEnd: Int
            switch total % 3 {
            case 1: cutEnd = 3
            case 2: cutEnd = 2
            default: cutEnd = 0
            }
            let lower = starts[shift], upper = encoded.count - cutEnd
            if upper > lower { out.append(String(decoding: encoded[lower..<upper], as: UTF8.self)) }
        }
        return out
    }
}
