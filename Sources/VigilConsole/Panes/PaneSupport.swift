import VigilCore
import VigilDetect
import VigilTerminal

/// Drawing helpers the panes share: filter lines with inline errors, windows of table rows, short labels.
enum PaneSupport {
    /// Draws a filter line: the prompt while it is edited, else `filter: TEXT` (or a hint when empty).
    static func drawFilter(text: String, hint: String, editing: Prompt?, into buffer: inout ScreenBuffer, in row: Rect) {
        if let editing {
            editing.draw(into: &buffer, in: row)
            return
        }
        var line = StyledText("filter: ", .prompt)
        if text.isEmpty { line.append(hint, .muted) } else { line.append(text) }
        buffer.put(line.truncated(to: row.width), at: row.origin, clipTo: row)
    }

    /// Draws `^ message` under the filter line, the caret under the offending column.
    static func drawError(_ error: FilterError, text: String, prefix: String, editing: Prompt?,
                          into buffer: inout ScreenBuffer, in row: Rect) {
        let before = TextSanitizer.sanitize(String(text.prefix(error.column)))
        var column = DisplayWidth.columns(of: prefix) + DisplayWidth.columns(of: before)
        if let editing {
            // The prompt scrolls sideways to keep its cursor in view; follow it.
            let field = row.width - DisplayWidth.columns(of: prefix)
            let cursorColumn = DisplayWidth.columns(of: TextSanitizer.sanitize(String(editing.text.prefix(editing.cursor))))
            column -= max(0, cursorColumn - (field - 1))
        }
        let caret = max(0, min(column, row.width - 1))
        let message = StyledText("^ " + error.message, .error)
        let x = caret + message.width <= row.width ? row.x + caret : row.x
        buffer.put(message.truncated(to: row.width), at: Point(x: x, y: row.y), clipTo: row)
    }

    /// Draws a table showing only the visible window of rows, built on demand: a million-row list costs what
    /// its visible rows cost.
    static func drawTable(columns: [TableColumn], count: Int, state: ListState, focused: Bool, emptyText: String,
                          into buffer: inout ScreenBuffer, in area: Rect, row: (Int) -> [StyledText]) {
        let bodyRows = max(0, area.height - 1)
        let end = min(count, state.offset + bodyRows)
        let window = state.offset < end ? (state.offset..<end).map(row) : []
        let local = ListState(selected: state.selected.map { $0 - state.offset }, offset: 0)
        let table = TableView(columns: columns, rows: window, focused: focused, emptyText: emptyText)
        table.draw(into: &buffer, in: area, state: local)
    }

    /// A short form of an entity for tables: `user/jordan.reyes` for an IAM ARN, the value otherwise.
    static func shortEntity(_ entity: Entity?) -> String {
        guard let entity else { return "" }
        var value = entity.value
        if entity.kind == .group, let first = PivotQuery.groupFields(value).first { value = first.value }
        if value.hasPrefix("arn:"), let colon = value.lastIndex(of: ":") {
            return String(value[value.index(after: colon)...])
        }
        return value
    }

    static func severityLabel(_ level: Severity, theme: Theme) -> StyledText {
        let names: [Severity: String] = [.critical: "crit", .high: "high", .medium: "med", .low: "low", .info: "info"]
        let marker = theme.severityMarker(level)
        return StyledText((marker.isEmpty ? "" : marker + " ") + (names[level] ?? ""), .severity(level))
    }
}
