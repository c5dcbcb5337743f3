/// The comparison written between a field name and its value.
enum QueryLexOperator: Sendable, Equatable {
    /// `:` or `=`.
    case equal
    case less, lessOrEqual, greater, greaterOrEqual

    var comparison: ComparisonOperator {
        switch self {
        case .equal: .equal
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        }
    }
}

/// `field:` / `field>=` … as written, with positions.
struct QueryFieldPrefix: Sendable, Equatable {
    var name: String
    var column: Int
    var op: QueryLexOperator
    /// The operator as written (`:`, `=`, `>=`, `:>`…), for messages.
    var operatorText: String
    var operatorColumn: Int
}

/// A value (or a free-text word): its pattern elements after unescaping, and where and how it was written.
struct QueryLexedValue: Sendable, Equatable {
    var elements: [QueryPattern.Element]
    /// The value exactly as written, quotes included.
    var source: String
    var column: Int
    var quoted: Bool

    /// The text with escapes resolved, or nil when it has an unescaped wildcard.
    var literalText: String? {
        var out = ""
        for element in elements {
            guard case .literal(let s) = element else { return nil }
            out += s
        }
        return out
    }

    var pattern: QueryPattern { QueryPattern(elements: elements) }
}

struct QueryToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case leftParen, rightParen
        /// The keywords, written in uppercase.
        case and, or, not
        /// `-` directly before a term.
        case minus
        /// A term: free text when `prefix` is nil, else `field<op>value`.
        case word(prefix: QueryFieldPrefix?, value: QueryLexedValue)
        /// `field<op>` directly followed by `(`: the group's bare terms take this field (`action:(A OR B)`).
        /// The `(` is the next token.
        case fieldGroup(QueryFieldPrefix)
    }

    var kind: Kind
    var column: Int
}

/// Splits query text into tokens. Columns count `Character`s from 0.
///
/// A word is `field<op>value` when it starts with a field name (a letter, `_` or `@`, then letters, digits and
/// `_ . - @ $`, with `[…]` subscripts) directly followed by `:`, `=`, `<`, `<=`, `>`, `>=` (or `:<`, `:>`… as
/// Kibana writes them); otherwise it is free text. A colon followed by `//` (a URL) and words starting `arn:aws`
/// are free text.
enum QueryLexer {
    static func tokenize(_ query: String) throws(QuerySyntaxError) -> [QueryToken] {
        let chars = Array(query)
        let n = chars.count
        var tokens: [QueryToken] = []
        var i = 0
        while true {
            while i < n, chars[i].isWhitespace { i += 1 }
            guard i < n else { break }
            let c = chars[i]
            switch c {
            case "(":
                tokens.append(QueryToken(kind: .leftParen, column: i))
                i += 1
            case ")":
                tokens.append(QueryToken(kind: .rightParen, column: i))
                i += 1
            case "\"":
                let value = try quoted(chars, &i)
                tokens.append(QueryToken(kind: .word(prefix: nil, value: value), column: value.column))
            case "-":
                guard i + 1 < n, !chars[i + 1].isWhitespace, chars[i + 1] != ")" else {
                    throw QuerySyntaxError("expected a term right after '-' (write -term, without a space)", column: i)
                }
                tokens.append(QueryToken(kind: .minus, column: i))
                i += 1
            default:
                let start = i
                if let prefix = fieldPrefix(chars, &i) {
                    guard i < n, !chars[i].isWhitespace, chars[i] != ")" else {
                        throw QuerySyntaxError(
                            "expected a value after '\(prefix.name)\(prefix.operatorText)' (quote values that contain spaces)",
                            column: i)
                    }
                    if chars[i] == "(" {
                        tokens.append(QueryToken(kind: .fieldGroup(prefix), column: start))
                    } else {
                        let value = chars[i] == "\"" ? try quoted(chars, &i) : try bare(chars, &i)
                        tokens.append(QueryToken(kind: .word(prefix: prefix, value: value), column: start))
                    }
                } else {
                    let value = try bare(chars, &i)
                    switch value.source {
                    case "AND": tokens.append(QueryToken(kind: .and, column: start))
                    case "OR": tokens.append(QueryToken(kind: .or, column: start))
                    case "NOT": tokens.append(QueryToken(kind: .not, column: start))
                    default: tokens.append(QueryToken(kind: .word(prefix: nil, value: value), column: start))
                    }
                }
            }
        }
        return tokens
    }

