import VigilCore

// MARK: - Expression

/// A parsed query: a boolean combination of ``QueryTerm``s.
///
/// The parser builds it flat: an `and` never directly contains an `and`, an `or` never directly contains an `or`,
/// neither holds fewer than two operands, and `all` only appears alone (the empty query). `description` renders the
/// canonical text, which parses back to the same expression.
public indirect enum QueryExpression: Sendable, Equatable, CustomStringConvertible {
    /// Matches every event (the empty query).
    case all
    /// Every operand matches.
    case and([QueryExpression])
    /// At least one operand matches.
    case or([QueryExpression])
    case not(QueryExpression)
    case term(QueryTerm)

    /// The conjunction of `operands`, flattened: nested `and`s are spliced in, `all` is dropped, and zero or one
    /// operand collapses to `all` or that operand.
    public static func conjunction(_ operands: [QueryExpression]) -> QueryExpression {
        var flat: [QueryExpression] = []
        for operand in operands {
            switch operand {
            case .all: continue
            case .and(let inner): flat.append(contentsOf: inner)
            default: flat.append(operand)
            }
        }
        switch flat.count {
        case 0: return .all
        case 1: return flat[0]
        default: return .and(flat)
        }
    }

    /// The disjunction of `operands`, flattened: nested `or`s are spliced in, an `all` operand makes the whole `all`,
    /// and a single operand is returned as is. No operands match nothing: `.not(.all)`.
    public static func disjunction(_ operands: [QueryExpression]) -> QueryExpression {
        var flat: [QueryExpression] = []
        for operand in operands {
            switch operand {
            case .all: return .all
            case .or(let inner): flat.append(contentsOf: inner)
            default: flat.append(operand)
            }
        }
        switch flat.count {
        case 0: return .not(.all)
        case 1: return flat[0]
        default: return .or(flat)
        }
    }

    /// Every term in the expression, left to right.
    public var terms: [QueryTerm] {
        var out: [QueryTerm] = []
        func walk(_ e: QueryExpression) {
            switch e {
            case .all: break
            case .and(let items), .or(let items): items.forEach(walk)
            case .not(let inner): walk(inner)
            case .term(let t): out.append(t)
            }
        }
        walk(self)
        return out
    }

    /// True when some term has a time bound relative to the newest event (`time>-1h`), so evaluating it needs that
    /// newest time.
    public var usesRelativeTime: Bool {
        terms.contains { term in
            guard case .timeRange(let lower, let upper) = term.predicate else { return false }
            return lower?.isRelative == true || upper?.isRelative == true
        }
    }

    /// The canonical query text: `AND`/`OR`/`NOT` spelled out, canonical field names, parentheses only where
    /// needed. The empty query renders as the empty string.
    public var description: String { render(nested: false) }

    private func render(nested: Bool) -> String {
        switch self {
        case .all:
            return nested ? "*" : ""
        case .term(let term):
            return term.description
        case .not(let inner):
            switch inner {
            case .and, .or: return "NOT (\(inner.render(nested: true)))"
            default: return "NOT \(inner.render(nested: true))"
            }
        case .and(let items):
            return items.map { item in
                if case .or = item { "(\(item.render(nested: true)))" } else { item.render(nested: true) }
            }.joined(separator: " AND ")
        case .or(let items):
            return items.map { $0.render(nested: true) }.joined(separator: " OR ")
        }
    }
}

// MARK: - Term

/// One test on one field, or a free-text search when `field` is nil.
///
/// Free text (`field == nil`) always has a ``QueryPredicate/matches(_:)`` predicate and matches when the pattern
/// occurs anywhere in the raw record (see ``QueryPattern/occurs(in:)``), case-insensitively.
public struct QueryTerm: Sendable, Equatable, CustomStringConvertible {
    /// The field tested; nil for free text.
    public var field: QueryField?
    public var predicate: QueryPredicate

    public init(field: QueryField?, predicate: QueryPredicate) {
        self.field = field
        self.predicate = predicate
    }

