/// A parsed Sigma condition: search identifiers combined with `and`, `or`, `not`, `1 of`, `all of`.
indirect enum SigmaCondition: Sendable, Equatable {
    case search(String)
    /// `1 of pattern` / `any of pattern`; the pattern `them` is stored as `*`.
    case oneOf(String)
    case allOf(String)
    case not(SigmaCondition)
    case and([SigmaCondition])
    case or([SigmaCondition])
}

/// The pre-correlation aggregation syntax after a pipe: `| count() by field > 5`, `| near other`.
enum LegacyAggregation: Sendable, Equatable {
    /// `count(field) by group > n`; `field` nil for `count()`.
    case count(field: String?, groupBy: String?, op: String, value: Double)
    case near(SigmaCondition)
}

/// Parses condition text. Precedence: `not` binds tightest, then `and`, then `or`; parentheses group.
struct SigmaConditionParser {
    struct Failure: Error, Sendable, Equatable {
        var message: String
        /// 0-based character offset in the condition.
        var offset: Int
    }

    private enum Token: Equatable {
        case word(String)
        case open, close, pipe
        case op(String)  // > >= < <= =
        case number(Double)
    }

    private var tokens: [(Token, Int)] = []
    private var position = 0

    /// Parses a full condition, with an optional legacy aggregation after `|`.
    static func parse(_ text: String) throws(Failure) -> (SigmaCondition, LegacyAggregation?) {
        var parser = SigmaConditionParser()
        try parser.tokenize(text)
        guard !parser.tokens.isEmpty else { throw Failure(message: "empty condition", offset: 0) }
        let expression = try parser.parseOr()
        var aggregation: LegacyAggregation?
        if parser.peek == .pipe {
            parser.position += 1
            aggregation = try parser.parseAggregation()
        }
        if parser.position < parser.tokens.count {
            let (token, offset) = parser.tokens[parser.position]
            throw Failure(message: "unexpected \(Self.describe(token))", offset: offset)
        }
        return (expression, aggregation)
    }

    private static func describe(_ token: Token) -> String {
        switch token {
        case .word(let w): "'\(w)'"
        case .open: "'('"
        case .close: "')'"
        case .pipe: "'|'"
        case .op(let o): "'\(o)'"
        case .number(let n): "number \(n)"
        }
    }

    private mutating func tokenize(_ text: String) throws(Failure) {
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "#" { break }  // YAML comments were removed already; a stray one ends the text
            switch c {
            case "(": tokens.append((.open, i)); i += 1
            case ")": tokens.append((.close, i)); i += 1
            case "|": tokens.append((.pipe, i)); i += 1
            case ">", "<", "=", "!":
                var op = String(c)
                if i + 1 < chars.count, chars[i + 1] == "=" { op.append("="); i += 1 }
                if op == "!" { throw Failure(message: "unexpected '!'", offset: i) }
                tokens.append((.op(op == "==" ? "=" : op), i))
                i += 1
            default:
                let start = i
                while i < chars.count, !" \t\n\r()|<>=!".contains(chars[i]) { i += 1 }
                let word = String(chars[start..<i])
                if let n = Double(word), word.first?.isNumber == true {
                    tokens.append((.number(n), start))
                } else {
                    tokens.append((.word(word), start))
                }
            }
        }
    }

    private var peek: Token? { position < tokens.count ? tokens[position].0 : nil }
    private var offset: Int { position < tokens.count ? tokens[position].1 : (tokens.last.map { $0.1 + 1 } ?? 0) }

    private func isKeyword(_ token: Token?, _ keyword: String) -> Bool {
        if case .word(let w)? = token { return w.lowercased() == keyword }
        return false
    }

    private mutating func parseOr() throws(Failure) -> SigmaCondition {
        var terms = [try parseAnd()]
        while isKeyword(peek, "or") {
            position += 1
            terms.append(try parseAnd())
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws(Failure) -> SigmaCondition {
        var terms = [try parseNot()]
        while isKeyword(peek, "and") {
            position += 1
            terms.append(try parseNot())
        }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseNot() throws(Failure) -> SigmaCondition {
        if isKeyword(peek, "not") {
            position += 1
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(Failure) -> SigmaCondition {
        guard let token = peek else { throw Failure(message: "condition ends too early", offset: offset) }
        switch token {
        case .open:
            position += 1
            let inner = try parseOr()
            guard peek == .close else { throw Failure(message: "missing ')'", offset: offset) }
            position += 1
            return inner
        case .word(let w):
            let lower = w.lowercased()
            if lower == "1" || lower == "any" || lower == "all" {
                return try parseQuantifier(all: lower == "all")
            }
            if ["and", "or", "of", "them"].contains(lower) {
                throw Failure(message: "unexpected '\(w)'", offset: offset)
            }
            position += 1
            return .search(w)
        case .number(let n) where n == 1:
            return try parseQuantifier(all: false)
        case .number:
            throw Failure(message: "only '1 of' and 'all of' are supported", offset: offset)
        default:
            throw Failure(message: "unexpected \(Self.describe(token))", offset: offset)
        }
    }

    private mutating func parseQuantifier(all: Bool) throws(Failure) -> SigmaCondition {
        position += 1
        guard isKeyword(peek, "of") else { throw Failure(message: "expected 'of'", offset: offset) }
        position += 1
        guard case .word(let pattern)? = peek else { throw Failure(message: "expected a search name or 'them' after 'of'", offset: offset) }
        position += 1
        let p = pattern.lowercased() == "them" ? "*" : pattern
        return all ? .allOf(p) : .oneOf(p)
    }

    private mutating func parseAggregation() throws(Failure) -> LegacyAggregation {
        guard case .word(let w)? = peek else { throw Failure(message: "expected an aggregation after '|'", offset: offset) }
        let lower = w.lowercased()
        if lower == "near" {
            position += 1
            return .near(try parseOr())
        }
        // count() or count(field): the tokenizer splits at parentheses.
        guard lower == "count" else {
            throw Failure(message: "unsupported aggregation '\(w)' (only count() and near are known)", offset: offset)
        }
        position += 1
        guard peek == .open else { throw Failure(message: "expected '(' after count", offset: offset) }
        position += 1
        var field: String?
        if case .word(let f)? = peek { field = f; position += 1 }
        guard peek == .close else { throw Failure(message: "expected ')'", offset: offset) }
        position += 1
        var groupBy: String?
        if isKeyword(peek, "by") {
            position += 1
            guard case .word(let g)? = peek else { throw Failure(message: "expected a field after 'by'", offset: offset) }
            groupBy = g
            position += 1
        }
        guard case .op(let op)? = peek else { throw Failure(message: "expected a comparison (>, >=, <, <=, =)", offset: offset) }
        position += 1
        guard case .number(let n)? = peek else { throw Failure(message: "expected a number", offset: offset) }
        position += 1
        return .count(field: field, groupBy: groupBy, op: op, value: n)
    }
}
