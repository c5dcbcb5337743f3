import VigilCore

/// A parsed query: its text and its expression.
///
/// ```swift
/// let q = try Query("action:Create* AND -user:root time>-1h")
/// q.expression.description  // "action:Create* AND NOT user:root AND time>-1h"
/// ```
///
/// Errors are ``QuerySyntaxError``s with the column to point at; see `docs/query.md` for the language.
public struct Query: Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    public let expression: QueryExpression

    public init(_ text: String) throws(QuerySyntaxError) {
        self.text = text
        var parser = QueryParser(tokens: try QueryLexer.tokenize(text), length: text.count)
        self.expression = try parser.parse()
    }

    /// The query matching every event.
    public static let all = Query(text: "", expression: .all)

    private init(text: String, expression: QueryExpression) {
        self.text = text
        self.expression = expression
    }

    /// The canonical text of the expression.
    public var description: String { expression.description }
}

/// Recursive descent over the tokens:
///
/// ```
/// query   := [or] END
/// or      := and ("OR" and)*
/// and     := unary (["AND"] unary)*
/// unary   := ("NOT" | "-") unary | primary
/// primary := "(" or ")" | field-group "(" or ")" | word
/// ```
struct QueryParser {
    private let tokens: [QueryToken]
    private let length: Int
    private var position = 0
    /// Inside `field:( … )`: the field and operator bare terms take.
    private var groupField: QueryFieldPrefix?

    init(tokens: [QueryToken], length: Int) {
        self.tokens = tokens
        self.length = length
    }

    private var current: QueryToken? { position < tokens.count ? tokens[position] : nil }

    mutating func parse() throws(QuerySyntaxError) -> QueryExpression {
        guard let first = current else { return .all }
        guard startsTerm(first) else { throw missingTermBefore(first) }
        let expression = try parseOr()
        if let extra = current {
            // parseOr stops only at the end or at ')'.
            throw QuerySyntaxError("unexpected ')' without a matching '('", column: extra.column)
        }
        return expression
    }

    private func startsTerm(_ token: QueryToken?) -> Bool {
        switch token?.kind {
        case .leftParen, .not, .minus, .word, .fieldGroup: true
        case .rightParen, .and, .or, nil: false
        }
    }

    /// The error for a token that stands where a term should start.
    private func missingTermBefore(_ token: QueryToken) -> QuerySyntaxError {
        switch token.kind {
        case .and: QuerySyntaxError("expected a term before 'AND'", column: token.column)
        case .or: QuerySyntaxError("expected a term before 'OR'", column: token.column)
        default: QuerySyntaxError("unexpected ')' without a matching '('", column: token.column)
        }
    }

    /// After an operator `token`: the next token must start a term.
    private func requireTerm(after token: QueryToken, _ name: String) throws(QuerySyntaxError) {
        guard startsTerm(current) else {
            throw QuerySyntaxError("expected a term after '\(name)'", column: token.column)
        }
    }

    private mutating func parseOr() throws(QuerySyntaxError) -> QueryExpression {
        var operands = [try parseAnd()]
        while let token = current, token.kind == .or {
            position += 1
            try requireTerm(after: token, "OR")
            operands.append(try parseAnd())
        }
        return .disjunction(operands)
    }

    private mutating func parseAnd() throws(QuerySyntaxError) -> QueryExpression {
        var operands = [try parseUnary()]
        while let token = current {
            if token.kind == .and {
                position += 1
                try requireTerm(after: token, "AND")
            } else if !startsTerm(token) {
                break
            }
            operands.append(try parseUnary())
        }
        return .conjunction(operands)
    }

    private mutating func parseUnary() throws(QuerySyntaxError) -> QueryExpression {
        guard let token = current else { throw QuerySyntaxError("expected a term", column: length) }
        switch token.kind {
        case .not, .minus:
            position += 1
            try requireTerm(after: token, token.kind == .not ? "NOT" : "-")
            return .not(try parseUnary())
        default:
            return try parsePrimary()
        }
    }

