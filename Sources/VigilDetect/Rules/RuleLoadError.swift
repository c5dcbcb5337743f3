/// A rule that could not be read or compiled: where, and what was wrong. The other rules still load.
public struct RuleLoadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// The rule's id or title when known.
    public var rule: String?
    public var message: String

    public init(file: String, line: Int, rule: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.rule = rule
        self.message = message
    }

    /// `file:line: rule 'title': message`.
    public var description: String {
        var s = file
        if line > 0 { s += ":\(line)" }
        s += ": "
        if let rule { s += "rule '\(rule)': " }
        return s + message
    }
}
