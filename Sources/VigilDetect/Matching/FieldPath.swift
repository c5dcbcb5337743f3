import VigilCore

/// A dotted path into a JSON record, matched with ASCII case folding on member names.
///
/// GuardDuty findings arrive in PascalCase (API) or camelCase (exports); folding lets one rule read both. A member
/// step that meets an array applies to every element, so `resources.ARN` reads each resource's ARN.
struct FieldPath: Sendable, Hashable {
    let members: [[UInt8]]
    let text: String

    init(_ text: String) {
        self.text = text
        members = text.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8).map(asciiLower) }
    }

    /// Every value the path reaches.
    func values(in b: UnsafeRawBufferPointer, root: JSONRef) -> [JSONRef] {
        values(in: b, from: root, step: 0)
    }

    /// Every value the rest of the path (from component `step`) reaches from `value`.
    func values(in b: UnsafeRawBufferPointer, from value: JSONRef, step: Int) -> [JSONRef] {
        var out: [JSONRef] = []
        collect(b, value, step, &out, depth: 0)
        return out
    }

    private func collect(_ b: UnsafeRawBufferPointer, _ value: JSONRef, _ step: Int, _ out: inout [JSONRef], depth: Int) {
        if step == members.count { out.append(value); return }
        guard depth < 64, out.count < 1024 else { return }
        if value.kind == .object {
            let name = members[step]
            JSONScanner.forEachMember(b, value) { key, v in
                if Self.keyMatches(b, key, name) { collect(b, v, step + 1, &out, depth: depth + 1); return false }
                return true
            }
        } else if value.kind == .array {
            JSONScanner.forEachElement(b, value) { e in
                collect(b, e, step, &out, depth: depth + 1)
                return true
            }
        }
    }

    @inline(__always)
    static func keyMatches(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ lowered: [UInt8]) -> Bool {
        if key.hasEscapes { return JSONScanner.decodeString(b, key).utf8.map(asciiLower).elementsEqual(lowered) }
        let length = key.count - 2
        guard length == lowered.count else { return false }
        var k = 0
        while k < length {
            if asciiLower(b[key.start + 1 + k]) != lowered[k] { return false }
            k += 1
        }
        return true
    }
}

@inline(__always)
func asciiLower(_ c: UInt8) -> UInt8 { c &- 65 < 26 ? c | 0x20 : c }
