/// A query that cannot be parsed: what was expected, and where.
public struct QuerySyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, saying what was expected.
    public var message: String
    /// 0-based position in the query, counted in characters (`Character`, not bytes). May equal the query's
    /// length when something is missing at the end.
    public var column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }

    /// The query on one line, and under it a caret at ``column`` followed by the message:
    ///
    /// ```
    /// action:Create* AND (user:alice
    ///                    ^ unclosed '(': expected ')'
    /// ```
    ///
    /// Tabs before the column are kept so the caret lines up in a terminal; line breaks in the query are shown as
    /// spaces so it stays on one line.
    public func rendered(query: String) -> String {
        var line = ""
        var pad = ""
        for (i, c) in query.enumerated() {
            let shown: Character = c.isNewline ? " " : c
            line.append(shown)
            if i < column { pad.append(shown == "\t" ? "\t" : " ") }
        }
        if column > line.count { pad += String(repeating: " ", count: column - line.count) }
        return line + "\n" + pad + "^ " + message
    }
}
