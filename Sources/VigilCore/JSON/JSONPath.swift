/// A path into a JSON record: `requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp`.
///
/// Members are separated by dots; `[n]` picks an array element. When a member step meets an array, the step
/// applies to every element (so `resources.ARN` reads the ARN of each resource), as Sigma field names expect.
/// A member whose name contains a dot can be written in brackets with quotes: `tags["aws:cloudformation"]`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case member([UInt8])
        case index(Int)
    }

    public var components: [Component]
    public var description: String

    public init?(_ text: String) {
        var components: [Component] = []
        let bytes = Array(text.utf8)
        var i = 0
        var current: [UInt8] = []
        var pendingMember = false
        func flush() {
            if !current.isEmpty || pendingMember { components.append(.member(current)) }
            current = []
            pendingMember = false
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ".") {
                if current.isEmpty, !pendingMember, (components.isEmpty || { if case .member = components.last! { true } else { false } }()) {
                    return nil  // empty member name
                }
                flush()
                i += 1
            } else if c == UInt8(ascii: "[") {
                flush()
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "]")) else { return nil }
                let inner = Array(bytes[(i + 1)..<close])
                if inner.count >= 2, inner.first == UInt8(ascii: "\"") || inner.first == UInt8(ascii: "'"), inner.last == inner.first {
                    components.append(.member(Array(inner[1..<(inner.count - 1)])))
                } else if let n = Int(String(decoding: inner, as: UTF8.self)), n >= 0 {
                    components.append(.index(n))
                } else {
                    return nil
                }
                i = close + 1
            } else {
                current.append(c)
                i += 1
            }
        }
        flush()
        guard !components.isEmpty else { return nil }
        self.components = components
        self.description = text
    }

    /// The root object of a record kept by Vigil: the bytes are one JSON object that was validated when read,
    /// so its extent is the whole buffer (trailing whitespace aside). Nil when the bytes are not an object.
    public static func storedRecordRoot(_ b: UnsafeRawBufferPointer) -> JSONRef? {
        var end = b.count
        while end > 0, JSONScanner.isWhitespace(b[end - 1]) { end -= 1 }
        guard end >= 2, b[0] == UInt8(ascii: "{"), b[end - 1] == UInt8(ascii: "}") else { return nil }
        return JSONRef(kind: .object, start: 0, end: end)
    }

    /// Every value the path reaches in the JSON value `root` of buffer `b`.
    public func values(in b: UnsafeRawBufferPointer, root: JSONRef) -> [JSONRef] {
        var results: [JSONRef] = []
        collect(b, root, 0, &results)
        return results
    }

    /// The values the path reaches in a raw JSON record, as text (strings decoded, containers as raw JSON).
    public func strings(inRecord raw: [UInt8]) -> [String] {
        raw.withUnsafeBytes { strings(inRecord: $0) }
    }

    /// The values the path reaches in a raw JSON record read in place, as text.
    public func strings(inRecord b: UnsafeRawBufferPointer) -> [String] {
        guard let root = Self.storedRecordRoot(b) else { return [] }
        return values(in: b, root: root).filter { $0.kind != .null }.map { JSONScanner.text(b, $0) }
    }

    private func collect(_ b: UnsafeRawBufferPointer, _ value: JSONRef, _ step: Int, _ out: inout [JSONRef]) {
        if step == components.count { out.append(value); return }
        switch components[step] {
        case .index(let n):
            if value.kind == .array, let e = JSONScanner.element(b, value, n) { collect(b, e, step + 1, &out) }
        case .member(let name):
            if value.kind == .object {
                name.withUnsafeBytes { nb in
                    JSONScanner.forEachMember(b, value) { key, v in
                        if JSONScanner.keyEquals(b, key, nb) { collect(b, v, step + 1, &out); return false }
                        return true
                    }
                }
            } else if value.kind == .array {
                JSONScanner.forEachElement(b, value) { e in
                    collect(b, e, step, &out)
                    return true
                }
            }
        }
    }
}
