/// A zero-width test at a position between two scalars.
enum RegexAssertion: UInt32, Sendable {
    case startOfText  // \A, and ^ without multiline
    case endOfText  // \z
    case endOfTextOrFinalNewline  // \Z, and $ without multiline (as in PCRE and Python)
    case startOfLine  // ^ with multiline
    case endOfLine  // $ with multiline
    case wordBoundary, notWordBoundary  // \b \B
}

/// A parsed pattern. Groups capture nothing, so they leave no node of their own.
indirect enum RegexNode: Sendable {
    case empty
    case scalar(UInt32, ignoringCase: Bool)
    /// Index into `RegexTree.sets`, so a repeated class is built once however often it is compiled.
    case set(Int)
    case anyScalar(includingNewline: Bool)
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `max == nil` is unbounded. Laziness is dropped: it cannot change whether a match exists.
    case repetition(RegexNode, min: Int, max: Int?)

    /// The node as a flat sequence of items that must match one after another.
    var sequence: [RegexNode] {
        switch self {
        case .empty: []
        case .concatenation(let items): items.flatMap(\.sequence)
        default: [self]
        }
    }
}

struct RegexTree: Sendable {
    var root: RegexNode
    var sets: [ScalarSet]
}

/// Recursive-descent parser for the PCRE/Python subset Sigma rules use, rejecting every construct that would
/// need backtracking (backreferences, lookaround, atomic groups, possessive quantifiers, recursion).
struct RegexParser {
    struct Flags {
        var ignoreCase = false, multiline = false, dotAll = false
    }

    static let maxPatternBytes = 65_536
    static let maxRepeat = 1_000
    /// PCRE's default; it also keeps the recursive parser and compiler far from the end of the stack.
    static let maxNesting = 250

    private let scalars: [Unicode.Scalar]
    /// UTF-8 offset of each scalar, plus the pattern's length at the end, for error positions.
    private let offsets: [Int]
    private var i = 0
    private var flags: Flags
    private var depth = 0
    private var sets: [ScalarSet] = []

    static func parse(_ pattern: String, flags: Flags) throws(RegexSyntaxError) -> RegexTree {
        guard pattern.utf8.count <= maxPatternBytes else {
            throw RegexSyntaxError("pattern is longer than \(maxPatternBytes) bytes", at: 0)
        }
        var parser = RegexParser(pattern, flags: flags)
        let root = try parser.parseAlternation()
        if parser.i < parser.scalars.count {  // only a `)` stops the top-level alternation early
            throw parser.error("unbalanced parenthesis: ) without (", at: parser.i)
        }
        return RegexTree(root: root, sets: parser.sets)
    }

    private init(_ pattern: String, flags: Flags) {
        scalars = Array(pattern.unicodeScalars)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var offset = 0
        for s in scalars {
            offsets.append(offset)
            offset += UTF8.width(s)
        }
        offsets.append(offset)
        self.offsets = offsets
        self.flags = flags
    }

    // MARK: Structure

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while peek() == "|" {
            i += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != "|", c != ")" {
            let start = i
            guard let atom = try parseAtom() else { continue }  // a flag setting or a comment
            items.append(try parseQuantifier(on: atom, atomStart: start))
        }
        return items.count == 1 ? items[0] : items.isEmpty ? .empty : .concatenation(items)
    }

    /// One item, or nil for `(?i)` and `(?#…)`, which match nothing themselves.
    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode? {
        let start = i
        let c = scalars[i]
        i += 1
        switch c {
        case "(": return try parseGroup(start: start)
        case "[": return try parseClass(start: start)
        case ".": return .anyScalar(includingNewline: flags.dotAll)
        case "^": return .assertion(flags.multiline ? .startOfLine : .startOfText)
        case "$": return .assertion(flags.multiline ? .endOfLine : .endOfTextOrFinalNewline)
        case "*", "+", "?": throw error("nothing to repeat before \(c)", at: start)
        case "{" where braceQuantifier(at: start) != nil: throw error("nothing to repeat before {", at: start)
        case "\\":
            switch try parseEscape(start: start, inClass: false) {
            case .scalar(let s): return literal(s)
            case .property(let p): return makeSet(ranges: [], properties: [p], inverted: false)
            case .assertion(let a): return .assertion(a)
            }
        default: return literal(c.value)  // includes a `{` that does not start a quantifier, as in PCRE and Python
        }
    }

