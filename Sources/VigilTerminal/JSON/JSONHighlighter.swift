import VigilCore

/// Turns a JSON record into pretty-printed, indented lines of styled spans for the detail view.
///
/// Hand-written over bytes (no Foundation): keys, strings, numbers and literals get their `json…` roles;
/// strings and numbers are shown as written in the record (escapes such as `\u001b` stay visible as text)
/// and sanitised. Several top-level values (JSON lines) are shown one after another. Input that is not
/// JSON, or nests deeper than `maxDepth`, is shown as plain sanitised text, line by line, so nothing in the
/// record is hidden.
public struct JSONHighlighter: Sendable {
    /// Spaces per nesting level.
    public var indent: Int
    /// Deeper input is shown as plain text (keeps recursion bounded on hostile records).
    public var maxDepth: Int

    public init(indent: Int = 2, maxDepth: Int = 128) {
        self.indent = indent
        self.maxDepth = maxDepth
    }

    public func lines(for text: String) -> [StyledText] {
        lines(for: Array(text.utf8))
    }

    /// Lines for a record's raw bytes (invalid UTF-8 shows as U+FFFD).
    public func lines<Bytes: Collection<UInt8>>(for bytes: Bytes) -> [StyledText] {
        let data = Array(bytes)
        var printer = Printer(bytes: data, indent: indent, maxDepth: maxDepth)
        if let lines = printer.run() { return lines }
        return Self.plainLines(data)
    }

    /// Input shown as it is: one line per line feed, sanitised (carriage returns and tabs become visible).
    static func plainLines(_ bytes: [UInt8]) -> [StyledText] {
        // Split on bytes: as Characters, "\r\n" is one grapheme and would not split at "\n".
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            StyledText(TextSanitizer.sanitize(String(decoding: line, as: UTF8.self)), Role.text)
        }
    }
}

/// A recursive-descent pass that writes lines as it parses; any syntax error gives up (returns nil).
private struct Printer {
    let bytes: [UInt8]
    let indent: Int
    let maxDepth: Int
    var position = 0
    var lines: [StyledText] = []
    var current = StyledText()

    init(bytes: [UInt8], indent: Int, maxDepth: Int) {
        self.bytes = bytes
        self.indent = indent
        self.maxDepth = maxDepth
    }

    struct SyntaxError: Error {}

    mutating func run() -> [StyledText]? {
        do {
            skipWhitespace()
            guard position < bytes.count else { return nil }
            while position < bytes.count {
                try value(depth: 0)
                newLine()
                skipWhitespace()
            }
            return lines
        } catch {
            return nil
        }
    }

    // MARK: Output

    mutating func emit(_ text: String, _ role: Role) {
        current.append(text, role)
    }

    mutating func newLine(depth: Int? = nil) {
        lines.append(current)
        current = StyledText()
        if let depth, depth > 0 { current.append(String(repeating: " ", count: depth * indent)) }
    }

    // MARK: Parsing

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { throw SyntaxError() }
        position += 1
    }

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    mutating func value(depth: Int) throws {
        guard depth <= maxDepth else { throw SyntaxError() }
        skipWhitespace()
        guard let byte = peek() else { throw SyntaxError() }
        switch byte {
        case UInt8(ascii: "{"): try container(depth: depth, isObject: true)
        case UInt8(ascii: "["): try container(depth: depth, isObject: false)
        case UInt8(ascii: "\""): emit(try string(), .jsonString)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): emit(try number(), .jsonNumber)
        default: emit(try literal(), .jsonLiteral)
        }
    }

    /// An object (`isObject`) or an array: one member or element a line, indented one level deeper.
    mutating func container(depth: Int, isObject: Bool) throws {
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        position += 1
        skipWhitespace()
        if peek() == close {
            position += 1
            emit(isObject ? "{}" : "[]", .jsonPunctuation)
            return
        }
        emit(isObject ? "{" : "[", .jsonPunctuation)
        while true {
            newLine(depth: depth + 1)
            if isObject {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw SyntaxError() }
                emit(try string(), .jsonKey)
                try expect(UInt8(ascii: ":"))
                emit(": ", .jsonPunctuation)
            }
            try value(depth: depth + 1)
            skipWhitespace()
            guard let next = peek() else { throw SyntaxError() }
            position += 1
            if next == UInt8(ascii: ",") {
                emit(",", .jsonPunctuation)
            } else if next == close {
                break
            } else {
                throw SyntaxError()
            }
        }
        newLine(depth: depth)
        emit(isObject ? "}" : "]", .jsonPunctuation)
    }

    /// A string token as written, quotes included, sanitised (raw control bytes would be invalid JSON
    /// anyway, but bidi overrides and zero-width characters are valid and must not act on the screen).
    mutating func string() throws -> String {
        let start = position
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"):
                position += 2
            case UInt8(ascii: "\""):
                position += 1
                return TextSanitizer.sanitize(String(decoding: bytes[start..<position], as: UTF8.self))
            case 0x00..<0x20:
                throw SyntaxError()
            default:
                position += 1
            }
        }
        throw SyntaxError()
    }

    mutating func number() throws -> String {
        let start = position
        while let byte = peek(), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        {
            position += 1
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        guard Double(token) != nil else { throw SyntaxError() }
        return token
    }

    mutating func literal() throws -> String {
        for word in ["true", "false", "null"] {
            let utf8 = Array(word.utf8)
            if position + utf8.count <= bytes.count, Array(bytes[position..<position + utf8.count]) == utf8 {
                position += utf8.count
                return word
            }
        }
        throw SyntaxError()
    }
}