    /// A free-text term.
    public static func text(_ pattern: QueryPattern) -> QueryTerm { QueryTerm(field: nil, predicate: .matches(pattern)) }

    public var isFreeText: Bool { field == nil }

    /// The term in canonical query syntax (`user:alice`, `bytes>1000`, `time:2024-05-01`, `has:errorCode`, `"access denied"`).
    public var description: String {
        guard let field else {
            if case .matches(let pattern) = predicate { return QueryRendering.freeText(pattern) }
            return QueryRendering.predicate(predicate, fieldName: "", field: nil)
        }
        return QueryRendering.predicate(predicate, fieldName: field.name, field: field)
    }
}

/// What a term requires of its field's value(s). A field with several values (resources, a flow's two addresses for
/// ``QueryField/sourceIP``, every value a JSON path reaches) satisfies the predicate when any value does.
public enum QueryPredicate: Sendable, Equatable {
    /// The text value matches the pattern (exact or wildcard, case-insensitive). On address fields, the
    /// address's text form (or, for ``QueryField/sourceIP``, a service name such as `ec2.amazonaws.com`).
    case matches(QueryPattern)
    /// An address field equals this address.
    case address(IPAddress)
    /// An address field lies in this block.
    case cidr(CIDRBlock)
    /// A numeric field (or a JSON path whose value reads as a number, or a finding's GuardDuty score for
    /// ``QueryField/severity``) compared with the constant: `value <op> constant`.
    case compare(ComparisonOperator, Double)
    /// The event time lies within the bounds; a nil bound is open.
    case timeRange(lower: TimeBound?, upper: TimeBound?)
    /// The field is present and not empty.
    case exists
    /// The event is of this kind (field ``QueryField/kind``).
    case kind(EventKind)
    /// A finding's severity compared with the constant: `severity <op> constant`.
    case severity(ComparisonOperator, FindingFields.Severity)
    /// The event succeeded (`true`) or failed (`false`).
    case outcome(success: Bool)
}

/// `=`, `<`, `<=`, `>`, `>=`.
public enum ComparisonOperator: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case equal, less, lessOrEqual, greater, greaterOrEqual

    /// How the operator is written after a field name: `:` for equality, else `<` `<=` `>` `>=`.
    public var description: String {
        switch self {
        case .equal: ":"
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        }
    }

    /// `lhs <op> rhs`.
    @inlinable
    public func evaluate<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch self {
        case .equal: lhs == rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        }
    }
}

/// One end of a time range.
///
/// The parser gives absolute bounds at the precision written: a lower bound is inclusive and an upper bound
/// exclusive (`time:2024-05-01` is `[2024-05-01T00:00Z, 2024-05-02T00:00Z)`; `time>2024-05-01` is
/// `[2024-05-02T00:00Z, …)`). Relative bounds count back from the newest event in the data being queried.
public enum TimeBound: Sendable, Hashable {
    case absolute(Timestamp, inclusive: Bool)
    /// `seconds` before the newest event's time.
    case relative(seconds: Int64, inclusive: Bool)

    public var isInclusive: Bool {
        switch self {
        case .absolute(_, let inclusive), .relative(_, let inclusive): inclusive
        }
    }

    public var isRelative: Bool {
        if case .relative = self { true } else { false }
    }

    /// The bound's instant, given the newest event time (only used by relative bounds).
    public func instant(newest: Timestamp) -> Timestamp {
        switch self {
        case .absolute(let t, _): t
        case .relative(let seconds, _): Timestamp(milliseconds: newest.milliseconds &- seconds &* 1000)
        }
    }

    /// Whether `time` lies between `lower` and `upper` (nil: unbounded), resolving relative bounds against `newest`.
    public static func contains(_ time: Timestamp, lower: TimeBound?, upper: TimeBound?, newest: Timestamp) -> Bool {
        if let lower {
            let t = lower.instant(newest: newest)
            if lower.isInclusive ? time < t : time <= t { return false }
        }
        if let upper {
            let t = upper.instant(newest: newest)
            if upper.isInclusive ? time > t : time >= t { return false }
        }
        return true
    }
}

