/// How wide a table column is.
public enum ColumnWidth: Hashable, Sendable {
    /// Exactly this many columns.
    case fixed(Int)
    /// A share (by weight) of what the fixed columns leave, but at least `min`.
    case flex(Int = 1, min: Int = 0)
}

/// A table column: header, width rule and alignment.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    public var width: ColumnWidth
    public var alignRight: Bool

    public init(_ title: String, _ width: ColumnWidth, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }
}

/// Rows in columns with a header and a selection; cells are clipped by display width with `…`.
///
/// ```swift
/// let table = TableView(columns: [TableColumn("Time", .fixed(19)), TableColumn("Action", .flex(2, min: 10))],
///                       rows: events.map { [StyledText($0.time), StyledText($0.action)] })
/// state = table.draw(into: &buffer, in: inner, state: state)
/// ```
public struct TableView: Sendable {
    public var columns: [TableColumn]
    public var rows: [[StyledText]]
    public var focused: Bool
    public var showsHeader: Bool
    /// Blank columns between table columns.
    public var spacing: Int
    /// Shown (muted) under the header when there are no rows.
    public var emptyText: String

    public init(columns: [TableColumn], rows: [[StyledText]], focused: Bool = true, showsHeader: Bool = true,
                spacing: Int = 1, emptyText: String = "") {
        self.columns = columns
        self.rows = rows
        self.focused = focused
        self.showsHeader = showsHeader
        self.spacing = spacing
        self.emptyText = emptyText
    }

    /// Rows of data that fit in `area` (its height less the header).
    public func visibleRows(in area: Rect) -> Int { max(0, area.height - (showsHeader ? 1 : 0)) }

    /// Draws header and visible rows; returns the state as drawn.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, in area: Rect, state: ListState) -> ListState {
        let bodyRows = visibleRows(in: area)
        let state = state.adjusted(count: rows.count, visibleRows: bodyRows)
        guard !area.isEmpty else { return state }
        let widths = Self.columnWidths(columns.map(\.width), total: area.width, spacing: spacing)
        var y = area.y
        if showsHeader {
            let header = columns.map { StyledText($0.title, .tableHeader) }
            drawRow(header, widths: widths, into: &buffer, line: area.row(0))
            y += 1
        }
        if rows.isEmpty {
            buffer.put(emptyText, at: Point(x: area.x, y: y), style: Style(.muted), clipTo: area)
            return state
        }
        for visible in 0..<bodyRows {
            let index = state.offset + visible
            guard index < rows.count else { break }
            let line = area.row(y - area.y + visible)
            drawRow(rows[index], widths: widths, into: &buffer, line: line)
            if index == state.selected { buffer.highlightSelection(line, focused: focused) }
        }
        return state
    }

    private func drawRow(_ cells: [StyledText], widths: [Int], into buffer: inout ScreenBuffer, line: Rect) {
        var x = line.x
        for (index, width) in widths.enumerated() {
            defer { x += width + (width > 0 ? spacing : 0) }
            guard width > 0, index < cells.count else { continue }
            let alignRight = index < columns.count && columns[index].alignRight
            let text = cells[index].padded(to: width, alignRight: alignRight)
            let cellRect = Rect(x: x, y: line.y, width: width, height: 1).intersection(line)
            buffer.put(text, at: Point(x: x, y: line.y), clipTo: cellRect)
        }
    }

    /// Widths for each column in `total` cells: fixed columns first (cut when short), then each flex column
    /// its minimum (left to right; one that cannot have it is hidden), then the rest shared by weight.
    /// Hidden columns get 0 and give back their spacing.
    static func columnWidths(_ rules: [ColumnWidth], total: Int, spacing: Int) -> [Int] {
        var visible = Array(rules.indices)
        while true {
            let widths = widths(rules, visible: visible, total: total, spacing: spacing)
            // A column squeezed to nothing gives its gap back to the others; lay out again without it.
            let shown = visible.filter { widths[$0] > 0 }
            if shown.count == visible.count { return widths }
            visible = shown
        }
    }

    private static func widths(_ rules: [ColumnWidth], visible: [Int], total: Int, spacing: Int) -> [Int] {
        var widths = [Int](repeating: 0, count: rules.count)
        var remaining = max(0, total - max(0, spacing) * max(0, visible.count - 1))
        func claim(_ index: Int, _ wanted: Int) {
            let granted = min(max(0, wanted), remaining)
            widths[index] += granted
            remaining -= granted
        }
        for index in visible { if case .fixed(let n) = rules[index] { claim(index, n) } }
        // A flex column that cannot have its minimum is hidden rather than squeezed illegible.
        for index in visible {
            if case .flex(_, let minimum) = rules[index], remaining >= max(1, minimum) { claim(index, max(1, minimum)) }
        }
        let weights = rules.indices.map { index -> Int in
            if case .flex(let weight, _) = rules[index], visible.contains(index), widths[index] > 0 {
                return max(0, weight)
            }
            return 0
        }
        let weightSum = weights.reduce(0, +)
        guard weightSum > 0, remaining > 0 else { return widths }
        var handed = 0
        for index in widths.indices where weights[index] > 0 {
            let share = remaining * weights[index] / weightSum
            widths[index] += share
            handed += share
        }
        var extra = remaining - handed
        for index in widths.indices where weights[index] > 0 && extra > 0 {
            widths[index] += 1
            extra -= 1
        }
        return widths
    }
}
