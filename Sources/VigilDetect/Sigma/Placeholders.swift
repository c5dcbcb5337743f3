import Yams

/// Values for Sigma's `|expand` placeholders (`%Legitimate_IP_Ranges%`), read from a YAML map of lists.
///
/// ```yaml
/// Legitimate_IP_Ranges: [203.0.113.0/24, 198.51.100.7]
/// Legitimate_Countries: [FR, DE]
/// ```
public struct Placeholders: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(_ values: [String: [String]] = [:]) { self.values = values }

    /// Parses a placeholder file; the error names the file and line.
    public init(yaml text: String, file: String) throws(RuleLoadError) {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw RuleLoadError(file: file, line: 0, message: "invalid YAML: \(error)")
        }
        guard let node else { return }
        var reader = NodeReader(file: file)
        for (key, _, value) in try reader.pairs(node) {
            values[key.trimmingCharacters("%")] = try reader.strings(value, "placeholder '\(key)'")
        }
    }

    /// The values for `%name%`, or nil when the file does not define it.
    func lookup(_ name: String) -> [String]? { values[name.trimmingCharacters("%")] }
}

extension String {
    func trimmingCharacters(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}
