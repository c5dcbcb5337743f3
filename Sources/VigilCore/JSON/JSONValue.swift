/// A parsed JSON value, for the places where a tree is simpler than scanning: small documents, tests, pretty printing.
/// Ingestion hot paths use ``JSONScanner`` instead.
public enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let x), .array(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// Parses one complete JSON document (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBytes { b in
            var i = 0
            do throws(JSONSyntaxError) {
                let root = try JSONScanner.scanValue(b, &i)
                JSONScanner.skipWhitespace(b, &i)
                guard i == b.count else { return .failure(JSONSyntaxError("unexpected data after the JSON value", at: i)) }
                return .success(build(b, root))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try parse(Array(text.utf8)) }

    static func build(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> JSONValue {
        switch ref.kind {
        case .object:
            var members: [(String, JSONValue)] = []
            JSONScanner.forEachMember(b, ref) { k, v in
                members.append((JSONScanner.decodeString(b, k), build(b, v)))
                return true
            }
            return .object(members)
        case .array:
            var items: [JSONValue] = []
            JSONScanner.forEachElement(b, ref) { items.append(build(b, $0)); return true }
            return .array(items)
        case .string: return .string(JSONScanner.decodeString(b, ref))
        case .number: return .number(JSONScanner.text(b, ref))
        case .bool: return .bool(b[ref.start] == UInt8(ascii: "t"))
        case .null: return .null
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    public var string: String? {
        switch self {
        case .string(let s): s
        case .number(let s): s
        case .bool(let v): v ? "true" : "false"
        default: nil
        }
    }

    public var double: Double? {
        switch self {
        case .number(let s), .string(let s): Double(s)
        default: nil
        }
    }

    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var members: [(String, JSONValue)]? { if case .object(let m) = self { m } else { nil } }

    /// Compact JSON text for this value.
    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (k, (key, value)) in members.enumerated() {
                if k > 0 { out += "," }
                JSONValue.writeString(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .string(let s): JSONValue.writeString(s, into: &out)
        case .number(let s): out += s
        case .bool(let v): out += v ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and all control characters.
    public static func writeString(_ s: String, into out: inout String) {
        out += "\""
        // Most text (ids, ARNs, names) is printable ASCII without quotes or backslashes: appended whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Controls, and the invisible and bidi characters that could disguise text in a terminal,
                // are written as escapes: the JSON means the same and is safe to print.
                if scalar.value < 0x20 || (0x7f..<0xa0).contains(scalar.value) || TextSanitizer.isInvisibleFormat(scalar.value) {
                    if scalar.value > 0xFFFF {
                        // Outside the BMP (tag characters): a surrogate pair.
                        let v = scalar.value - 0x10000
                        for unit in [0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)] { out += "\\u" + String(unit, radix: 16) }
                    } else {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    public static func quoted(_ s: String) -> String {
        var out = ""
        writeString(s, into: &out)
        return out
    }
}