    private static func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "@" }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "." || c == "-" || c == "@" || c == "$"
    }

    /// Reads `name<op>` at `i`, advancing past the operator; leaves `i` alone and returns nil when the word is not a
    /// field term.
    private static func fieldPrefix(_ chars: [Character], _ i: inout Int) -> QueryFieldPrefix? {
        let n = chars.count
        guard isNameStart(chars[i]) else { return nil }
        var j = i
        while j < n {
            let c = chars[j]
            if isNameCharacter(c) {
                j += 1
            } else if c == "[" {
                // A subscript: [0], ["a:b"], ['a b'].
                var k = j + 1
                if k < n, chars[k] == "\"" || chars[k] == "'" {
                    let quote = chars[k]
                    k += 1
                    while k < n, chars[k] != quote { k += 1 }
                    k += 1
                    guard k < n, chars[k] == "]" else { return nil }
                } else {
                    while k < n, chars[k] != "]", !chars[k].isWhitespace, chars[k] != ":" { k += 1 }
                    guard k < n, chars[k] == "]" else { return nil }
                }
                j = k + 1
            } else {
                break
            }
        }
        guard j < n else { return nil }
        let name = String(chars[i..<j])
        let operatorColumn = j
        var op: QueryLexOperator
        switch chars[j] {
        case ":":
            if j + 2 < n, chars[j + 1] == "/", chars[j + 2] == "/" { return nil }  // a URL
            if name.lowercased() == "arn", j + 3 < n, String(chars[(j + 1)...(j + 3)]).lowercased() == "aws" {
                return nil  // an ARN written as free text
            }
            op = .equal
            j += 1
            if j < n, chars[j] == "<" || chars[j] == ">" {
                op = chars[j] == "<" ? .less : .greater
                j += 1
            }
        case "=":
            op = .equal
            j += 1
        case "<", ">":
            op = chars[j] == "<" ? .less : .greater
            j += 1
        default:
            return nil
        }
        if op != .equal, j < n, chars[j] == "=" {
            op = op == .less ? .lessOrEqual : .greaterOrEqual
            j += 1
        }
        let prefix = QueryFieldPrefix(name: name, column: i, op: op, operatorText: String(chars[operatorColumn..<j]),
                                      operatorColumn: operatorColumn)
        i = j
        return prefix
    }

    /// Reads a bare word at `i`: up to whitespace, a parenthesis or the end. `*` and `?` are wildcards; a backslash
    /// escapes `* ? \ " ( )`. A quote inside the word is an error.
    private static func bare(_ chars: [Character], _ i: inout Int) throws(QuerySyntaxError) -> QueryLexedValue {
        let n = chars.count
        let start = i
        var builder = ElementBuilder()
        while i < n {
            let c = chars[i]
            if c.isWhitespace || c == "(" || c == ")" { break }
            if c == "\"" {
                throw QuerySyntaxError("unexpected '\"' inside a word: quote the whole value, or escape it as \\\"",
                                       column: i)
            }
            if c == "\\", i + 1 < n, QueryPattern.escapable(chars[i + 1]) {
                builder.literal(chars[i + 1])
                i += 2
                continue
            }
            builder.add(c)
            i += 1
        }
        return QueryLexedValue(elements: builder.elements, source: String(chars[start..<i]), column: start, quoted: false)
    }

    /// Reads a quoted string at `i` (on the opening quote). Same wildcards and escapes as a bare word; it must be
    /// followed by whitespace, a parenthesis or the end.
    private static func quoted(_ chars: [Character], _ i: inout Int) throws(QuerySyntaxError) -> QueryLexedValue {
        let n = chars.count
        let start = i
        var builder = ElementBuilder()
        var k = i + 1
        while true {
            guard k < n else {
                throw QuerySyntaxError("unterminated quoted string: expected a closing '\"'", column: start)
            }
            let c = chars[k]
            if c == "\"" { break }
            if c == "\\", k + 1 < n, QueryPattern.escapable(chars[k + 1]) {
                builder.literal(chars[k + 1])
                k += 2
                continue
            }
            builder.add(c)
            k += 1
        }
        k += 1
        if k < n, !chars[k].isWhitespace, chars[k] != "(", chars[k] != ")" {
            throw QuerySyntaxError("expected a space after the closing quote", column: k)
        }
        i = k
        return QueryLexedValue(elements: builder.elements, source: String(chars[start..<k]), column: start, quoted: true)
    }

    private struct ElementBuilder {
        private var done: [QueryPattern.Element] = []
        private var pending = ""

        /// The elements read so far, the pending literal included.
        var elements: [QueryPattern.Element] {
            pending.isEmpty ? done : done + [.literal(pending)]
        }

        mutating func add(_ c: Character) {
            switch c {
            case "*": flush(); done.append(.anyRun)
            case "?": flush(); done.append(.anyCharacter)
            default: pending.append(c)
            }
        }

        mutating func literal(_ c: Character) { pending.append(c) }

        private mutating func flush() {
            if !pending.isEmpty { done.append(.literal(pending)); pending = "" }
        }
    }
}