    private mutating func parsePrimary() throws(QuerySyntaxError) -> QueryExpression {
        guard let token = current else { throw QuerySyntaxError("expected a term", column: length) }
        switch token.kind {
        case .leftParen:
            return try parseGroup()
        case .fieldGroup(let prefix):
            position += 1  // the prefix; the '(' follows
            let outer = groupField
            groupField = prefix
            defer { groupField = outer }
            return try parseGroup()
        case .word(let prefix, let value):
            position += 1
            if let prefix {
                return .term(try QueryTermBuilder.term(prefix, value))
            }
            if let groupField {
                return .term(try QueryTermBuilder.term(groupField, value))
            }
            if value.elements.isEmpty {
                throw QuerySyntaxError("empty quoted string: expected text to search for", column: value.column)
            }
            return .term(.text(value.pattern))
        default:
            throw missingTermBefore(token)
        }
    }

    /// `( or )`, on the opening parenthesis.
    private mutating func parseGroup() throws(QuerySyntaxError) -> QueryExpression {
        let open = tokens[position]
        position += 1
        guard let next = current else {
            throw QuerySyntaxError("unclosed '(': expected ')'", column: open.column)
        }
        if next.kind == .rightParen {
            throw QuerySyntaxError("empty parentheses: expected a term inside", column: open.column)
        }
        guard startsTerm(next) else { throw missingTermBefore(next) }
        let inner = try parseOr()
        guard let close = current, close.kind == .rightParen else {
            throw QuerySyntaxError("unclosed '(': expected ')'", column: open.column)
        }
        position += 1
        return inner
    }
}

/// Turns `field<op>value` into a typed ``QueryTerm``, checking the value against the field's type.
enum QueryTermBuilder {
    static func term(_ prefix: QueryFieldPrefix, _ value: QueryLexedValue) throws(QuerySyntaxError) -> QueryTerm {
        let op = prefix.op.comparison
        if prefix.name.lowercased() == "has" {
            guard op == .equal else {
                throw QuerySyntaxError("'has' takes a field name: write has:FIELD", column: prefix.operatorColumn)
            }
            guard let name = value.literalText, !name.isEmpty, let field = QueryField(name: name) else {
                throw QuerySyntaxError(
                    "invalid field name \(quote(value.source)) after 'has:': expected a field such as user or requestParameters.bucketName",
                    column: value.column)
            }
            return QueryTerm(field: field, predicate: .exists)
        }
        guard let field = QueryField(name: prefix.name) else {
            throw QuerySyntaxError(
                "invalid field name \(quote(prefix.name)): expected a field such as user or requestParameters.bucketName",
                column: prefix.column)
        }
        if op != .equal, !field.isComparable {
            throw QuerySyntaxError(
                "cannot use '\(prefix.operatorText)' on \(field.name): it is not a number or time field (write \(field.name):VALUE)",
                column: prefix.operatorColumn)
        }
        let predicate: QueryPredicate
        switch field.valueType {
        case .text:
            predicate = op == .equal ? .matches(value.pattern) : .compare(op, try number(value, prefix))
        case .address:
            predicate = try address(value, field)
        case .number:
            if field == .protocol, let text = value.literalText, let number = protocolNumbers[text.lowercased()] {
                predicate = .compare(op, number)
            } else if field == .protocol, value.literalText?.first?.isLetter == true {
                throw QuerySyntaxError(
                    "unknown protocol \(quote(value.source)): expected tcp, udp, icmp, icmpv6 or a protocol number",
                    column: value.column)
            } else {
                predicate = .compare(op, try number(value, prefix))
            }
        case .time:
            predicate = try time(value, op)
        case .kind:
            guard let text = value.literalText, let kind = EventKind(name: text) else {
                throw QuerySyntaxError(
                    "unknown kind \(quote(value.source)): expected cloudtrail, flow, finding, dns or auth",
                    column: value.column)
            }
            predicate = .kind(kind)
        case .severity:
            if let text = value.literalText, let severity = severities[text.lowercased()] {
                predicate = .severity(op, severity)
            } else if let text = value.literalText, let score = parseNumber(text) {
                predicate = .compare(op, score)
            } else {
                throw QuerySyntaxError(
                    "unknown severity \(quote(value.source)): expected info, low, medium, high, critical or a score such as 7",
                    column: value.column)
            }
        case .outcome:
            switch value.literalText?.lowercased() {
            case "success", "succeeded", "ok": predicate = .outcome(success: true)
            case "failure", "failed", "fail", "error": predicate = .outcome(success: false)
            default:
                throw QuerySyntaxError("unknown outcome \(quote(value.source)): expected success or failure",
                                       column: value.column)
            }
        }
        return QueryTerm(field: field, predicate: predicate)
    }

