import VigilCore
import VigilStore
import VigilTerminal

/// The event timeline: a filter line (the query language), a histogram of the visible span with the
/// selection marked, and one line per event (time, actor, action, target, outcome, source), evidence of the
/// selected finding marked with `◆`.
enum TimelinePane {
    static let columns = [
        TableColumn("", .fixed(1)), TableColumn("Time", .fixed(14)), TableColumn("Actor", .flex(2, min: 8)),
        TableColumn("Action", .flex(3, min: 10)), TableColumn("Target", .flex(3, min: 8)),
        TableColumn("Outcome", .flex(1, min: 7)), TableColumn("Source", .flex(2, min: 9)),
    ]

    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in frame: Rect) {
        let focused = state.focus == .timeline && state.overlay == nil
        let rows = env.timelineRows(state)
        let index = env.timelineIndex(state, rows: rows)
        let time = env.timeFormat(state)
        var title = StyledText("2 Timeline")
        if state.timeline.evidenceOnly { title.append(" · evidence only", .accent) }
        if let window = state.timeline.window { title.append(" · \(TimeFormat.duration(milliseconds: window.length)) zoom", .muted) }
        var trailing = StyledText(rows.count == 0 ? "0" : "\((index ?? 0) + 1)/\(NumberFormat.count(rows.count))")
        if rows.count != env.data.timeline.ordered.count {
            trailing.append(" of \(NumberFormat.count(env.data.timeline.ordered.count))", .muted)
        }
        trailing.append(" " + time.mode.label, .muted)
        Box(title: title, trailingTitle: trailing, focused: focused).draw(into: &buffer, in: frame)

        let geometry = TimelineGeometry(frame: frame, state: state)
        let editing = editingPrompt(state)
        PaneSupport.drawFilter(text: state.timeline.filterText, hint: "none (f: user:alice action:Create* ip:203.0.113.0/24 …)",
                               editing: editing?.prompt, into: &buffer, in: geometry.filterRow)
        if let row = geometry.errorRow, let error = editing?.error ?? state.timeline.filterError {
            PaneSupport.drawError(error, text: editing?.prompt.text ?? state.timeline.filterText, prefix: "filter: ",
                                  editing: editing?.prompt, into: &buffer, in: geometry.errorRow ?? row)
        }
        drawHistogram(state, env, rows: rows, selected: index.map { rows[$0] }, time: time, geometry: geometry, into: &buffer)

        let marks = env.evidenceMarks(state)
        let store = env.store
        let list = state.timeline.cursor.listState(index: index, count: rows.count, rows: geometry.bodyRows)
        PaneSupport.drawTable(columns: columns, count: rows.count, state: list, focused: focused,
                              emptyText: emptyText(state, env), into: &buffer, in: geometry.table) { i in
            let id = rows[i]
            let summary = EventSummary(store, id)
            return [
                marks.contains(id) ? StyledText("◆", .evidenceMark) : StyledText(" "),
                StyledText(time.short(summary.time), .muted),
                StyledText(summary.actor),
                StyledText(summary.action, .accent),
                StyledText(summary.target),
                StyledText(summary.outcome, summary.succeeded ? .ok : .error),
                StyledText(summary.source, .muted),
            ]
        }
    }

    static func editingPrompt(_ state: AppState) -> PromptState? {
        if case .prompt(let p) = state.overlay, p.purpose == .filter(.timeline) { return p }
        return nil
    }

    /// Bars over the window (or the rows' whole span): each column counts its slice of time by two binary
    /// searches, so the strip costs the same for ten events or ten million.
    private static func drawHistogram(_ state: AppState, _ env: Environment, rows: TimelineRows, selected: EventStore.EventID?,
                                      time: TimeFormat, geometry: TimelineGeometry, into buffer: inout ScreenBuffer) {
        let area = geometry.histogram
        guard !area.isEmpty, rows.count > 0 else { return }
        let store = env.store
        let start = state.timeline.window?.start ?? store.time(of: rows[0]).milliseconds
        let end = state.timeline.window?.end ?? (store.time(of: rows[rows.count - 1]).milliseconds + 1)
        let columns = area.width
        let span = max(1, end - start)
        var values: [Int] = []
        values.reserveCapacity(columns)
        var previous = env.data.timeline.firstIndex(atOrAfter: start, in: rows.ids, range: rows.range)
        for column in 0..<columns {
            let edge = start + span * Int64(column + 1) / Int64(columns)
            let next = env.data.timeline.firstIndex(atOrAfter: edge, in: rows.ids, range: previous..<rows.range.upperBound)
            values.append(next - previous)
            previous = next
        }
        var marked: Range<Int>?
        if let selected {
            let t = store.time(of: selected).milliseconds
            let column = Int(min(Int64(columns - 1), max(0, (t - start) * Int64(columns) / span)))
            marked = column..<(column + 1)
        }
        Histogram(values: values, marked: marked).draw(into: &buffer, in: area)
        guard let axis = geometry.axis else { return }
        let left = StyledText(time.short(Timestamp(milliseconds: start)), .muted)
        let right = StyledText(time.short(Timestamp(milliseconds: end - 1)), .muted)
        let middle = StyledText("each bar \(TimeFormat.duration(milliseconds: span / Int64(columns)))", .muted)
        buffer.put(left, at: axis.origin, clipTo: axis)
        if axis.width > left.width + right.width + middle.width + 4 {
            buffer.put(middle, at: Point(x: axis.x + (axis.width - middle.width) / 2, y: axis.y), clipTo: axis)
        }
        if axis.width > left.width + right.width + 1 {
            buffer.put(right, at: Point(x: axis.maxX - right.width, y: axis.y), clipTo: axis)
        }
    }

    private static func emptyText(_ state: AppState, _ env: Environment) -> String {
        if state.ingest.phase == .loading && env.data.timeline.ordered.isEmpty { return "loading…" }
        if state.timeline.evidenceOnly { return "no evidence events (e shows all events)" }
        if state.timeline.query != nil { return "no events match the filter" }
        if state.timeline.window != nil { return "no events in this time window (0 shows all)" }
        return "no events"
    }
}