// MARK: - Pattern

/// A text value to match: an exact string or a wildcard pattern (`*` any run of characters, `?` one character),
/// compared case-insensitively unless built with `caseSensitive: true` (the parser never does).
///
/// Matching is iterative (no regular expressions, no recursion): the worst case is proportional to the pattern
/// length times the text length, so pathological patterns such as `*a*a*a*a*b` stay fast. ASCII text is compared
/// byte by byte; other text falls back to comparing lowercased `Character`s.
public struct QueryPattern: Sendable, Hashable, CustomStringConvertible {
    public enum Element: Sendable, Hashable {
        case literal(String)
        /// `*`: any run of characters, possibly empty.
        case anyRun
        /// `?`: exactly one character.
        case anyCharacter
    }

    /// Normalised: adjacent literals merged, no empty literal, no two `anyRun`s in a row.
    public let elements: [Element]
    public let caseSensitive: Bool
    private let matcher: Matcher

    public init(elements: [Element], caseSensitive: Bool = false) {
        var normal: [Element] = []
        for element in elements {
            switch element {
            case .literal(let s):
                if s.isEmpty { continue }
                if case .literal(let previous)? = normal.last {
                    normal[normal.count - 1] = .literal(previous + s)
                } else {
                    normal.append(element)
                }
            case .anyRun:
                if normal.last != .anyRun { normal.append(element) }
            case .anyCharacter:
                normal.append(element)
            }
        }
        self.elements = normal
        self.caseSensitive = caseSensitive
        self.matcher = Matcher(normal, caseSensitive: caseSensitive)
    }

    /// A pattern matching exactly `text` (no wildcards).
    public init(exact text: String, caseSensitive: Bool = false) {
        self.init(elements: [.literal(text)], caseSensitive: caseSensitive)
    }