    private static func quote(_ s: String) -> String {
        s.hasPrefix("\"") ? s : "'\(s)'"
    }

    static let protocolNumbers: [String: Double] = [
        "icmp": 1, "tcp": 6, "udp": 17, "icmpv6": 58, "ipv6-icmp": 58, "gre": 47, "esp": 50, "ah": 51, "sctp": 132,
    ]

    static let severities: [String: FindingFields.Severity] = [
        "info": .info, "informational": .info, "low": .low, "medium": .medium, "med": .medium, "high": .high,
        "critical": .critical, "crit": .critical,
    ]

    // MARK: Numbers

    private static func number(_ value: QueryLexedValue, _ prefix: QueryFieldPrefix) throws(QuerySyntaxError) -> Double {
        guard let text = value.literalText, let number = parseNumber(text) else {
            throw QuerySyntaxError(
                "invalid number \(quote(value.source)) after '\(prefix.name)\(prefix.operatorText)': expected a number such as 1500 or 1e6",
                column: value.column)
        }
        return number
    }

    /// `[+-]digits[.digits][e[+-]digits]` (or `.digits`); finite.
    static func parseNumber(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa = digits()
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == b.count, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    // MARK: Addresses

    private static func address(_ value: QueryLexedValue, _ field: QueryField) throws(QuerySyntaxError) -> QueryPredicate {
        guard let text = value.literalText else { return .matches(value.pattern) }
        if text.contains("/") {
            guard let block = CIDRBlock(text) else {
                throw QuerySyntaxError(
                    "invalid CIDR block \(quote(value.source)): expected ADDRESS/LENGTH such as 10.0.0.0/8 or 2001:db8::/32",
                    column: value.column)
            }
            return .cidr(block)
        }
        if let address = IPAddress(text) { return .address(address) }
        // CloudTrail's source may be a service name (ec2.amazonaws.com, AWS Internal); anything that looks like an
        // attempt at an address is an error rather than a pattern that can never match.
        let looksNumeric = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        if field == .sourceIP, !text.contains(":"), !looksNumeric {
            return .matches(value.pattern)
        }
        throw QuerySyntaxError(
            "invalid IP address \(quote(value.source)): expected an address such as 203.0.113.5 or 2001:db8::1, a CIDR block, or a wildcard pattern",
            column: value.column)
    }

    // MARK: Time

    private static func time(_ value: QueryLexedValue, _ op: ComparisonOperator) throws(QuerySyntaxError) -> QueryPredicate {
        guard let text = value.literalText else { throw badTime(value) }
        if text.hasPrefix("-") {
            guard let seconds = parseRelative(text) else { throw badTime(value) }
            switch op {
            case .equal, .greaterOrEqual: return .timeRange(lower: .relative(seconds: seconds, inclusive: true), upper: nil)
            case .greater: return .timeRange(lower: .relative(seconds: seconds, inclusive: false), upper: nil)
            case .less: return .timeRange(lower: nil, upper: .relative(seconds: seconds, inclusive: false))
            case .lessOrEqual: return .timeRange(lower: nil, upper: .relative(seconds: seconds, inclusive: true))
            }
        }
        guard let (start, end) = parseTimeSpan(text) else { throw badTime(value) }
        switch op {
        case .equal: return .timeRange(lower: .absolute(start, inclusive: true), upper: .absolute(end, inclusive: false))
        case .greaterOrEqual: return .timeRange(lower: .absolute(start, inclusive: true), upper: nil)
        case .greater: return .timeRange(lower: .absolute(end, inclusive: true), upper: nil)
        case .less: return .timeRange(lower: nil, upper: .absolute(start, inclusive: false))
        case .lessOrEqual: return .timeRange(lower: nil, upper: .absolute(end, inclusive: false))
        }
    }

    private static func badTime(_ value: QueryLexedValue) -> QuerySyntaxError {
        QuerySyntaxError(
            "invalid time \(quote(value.source)): expected a date such as 2024-05-01, a time such as 2024-05-01T10:00Z, or a relative time such as -15m, -1h, -7d",
            column: value.column)
    }

    /// `-N` followed by `s`, `m`, `h`, `d` or `w`: seconds.
    static func parseRelative(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 3, b[0] == UInt8(ascii: "-") else { return nil }
        let unit: Int64
        switch b[b.count - 1] {
        case UInt8(ascii: "s"): unit = 1
        case UInt8(ascii: "m"): unit = 60
        case UInt8(ascii: "h"): unit = 3600
        case UInt8(ascii: "d"): unit = 86_400
        case UInt8(ascii: "w"): unit = 604_800
        default: return nil
        }
        var n: Int64 = 0
        for c in b[1..<(b.count - 1)] {
            guard c >= 48, c <= 57 else { return nil }
            let (times, o1) = n.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(c - 48))
            guard !o1, !o2 else { return nil }
            n = plus
        }
        let (seconds, overflow) = n.multipliedReportingOverflow(by: unit)
        // Keep the millisecond instant representable.
        guard !overflow, seconds <= Int64.max / 2000 else { return nil }
        return seconds
    }

