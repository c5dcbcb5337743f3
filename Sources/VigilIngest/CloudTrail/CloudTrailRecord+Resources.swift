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
        guard len > 0, !key.hasEscapes, let base = b.baseAddress,
              resourceKeyTable.contains(base + key.start + 1, len) else { return nil }
        // `name` is the only resource key of four bytes.
        return len == 4
    }
}

/// A fixed set of short names, matched against bytes: per length, each name's first eight bytes as one word
/// (the whole name, zero-padded, when shorter), compared before the rest of the name.
struct ResourceKeyTable: Sendable {
    private static let longest = 63
    private let firstWords: [UInt64]
    private let offsets: [Int]
    private let bytes: [UInt8]
    /// Per length, the range of the entries of that length.
    private let ranges: [Range<Int>]

    init(_ names: some Sequence<String>) {
        let sorted = names.map { Array($0.utf8) }.filter { !$0.isEmpty && $0.count <= Self.longest }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
        var firstWords: [UInt64] = [], offsets: [Int] = [], bytes: [UInt8] = []
        var ranges = [Range<Int>](repeating: 0..<0, count: Self.longest + 1)
        for name in sorted {
            if ranges[name.count].isEmpty { ranges[name.count] = firstWords.count..<firstWords.count }
            firstWords.append(name.withUnsafeBytes { Self.firstWord($0.baseAddress!, name.count) })
            offsets.append(bytes.count)
            bytes.append(contentsOf: name)
            ranges[name.count] = ranges[name.count].lowerBound..<firstWords.count
        }
        self.firstWords = firstWords
        self.offsets = offsets
        self.bytes = bytes
        self.ranges = ranges
    }

    /// Whether the `count` bytes at `p` are one of the names.
    @inline(__always)
    func contains(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
        guard count > 0, count <= Self.longest else { return false }
        let range = ranges[count]
        guard !range.isEmpty else { return false }
        let first = Self.firstWord(p, count)
        return firstWords.withUnsafeBufferPointer { words in
            for k in range where words[k] == first {
                if count <= 8 { return true }
                if bytes.withUnsafeBytes({ NameBytes.equal(p, $0.baseAddress! + offsets[k], count, folding: false) }) {
                    return true
                }
            }
            return false
        }
    }

    @inline(__always)
    private static func firstWord(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 8 { return p.loadUnaligned(as: UInt64.self) }
        var word: UInt64 = 0
        for k in 0..<count { word |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) << UInt64(k * 8) }
        return word
    }
}
