/// Scroll position of a text view.
public struct TextViewState: Hashable, Sendable {
    /// The first visible line.
    public var offset: Int
    /// Columns scrolled to the right (for long JSON lines).
    public var column: Int

    public init(offset: Int = 0, column: Int = 0) {
        self.offset = offset
        self.column = column
    }

    /// Scrolls by `delta` lines, keeping a full page visible where possible.
    public mutating func scroll(by delta: Int, lineCount: Int, visibleRows: Int) {
        offset = Self.clamp(offset + delta, lineCount: lineCount, visibleRows: visibleRows)
    }

    /// Scrolls sideways by `delta` columns (never left of the first column).
    public mutating func scrollColumns(by delta: Int) {
        column = max(0, column + delta)
    }

    public mutating func scrollToTop() { offset = 0 }

    public mutating func scrollToBottom(lineCount: Int, visibleRows: Int) {
        offset = Self.clamp(lineCount, lineCount: lineCount, visibleRows: visibleRows)
    }

    /// The state with the offset inside the text.
    public func adjusted(lineCount: Int, visibleRows: Int) -> TextViewState {
        TextViewState(offset: Self.clamp(offset, lineCount: lineCount, visibleRows: visibleRows), column: max(0, column))
    }

    private static func clamp(_ offset: Int, lineCount: Int, visibleRows: Int) -> Int {
        max(0, min(offset, lineCount - max(1, visibleRows)))
    }
}

/// Scrollable lines of styled text (pretty JSON, finding explanations), with optional search highlighting.
public struct TextView: Sendable {
    public var lines: [StyledText]
    /// Occurrences of this text are shown in the `searchMatch` role (case-insensitive); empty for none.
    public var highlight: String

    public init(lines: [StyledText], highlight: String = "") {
        self.lines = lines
        self.highlight = highlight
    }

    /// Draws the visible lines and returns the state as drawn.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, in area: Rect, state: TextViewState) -> TextViewState {
        let state = state.adjusted(lineCount: lines.count, visibleRows: area.height)
        guard !area.isEmpty else { return state }
        for row in 0..<area.height {
            let index = state.offset + row
            guard index < lines.count else { break }
            let line = highlight.isEmpty ? lines[index] : lines[index].highlighting(highlight)
            // Starting left of the area scrolls sideways; the clip cuts what is out of view.
            buffer.put(line, at: Point(x: area.x - state.column, y: area.y + row), clipTo: area.row(row))
        }
        return state
    }

    /// Indices of lines containing `term` (case-insensitive), for `n`/`N` search.
    public func matchingLines(_ term: String) -> [Int] {
        guard !term.isEmpty else { return [] }
        let needle = term.lowercased()
        return lines.indices.filter { lines[$0].plainText.lowercased().contains(needle) }
    }
}