    /// A time written at some precision, as the span it covers: `[start, end)`.
    ///
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then `T` (or a space) and `HH`, `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, then
    /// optionally `Z` or an offset `±HH`, `±HH:MM`, `±HHMM` (UTC when absent).
    static func parseTimeSpan(_ text: String) -> (Timestamp, Timestamp)? {
        let b = Array(text.utf8)
        let n = b.count
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += count
            return v
        }
        func take(_ c: Character) -> Bool {
            guard i < n, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = digits(4) else { return nil }
        let yearStart = CivilDate.days(year: year, month: 1, day: 1) * 86_400_000
        if i == n { return (Timestamp(milliseconds: yearStart), Timestamp(milliseconds: CivilDate.days(year: year + 1, month: 1, day: 1) * 86_400_000)) }
        guard take("-"), let month = digits(2), (1...12).contains(month) else { return nil }
        if i == n {
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return (Timestamp(milliseconds: CivilDate.days(year: year, month: month, day: 1) * 86_400_000),
                    Timestamp(milliseconds: CivilDate.days(year: next.0, month: next.1, day: 1) * 86_400_000))
        }
        guard take("-"), let day = digits(2), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        let dayStart = CivilDate.days(year: year, month: month, day: day) * 86_400_000
        if i == n { return (Timestamp(milliseconds: dayStart), Timestamp(milliseconds: dayStart + 86_400_000)) }
        guard take("T") || take("t") || take(" "), let hour = digits(2), hour < 24 else { return nil }
        var offsetMillis: Int64 = Int64(hour) * 3_600_000
        var span: Int64 = 3_600_000
        if take(":") {
            guard let minute = digits(2), minute < 60 else { return nil }
            offsetMillis += Int64(minute) * 60_000
            span = 60_000
            if take(":") {
                guard let second = digits(2), second < 60 else { return nil }
                offsetMillis += Int64(second) * 1000
                span = 1000
                if take(".") || take(",") {
                    var scale: Int64 = 100
                    var count = 0
                    while i < n, b[i] >= 48, b[i] <= 57 {
                        if scale > 0 { offsetMillis += Int64(b[i] - 48) * scale; scale /= 10 }
                        count += 1
                        i += 1
                    }
                    guard count > 0 else { return nil }
                    span = count >= 3 ? 1 : (count == 2 ? 10 : 100)
                }
            }
        }
        var zone: Int64 = 0
        if take("Z") || take("z") {
            // UTC
        } else if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            guard let zh = digits(2), zh < 24 else { return nil }
            var zm = 0
            if i < n {
                _ = take(":")
                guard let m = digits(2), m < 60 else { return nil }
                zm = m
            }
            zone = sign * (Int64(zh) * 3_600_000 + Int64(zm) * 60_000)
        }
        guard i == n else { return nil }
        let start = dayStart + offsetMillis - zone
        return (Timestamp(milliseconds: start), Timestamp(milliseconds: start + span))
    }
}
