/// Interns strings: each distinct value is stored once and named by a small integer.
///
/// Symbol 0 is reserved for "no value", so columns can use 0 for absent fields.
public struct SymbolTable: Sendable {
    private var ids: [String: UInt32] = [:]
    private(set) var strings: [String] = [""]

    public init() {}

    /// The number of symbols, including the reserved 0.
    public var count: Int { strings.count }

    /// The id of `value`, adding it if new. Empty and nil values map to 0.
    @inline(__always)
    public mutating func intern(_ value: String?) -> UInt32 {
        guard let value, !value.isEmpty else { return 0 }
        if let id = ids[value] { return id }
        let id = UInt32(strings.count)
        strings.append(value)
        ids[value] = id
        return id
    }

    /// The id of `value` if it has been interned.
    public func lookup(_ value: String) -> UInt32? { ids[value] }

    @inline(__always)
    public subscript(id: UInt32) -> String { strings[Int(id)] }

    /// Approximate bytes held, for memory reports.
    var approximateBytes: Int {
        var total = strings.count * 16 + ids.count * 40
        for s in strings where s.utf8.count > 15 { total += s.utf8.count + 32 }
        return total
    }
}