    private func literal(_ c: UInt32) -> RegexNode { .scalar(c, ignoringCase: flags.ignoreCase) }

    private mutating func makeSet(ranges: [ClosedRange<UInt32>], properties: [ScalarProperty], inverted: Bool) -> RegexNode {
        sets.append(ScalarSet(ranges: ranges, properties: properties, inverted: inverted, ignoringCase: flags.ignoreCase))
        return .set(sets.count - 1)
    }

    // MARK: Groups

    private mutating func parseGroup(start: Int) throws(RegexSyntaxError) -> RegexNode? {
        if peek() == "*", let verb = peek(1), verb.properties.isUppercase {
            throw unsupported("backtracking control verb (*\(verb)", at: start)
        }
        guard peek() == "?" else { return try parseGroupBody(start: start, flags: flags) }
        i += 1
        switch peek() {
        case ":":
            i += 1
            return try parseGroupBody(start: start, flags: flags)
        case "=": throw unsupported("lookahead (?=", at: start)
        case "!": throw unsupported("negative lookahead (?!", at: start)
        case ">": throw unsupported("atomic group (?>", at: start)
        case "|": throw unsupported("branch reset group (?|", at: start)
        case "(": throw unsupported("conditional group (?(", at: start)
        case "C": throw unsupported("callout (?C", at: start)
        case "R", "&", "+": throw unsupported("recursion \(text(from: start, through: ")"))", at: start)
        case let c? where c.properties.numericType == .decimal || (c == "-" && peek(1)?.properties.numericType == .decimal):
            throw unsupported("recursion \(text(from: start, through: ")"))", at: start)
        case "#":
            while let c = peek(), c != ")" { i += 1 }
            guard peek() == ")" else { throw error("unterminated comment (?#", at: start) }
            i += 1
            return nil
        case "P":
            switch peek(1) {
            case "<":
                i += 2
                try parseGroupName(start: start, terminator: ">")
                return try parseGroupBody(start: start, flags: flags)
            case "=": throw unsupported("backreference \(text(from: start, through: ")"))", at: start)
            case ">": throw unsupported("recursion \(text(from: start, through: ")"))", at: start)
            default: throw error("unknown group syntax (?P", at: start)
            }
        case "<":
            if peek(1) == "=" { throw unsupported("lookbehind (?<=", at: start) }
            if peek(1) == "!" { throw unsupported("negative lookbehind (?<!", at: start) }
            i += 1
            try parseGroupName(start: start, terminator: ">")
            return try parseGroupBody(start: start, flags: flags)
        case "'":
            i += 1
            try parseGroupName(start: start, terminator: "'")
            return try parseGroupBody(start: start, flags: flags)
        default:
            return try parseFlagGroup(start: start)
        }
    }

    /// `(?i)` changes the flags for the rest of the enclosing group (PCRE's rule); `(?i-s:…)` for its body only.
    private mutating func parseFlagGroup(start: Int) throws(RegexSyntaxError) -> RegexNode? {
        var newFlags = flags
        var enable = true
        while let c = peek() {
            i += 1
            switch c {
            case "i": newFlags.ignoreCase = enable
            case "m": newFlags.multiline = enable
            case "s": newFlags.dotAll = enable
            case "-" where enable: enable = false
            case ")":
                flags = newFlags
                return nil
            case ":": return try parseGroupBody(start: start, flags: newFlags)
            case "x", "u", "a", "L", "U", "n", "J":
                throw error("unsupported flag (?\(c)) (only i, m and s are)", at: i - 1)
            default:
                throw error("unknown group syntax \(text(from: start, through: c))", at: start)
            }
        }
        throw error("missing ), unterminated group", at: start)
    }

    private mutating func parseGroupName(start: Int, terminator: Unicode.Scalar) throws(RegexSyntaxError) {
        let nameStart = i
        while let c = peek(), c == "_" || c.properties.isAlphabetic || (i > nameStart && c.properties.numericType == .decimal) {
            i += 1
        }
        guard i > nameStart, peek() == terminator else { throw error("bad group name", at: nameStart) }
        i += 1
    }

    private mutating func parseGroupBody(start: Int, flags inner: Flags) throws(RegexSyntaxError) -> RegexNode {
        depth += 1
        guard depth <= Self.maxNesting else {
            throw error("groups nested more than \(Self.maxNesting) deep", at: start)
        }
        let outer = flags
        flags = inner
        let body = try parseAlternation()
        guard peek() == ")" else { throw error("missing ), unterminated group", at: start) }
        i += 1
        flags = outer
        depth -= 1
        return body
    }

    // MARK: Quantifiers

    private mutating func parseQuantifier(on atom: RegexNode, atomStart: Int) throws(RegexSyntaxError) -> RegexNode {
        let start = i
        guard let (min, max) = try readQuantifier() else { return atom }
        // A bare `^` or `\b` cannot repeat (as in Python); a group holding one, like `(?:^)*`, can.
        if case .assertion = atom, scalars[atomStart] != "(" {
            throw error("nothing to repeat before \(scalars[start])", at: start)
        }
        if peek() == "?" {
            i += 1  // lazy: same yes/no answer
        } else if peek() == "+" {
            throw unsupported("possessive quantifier \(text(from: start, through: "+"))", at: start)
        }
        if peek() == "*" || peek() == "+" || peek() == "?" || (peek() == "{" && braceQuantifier(at: i) != nil) {
            throw error("multiple repeat", at: i)
        }
        return .repetition(atom, min: min, max: max)
    }

    private mutating func readQuantifier() throws(RegexSyntaxError) -> (Int, Int?)? {
        let start = i
        switch peek() {
        case "*": i += 1; return (0, nil)
        case "+": i += 1; return (1, nil)
        case "?": i += 1; return (0, 1)
        case "{":
            guard let (min, max, end) = braceQuantifier(at: i) else { return nil }
            i = end
            for n in [min, max ?? 0] where n > Self.maxRepeat {
                throw error("repetition count \(n) exceeds the limit of \(Self.maxRepeat)", at: start)
            }
            if let max, max < min { throw error("min repeat greater than max repeat", at: start) }
            return (min, max)
        default: return nil
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` or `{,m}` at `j`, with the index after it; nil when the brace is a literal.
    private func braceQuantifier(at j: Int) -> (Int, Int?, Int)? {
        var k = j + 1
        func number() -> Int? {
            let first = k
            var value = 0
            while k < scalars.count, ("0"..."9").contains(scalars[k]) {
                value = Swift.min(value * 10 + Int(scalars[k].value - 0x30), Int(Int32.max))  // saturates; rejected anyway
                k += 1
            }
            return k > first ? value : nil
        }
        let min = number()
        guard k < scalars.count else { return nil }
        if scalars[k] == "}" { return min.map { ($0, $0, k + 1) } }
        guard scalars[k] == "," else { return nil }
        k += 1
        let max = number()
        guard k < scalars.count, scalars[k] == "}", min != nil || max != nil else { return nil }
        return (min ?? 0, max, k + 1)
    }

    // MARK: Classes

    private mutating func parseClass(start: Int) throws(RegexSyntaxError) -> RegexNode {
        var ranges: [ClosedRange<UInt32>] = [], properties: [ScalarProperty] = []
        let inverted = peek() == "^"
        if inverted { i += 1 }
        var first = true
        while true {
            guard let c = peek() else { throw error("unterminated character class", at: start) }
            if c == "]" && !first {
                i += 1
                break
            }
            first = false
            let itemStart = i
            if c == "[", peek(1) == ":", let posix = try posixClass() {
                ranges += posix
                continue
            }
            switch try parseClassAtom() {
            case .property(let p):
                if peek() == "-", let next = peek(1), next != "]" {
                    throw error("bad character range \(text(from: itemStart, through: next))", at: itemStart)
                }
                properties.append(p)
            case .scalar(let low):
                guard peek() == "-", let next = peek(1), next != "]" else {
                    ranges.append(low...low)
                    continue
                }
                i += 1
                guard case .scalar(let high) = try parseClassAtom(), low <= high else {
                    throw error("bad character range \(text(from: itemStart, through: scalars[i - 1]))", at: itemStart)
                }
                ranges.append(low...high)
            case .assertion:
                preconditionFailure("class escapes never yield assertions")
            }
        }
        return makeSet(ranges: ranges, properties: properties, inverted: inverted)
    }

    private mutating func parseClassAtom() throws(RegexSyntaxError) -> Escape {
        let start = i
        let c = scalars[i]
        i += 1
        return c == "\\" ? try parseEscape(start: start, inClass: true) : .scalar(c.value)
    }

    /// `[:alpha:]` and friends (ASCII, as in PCRE); nil when `[:` does not start one, so `[` is a literal.
    private mutating func posixClass() throws(RegexSyntaxError) -> [ClosedRange<UInt32>]? {
        var k = i + 2
        while k < scalars.count, scalars[k].properties.isLowercase { k += 1 }
        guard k + 1 < scalars.count, scalars[k] == ":", scalars[k + 1] == "]" else { return nil }
        let name = String(String.UnicodeScalarView(scalars[(i + 2)..<k]))
        let ranges: [ClosedRange<UInt32>]
        switch name {
        case "alpha": ranges = [0x41...0x5A, 0x61...0x7A]
        case "digit": ranges = [0x30...0x39]
        case "alnum": ranges = [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "word": ranges = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        case "upper": ranges = [0x41...0x5A]
        case "lower": ranges = [0x61...0x7A]
        case "space": ranges = [0x09...0x0D, 0x20...0x20]
        case "blank": ranges = [0x09...0x09, 0x20...0x20]
        case "punct": ranges = [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "xdigit": ranges = [0x30...0x39, 0x41...0x46, 0x61...0x66]
        case "cntrl": ranges = [0x00...0x1F, 0x7F...0x7F]
        case "print": ranges = [0x20...0x7E]
        case "graph": ranges = [0x21...0x7E]
        default: throw error("unknown POSIX class [:\(name):]", at: i)
        }
        i = k + 2
        return ranges
    }

    // MARK: Escapes

    private enum Escape {
        case scalar(UInt32)
        case property(ScalarProperty)
        case assertion(RegexAssertion)
    }

    /// The escape whose backslash is at `start` (`i` is just past it).
    private mutating func parseEscape(start: Int, inClass: Bool) throws(RegexSyntaxError) -> Escape {
        guard let c = peek() else { throw error("pattern ends with a lone backslash", at: start) }
        i += 1
        switch c {
        case "d": return .property(.digit)
        case "D": return .property(.notDigit)
        case "w": return .property(.word)
        case "W": return .property(.notWord)
        case "s": return .property(.space)
        case "S": return .property(.notSpace)
        case "b": return inClass ? .scalar(0x08) : .assertion(.wordBoundary)  // backspace inside a class
        case "B" where !inClass: return .assertion(.notWordBoundary)
        case "A" where !inClass: return .assertion(.startOfText)
        case "z" where !inClass: return .assertion(.endOfText)
        case "Z" where !inClass: return .assertion(.endOfTextOrFinalNewline)
        case "B", "A", "z", "Z": throw error("bad escape \\\(c) in a character class", at: start)
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "v": return .scalar(0x0B)
        case "f": return .scalar(0x0C)
        case "r": return .scalar(0x0D)
        case "a": return .scalar(0x07)
        case "e": return .scalar(0x1B)
        case "0":  // octal: \0, \07, \012
            var value: UInt32 = 0
            for _ in 0..<2 {
                guard let d = peek(), ("0"..."7").contains(d) else { break }
                value = value * 8 + d.value - 0x30
                i += 1
            }
            return .scalar(value)
        case "1"..."9":
            while let d = peek(), ("0"..."9").contains(d) { i += 1 }
            throw unsupported("backreference \(text(from: start, through: scalars[i - 1]))", at: start)
        case "k": throw unsupported("backreference \\k", at: start)
        case "g": throw unsupported("backreference or subroutine call \\g", at: start)
        case "x":
            if peek() == "{" {
                i += 1
                let value = try hexDigits(start: start, count: 1...8)
                guard peek() == "}" else { throw error("bad escape \\x{…}: missing }", at: start) }
                i += 1
                return .scalar(try codePoint(value, start: start))
            }
            return .scalar(try hexDigits(start: start, count: 2...2))
        case "u": return .scalar(try codePoint(try hexDigits(start: start, count: 4...4), start: start))
        case "U": return .scalar(try codePoint(try hexDigits(start: start, count: 8...8), start: start))
        case "p", "P": throw unsupported("Unicode property \\\(c)", at: start)
        case "Q", "E": throw unsupported("quoting \\Q…\\E", at: start)
        case "G": throw unsupported("match-start anchor \\G", at: start)
        case "K": throw unsupported("match reset \\K", at: start)
        case "N": throw unsupported("named character \\N", at: start)
        case "X", "R", "h", "H", "V": throw unsupported("escape \\\(c)", at: start)
        default:
            if c.isASCII && (c.properties.isAlphabetic || c.properties.numericType != nil) {
                throw error("unknown escape \\\(c)", at: start)
            }
            return .scalar(c.value)  // punctuation and non-ASCII stand for themselves
        }
    }

    private mutating func hexDigits(start: Int, count: ClosedRange<Int>) throws(RegexSyntaxError) -> UInt32 {
        var value: UInt32 = 0, n = 0
        while n < count.upperBound, let c = peek(), let digit = c.properties.isASCIIHexDigit ? UInt32(String(c), radix: 16) : nil {
            value = value << 4 | digit
            n += 1
            i += 1
        }
        guard count.contains(n) else {
            let expected = count.count == 1 ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
            throw error("bad escape \(text(from: start, through: scalars[i - 1])): expected \(expected) hex digits", at: start)
        }
        return value
    }

    private func codePoint(_ value: UInt32, start: Int) throws(RegexSyntaxError) -> UInt32 {
        guard Unicode.Scalar(value) != nil else {
            throw error("bad escape: U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar", at: start)
        }
        return value
    }

    // MARK: Helpers

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        i + ahead < scalars.count ? scalars[i + ahead] : nil
    }

    /// Pattern text from scalar `start` up to and including the first `last` at or after `i - 1` (or the end),
    /// so messages quote the construct.
    private func text(from start: Int, through last: Unicode.Scalar) -> String {
        var end = Swift.max(start, i - 1)
        while end < scalars.count - 1, scalars[end] != last { end += 1 }
        return String(String.UnicodeScalarView(scalars[start...Swift.min(end, scalars.count - 1)]))
    }

    private func error(_ message: String, at scalarIndex: Int) -> RegexSyntaxError {
        RegexSyntaxError(message, at: offsets[scalarIndex])
    }

    private func unsupported(_ construct: String, at scalarIndex: Int) -> RegexSyntaxError {
        RegexSyntaxError("unsupported construct: \(construct)", at: offsets[scalarIndex])
    }
}