    /// A pattern from glob text: `*` and `?` are wildcards; a backslash before `*`, `?`, `\`, `"`, `(` or `)` makes
    /// it literal (any other backslash is itself literal).
    public init(glob text: String, caseSensitive: Bool = false) {
        var elements: [Element] = []
        var literal = ""
        var escaped = false
        for c in text {
            if escaped {
                if !QueryPattern.escapable(c) { literal.append("\\") }
                literal.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "*" || c == "?" {
                if !literal.isEmpty { elements.append(.literal(literal)); literal = "" }
                elements.append(c == "*" ? .anyRun : .anyCharacter)
            } else {
                literal.append(c)
            }
        }
        if escaped { literal.append("\\") }
        if !literal.isEmpty { elements.append(.literal(literal)) }
        self.init(elements: elements, caseSensitive: caseSensitive)
    }

    /// Characters a backslash escapes in query values and globs.
    static func escapable(_ c: Character) -> Bool {
        c == "\\" || c == "\"" || c == "*" || c == "?" || c == "(" || c == ")"
    }

    public static func == (a: QueryPattern, b: QueryPattern) -> Bool {
        a.elements == b.elements && a.caseSensitive == b.caseSensitive
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(elements)
        hasher.combine(caseSensitive)
    }

    /// True when the pattern has no wildcard: it matches one string (up to case).
    public var isExact: Bool { !hasWildcards }

    public var hasWildcards: Bool {
        elements.contains { if case .literal = $0 { false } else { true } }
    }

    /// The string an exact pattern matches, as written (not case-folded); nil when there are wildcards.
    public var literal: String? {
        guard isExact else { return nil }
        if case .literal(let s)? = elements.first { return s }
        return ""
    }

    /// The literal text before the first wildcard, as written; the whole string for an exact pattern; empty when the
    /// pattern starts with a wildcard. Every match starts with it (up to case), so an index can seek to it.
    public var prefix: String {
        if case .literal(let s)? = elements.first { return s }
        return ""
    }

    /// True for `*`: matches every string, including the empty one.
    public var matchesEverything: Bool { elements == [.anyRun] }

    /// The pattern as glob text, literal `*`, `?` and `\` escaped with a backslash.
    public var description: String {
        var out = ""
        for element in elements {
            switch element {
            case .anyRun: out.append("*")
            case .anyCharacter: out.append("?")
            case .literal(let s):
                for c in s {
                    if c == "*" || c == "?" || c == "\\" { out.append("\\") }
                    out.append(c)
                }
            }
        }
        return out
    }

    /// Whether the whole of `text` matches the pattern.
    public func matches(_ text: String) -> Bool { matcher.matches(text, floating: false) }

    /// Whether the pattern matches some substring of `text`: what a free-text term tests. An exact pattern is a
    /// case-insensitive substring search.
    public func occurs(in text: String) -> Bool { matcher.matches(text, floating: true) }

    /// ``matches(_:)`` over UTF-8 bytes, without building a `String` when the bytes are ASCII.
    public func matches(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool { matcher.matches(bytes, floating: false) }

    /// ``occurs(in:)`` over UTF-8 bytes (a raw record), without building a `String` when the bytes are ASCII.
    public func occurs(inUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Bool { matcher.matches(bytes, floating: true) }
}

/// The compiled form of a ``QueryPattern``: one program over ASCII bytes (when the pattern is ASCII) and one over
/// `Character`s, each also in a "floating" variant with `*` added at both ends.
private struct Matcher: Sendable {
    static let anyRun: Int32 = -1
    static let anyOne: Int32 = -2

    enum Token: Sendable, Equatable {
        case character(Character)
        case anyRun
        case anyOne
    }

    let caseSensitive: Bool
    let bytes: [Int32]?
    let floatingBytes: [Int32]?
    let characters: [Token]
    let floatingCharacters: [Token]

    init(_ elements: [QueryPattern.Element], caseSensitive: Bool) {
        self.caseSensitive = caseSensitive
        var tokens: [Token] = []
        var ascii: [Int32]? = []
        for element in elements {
            switch element {
            case .anyRun:
                tokens.append(.anyRun)
                ascii?.append(Matcher.anyRun)
            case .anyCharacter:
                tokens.append(.anyOne)
                ascii?.append(Matcher.anyOne)
            case .literal(let s):
                let folded = caseSensitive ? s : s.lowercased()
                for c in folded { tokens.append(.character(c)) }
                if ascii != nil {
                    if s.utf8.allSatisfy({ $0 < 0x80 }) {
                        for b in folded.utf8 { ascii!.append(Int32(b)) }
                    } else {
                        ascii = nil
                    }
                }
            }
        }
        characters = tokens
        floatingCharacters = Matcher.float(tokens, any: .anyRun)
        bytes = ascii
        floatingBytes = ascii.map { Matcher.float($0, any: Matcher.anyRun) }
    }

    private static func float<T: Equatable>(_ program: [T], any: T) -> [T] {
        var out = program
        if out.first != any { out.insert(any, at: 0) }
        if out.last != any { out.append(any) }
        return out
    }

    func matches(_ text: String, floating: Bool) -> Bool {
        if let program = floating ? floatingBytes : bytes, text.utf8.allSatisfy({ $0 < 0x80 }) {
            var copy = text
            return copy.withUTF8 { Matcher.run(program, $0, fold: !caseSensitive) }
        }
        return matchCharacters(text, floating: floating)
    }

    func matches(_ text: UnsafeBufferPointer<UInt8>, floating: Bool) -> Bool {
        if let program = floating ? floatingBytes : bytes, text.allSatisfy({ $0 < 0x80 }) {
            return Matcher.run(program, text, fold: !caseSensitive)
        }
        return matchCharacters(String(decoding: text, as: UTF8.self), floating: floating)
    }

    private func matchCharacters(_ text: String, floating: Bool) -> Bool {
        let subject = Array(caseSensitive ? text : text.lowercased())
        return Matcher.run(floating ? floatingCharacters : characters, subject)
    }

    /// Glob matching over ASCII bytes, remembering only the last `*` to backtrack to.
    private static func run(_ pattern: [Int32], _ text: UnsafeBufferPointer<UInt8>, fold: Bool) -> Bool {
        let m = pattern.count, n = text.count
        var p = 0, i = 0, star = -1, starText = 0
        while i < n {
            if p < m {
                let pc = pattern[p]
                if pc == anyRun {
                    star = p
                    starText = i
                    p += 1
                    continue
                }
                var c = text[i]
                if fold, c >= 65, c <= 90 { c |= 0x20 }
                if pc == anyOne || pc == Int32(c) {
                    p += 1
                    i += 1
                    continue
                }
            }
            guard star >= 0 else { return false }
            p = star + 1
            starText += 1
            i = starText
        }
        while p < m, pattern[p] == anyRun { p += 1 }
        return p == m
    }

    /// The same algorithm over `Character`s.
    private static func run(_ pattern: [Token], _ text: [Character]) -> Bool {
        let m = pattern.count, n = text.count
        var p = 0, i = 0, star = -1, starText = 0
        while i < n {
            if p < m {
                switch pattern[p] {
                case .anyRun:
                    star = p
                    starText = i
                    p += 1
                    continue
                case .anyOne:
                    p += 1
                    i += 1
                    continue
                case .character(let c):
                    if c == text[i] {
                        p += 1
                        i += 1
                        continue
                    }
                }
            }
            guard star >= 0 else { return false }
            p = star + 1
            starText += 1
            i = starText
        }
        while p < m, pattern[p] == .anyRun { p += 1 }
        return p == m
    }
}

// MARK: - Canonical rendering

enum QueryRendering {
    static func predicate(_ predicate: QueryPredicate, fieldName name: String, field: QueryField?) -> String {
        switch predicate {
        case .matches(let pattern): return name + ":" + value(pattern)
        case .address(let address): return "\(name):\(address)"
        case .cidr(let block): return "\(name):\(block)"
        case .compare(let op, let number):
            if op == .equal, field == .protocol, let protocolName = protocolNames[number] {
                return "\(name):\(protocolName)"
            }
            return "\(name)\(op)\(self.number(number))"
        case .timeRange(let lower, let upper): return timeRange(name, lower, upper)
        case .exists: return "has:\(name)"
        case .kind(let kind): return "\(name):\(kind)"
        case .severity(let op, let severity): return "\(name)\(op)\(severity)"
        case .outcome(let success): return "\(name):\(success ? "success" : "failure")"
        }
    }

    static let protocolNames: [Double: String] = [1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6"]

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A field value: bare when possible, else quoted.
    static func value(_ pattern: QueryPattern) -> String {
        let bare = !pattern.elements.isEmpty && !literalText(pattern).contains { $0.isWhitespace }
            && !(pattern.elements.first.map { element in
                if case .literal(let s) = element, let c = s.first { c == "<" || c == ">" } else { false }
            } ?? false)
        return bare ? bareText(pattern) : quotedText(pattern)
    }

    /// Free text: bare unless it could read as something else (a keyword, `-term`, `field:value`).
    static func freeText(_ pattern: QueryPattern) -> String {
        let text = literalText(pattern)
        let bare = !pattern.elements.isEmpty && text != "AND" && text != "OR" && text != "NOT"
            && !text.contains { $0.isWhitespace || $0 == ":" || $0 == "=" || $0 == "<" || $0 == ">" }
            && !(pattern.elements.first.map { element in
                if case .literal(let s) = element { s.first == "-" } else { false }
            } ?? false)
        return bare ? bareText(pattern) : quotedText(pattern)
    }

    private static func literalText(_ pattern: QueryPattern) -> String {
        pattern.elements.reduce(into: "") { out, element in
            if case .literal(let s) = element { out += s }
        }
    }

    private static func bareText(_ pattern: QueryPattern) -> String {
        escaped(pattern) { QueryPattern.escapable($0) }
    }

    private static func quotedText(_ pattern: QueryPattern) -> String {
        "\"" + escaped(pattern) { $0 == "\\" || $0 == "\"" || $0 == "*" || $0 == "?" } + "\""
    }

    private static func escaped(_ pattern: QueryPattern, _ needsEscape: (Character) -> Bool) -> String {
        var out = ""
        for element in pattern.elements {
            switch element {
            case .anyRun: out.append("*")
            case .anyCharacter: out.append("?")
            case .literal(let s):
                for c in s {
                    if needsEscape(c) { out.append("\\") }
                    out.append(c)
                }
            }
        }
        return out
    }

    // Time

    private static func timeRange(_ name: String, _ lower: TimeBound?, _ upper: TimeBound?) -> String {
        switch (lower, upper) {
        case (nil, nil):
            return "has:\(name)"
        case (let lower?, nil):
            return name + (lower.isInclusive ? ">=" : ">") + bound(lower)
        case (nil, let upper?):
            return name + (upper.isInclusive ? "<=" : "<") + bound(upper)
        case (let lower?, let upper?):
            if case .absolute(let start, true) = lower, case .absolute(let end, false) = upper,
               let span = span(start, end) {
                return "\(name):\(span)"
            }
            return "(" + name + (lower.isInclusive ? ">=" : ">") + bound(lower) + " AND "
                + name + (upper.isInclusive ? "<=" : "<") + bound(upper) + ")"
        }
    }

    private static func bound(_ bound: TimeBound) -> String {
        switch bound {
        case .relative(let seconds, _): return relative(seconds)
        case .absolute(let t, _):
            let iso = t.iso8601()
            return t.milliseconds % 86_400_000 == 0 ? String(iso.prefix(10)) : iso
        }
    }

    static func relative(_ seconds: Int64) -> String {
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)]
        where seconds != 0 && seconds % size == 0 {
            return "-\(seconds / size)\(unit)"
        }
        return "-\(seconds)s"
    }

    /// `[start, end)` written at the precision it spans (`2024`, `2024-05`, `2024-05-01`, `2024-05-01T10Z`,
    /// `…T10:00Z`, `…T10:00:00Z`, `…T10:00:00.5Z`), or nil when it is not such a span.
    private static func span(_ start: Timestamp, _ end: Timestamp) -> String? {
        let s = start.milliseconds, length = end.milliseconds - start.milliseconds
        let iso = start.iso8601(alwaysMilliseconds: true)  // YYYY-MM-DDTHH:MM:SS.mmmZ
        guard iso.count == 24 else { return nil }
        let date = String(iso.prefix(10))
        func aligned(_ unit: Int64) -> Bool { length == unit && s % unit == 0 }
        if s % 86_400_000 == 0 {
            let (year, month, day) = CivilDate.fromDays(s / 86_400_000)
            if day == 1 {
                let nextMonth = month == 12
                    ? CivilDate.days(year: year + 1, month: 1, day: 1) : CivilDate.days(year: year, month: month + 1, day: 1)
                if month == 1, end.milliseconds == CivilDate.days(year: year + 1, month: 1, day: 1) * 86_400_000 {
                    return String(iso.prefix(4))
                }
                if end.milliseconds == nextMonth * 86_400_000 { return String(iso.prefix(7)) }
            }
            if length == 86_400_000 { return date }
        }
        if aligned(3_600_000) { return String(iso.prefix(13)) + "Z" }
        if aligned(60_000) { return String(iso.prefix(16)) + "Z" }
        if aligned(1000) { return String(iso.prefix(19)) + "Z" }
        let fraction = iso.dropFirst(20).prefix(3)
        if aligned(100) { return String(iso.prefix(19)) + "." + fraction.prefix(1) + "Z" }
        if aligned(10) { return String(iso.prefix(19)) + "." + fraction.prefix(2) + "Z" }
        if aligned(1) { return String(iso.prefix(19)) + "." + fraction + "Z" }
        return nil
    }
}
