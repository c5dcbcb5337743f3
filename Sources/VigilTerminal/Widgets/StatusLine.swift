/// A one-row bar with segments on the left and right, filled in a base role (`status`, or `header`).
///
/// Spans in the plain `text` role take the bar's role, so callers only name roles that stand out.
/// The left side wins when space is short; the right side gets at most half the bar.
public struct StatusLine: Sendable {
    public var left: [StyledText]
    public var right: [StyledText]
    public var role: Role
    public var separator: String

    public init(left: [StyledText], right: [StyledText] = [], role: Role = .status, separator: String = " │ ") {
        self.left = left
        self.right = right
        self.role = role
        self.separator = separator
    }

    /// Key hints such as `q quit  / search`, keys in `statusKey`.
    public static func keyHints(_ hints: [(key: String, action: String)]) -> StyledText {
        var text = StyledText()
        for (index, hint) in hints.enumerated() {
            if index > 0 { text.append("  ") }
            text.append(hint.key, .statusKey)
            text.append(" " + hint.action)
        }
        return text
    }

    private func joined(_ segments: [StyledText]) -> StyledText {
        var text = StyledText()
        for (index, segment) in segments.enumerated() where !segment.isEmpty {
            if index > 0 && !text.isEmpty { text.append(separator) }
            text.append(segment)
        }
        return text.withDefaultRole(role)
    }

    /// Fills the first row of `area` with the bar and its segments, one cell of margin at each end.
    public func draw(into buffer: inout ScreenBuffer, in area: Rect) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        buffer.fill(line, style: Style(role))
        let inner = line.inset(left: 1, right: 1)
        let rightText = joined(right)
        let rightWidth = min(rightText.width, inner.width / 2)
        let leftWidth = max(0, inner.width - rightWidth - (rightWidth > 0 ? 1 : 0))
        buffer.put(joined(left).truncated(to: leftWidth), at: inner.origin, clipTo: inner)
        if rightWidth > 0 {
            let shown = rightText.truncated(to: rightWidth)
            buffer.put(shown, at: Point(x: inner.maxX - shown.width, y: inner.y), clipTo: inner)
        }
    }
}
