import VigilCore

/// Finding the resources a CloudTrail record touches (shared by the event and the row paths).
extension CloudTrailRecord {
    /// The values that identify what a record touches, as references into it (each store path decodes them its
    /// own way): the ARNs of `resources`, then identifiers in the request parameters and, unless the call only
    /// lists an inventory, the response elements. At most 64 are collected, and only to a bounded depth.
    static func resourceRefs(_ b: UnsafeRawBufferPointer, listed: JSONRef?, request: JSONRef?, response: JSONRef?,
                             nameCounts: Bool, inventory: Bool) -> [JSONRef] {
        var found: [JSONRef] = []
        if let listed, listed.kind == .array {
            JSONScanner.forEachElement(b, listed) { element in
                if element.kind == .object {
                    JSONScanner.forEachMember(b, element) { key, value in
                        if Self.is(b, key, "ARN"), withValue(b, value, { !$0.isEmpty }) == true { found.append(value) }
                        return true
                    }
                }
                return true
            }
        }
        if let request, request.kind == .object { collectResourceRefs(b, request, nameCounts, 0, &found) }
        // What a Describe/List/Get call returns is an inventory, not what the call touched (and can be huge).
        if let response, response.kind == .object, !inventory { collectResourceRefs(b, response, nameCounts, 0, &found) }
        return found
    }

    private static func collectResourceRefs(_ b: UnsafeRawBufferPointer, _ object: JSONRef, _ nameCounts: Bool,
                                            _ depth: Int, _ out: inout [JSONRef]) {
        guard depth < 6, out.count < 64 else { return }
        JSONScanner.forEachMember(b, object) { key, value in
            switch value.kind {
            case .string:
                guard let isName = resourceKeyIsName(b, key) else { break }
                if !isName || nameCounts {
                    let length = value.hasEscapes ? Array(JSONScanner.decodeString(b, value).utf8).count : value.count - 2
                    if length > 0, length <= 2048 { out.append(value) }
                }
            case .object:
                collectResourceRefs(b, value, nameCounts, depth + 1, &out)
            case .array:
                JSONScanner.forEachElement(b, value) { element in
                    if element.kind == .object {
                        collectResourceRefs(b, element, nameCounts, depth + 1, &out)
                    } else if element.kind == .string {
                        if Self.is(b, key, "flowLogIds") || Self.is(b, key, "userIds") || Self.is(b, key, "snapshotIds") {
                            out.append(element)
                        }
                    }
                    return out.count < 64
                }
            default:
                break
            }
            return out.count < 64
        }
    }

    /// Whether a member name is a resource key (nil when it is not), and whether that key is `name`.
    @inline(__always)
    static func resourceKeyIsName(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> Bool? {
        let len = key.count - 2
        guard !key.hasEscapes, resourceKeyTable.index(of: b, key) != nil else { return nil }
        // `name` is the only resource key of four bytes.
        return len == 4
    }
}
