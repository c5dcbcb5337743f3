import VigilCore
import VigilDetect
import VigilTerminal

/// The findings list: severity (marker and colour), first seen, title, main entity, count and triage state,
/// in report order, filtered by the pane's filter.
enum FindingsPane {
    static let columns = [
        TableColumn("Sev", .fixed(7)), TableColumn("First seen", .fixed(14)), TableColumn("Title", .flex(3, min: 16)),
        TableColumn("Entity", .flex(2, min: 10)), TableColumn("Count", .fixed(5), alignRight: true),
        TableColumn("State", .fixed(5)),
    ]

    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in frame: Rect) {
        let focused = state.focus == .findings && state.overlay == nil
        let rows = env.findingRows(state)
        let unseen = env.unseenFindings(state)
        var trailing = StyledText()
        if unseen > 0 { trailing.append(" \(unseen) new ", .badge); trailing.append(" ") }
        let index = env.findingIndex(state, rows: rows)
        trailing.append(rows.isEmpty ? "0" : "\((index ?? 0) + 1)/\(NumberFormat.count(rows.count))")
        if rows.count != env.data.findings.count { trailing.append(" of \(NumberFormat.count(env.data.findings.count))") }
        let title = StyledText("1 Findings") + (state.findings.filterText.isEmpty ? StyledText() : StyledText(" (filtered)", .muted))
        Box(title: title, trailingTitle: trailing, focused: focused).draw(into: &buffer, in: frame)

        let geometry = FindingsGeometry(frame: frame, state: state)
        let editing = editingPrompt(state)
        if let row = geometry.filterRow {
            PaneSupport.drawFilter(text: state.findings.filterText, hint: "severity>=high rule:… entity:…",
                                   editing: editing?.prompt, into: &buffer, in: row)
        }
        if let row = geometry.errorRow, let error = editing?.error ?? state.findings.filterError {
            PaneSupport.drawError(error, text: editing?.prompt.text ?? state.findings.filterText, prefix: "filter: ",
                                  editing: editing?.prompt, into: &buffer, in: row)
        }
        let time = env.timeFormat(state)
        let list = state.findings.cursor.listState(index: index, count: rows.count, rows: geometry.bodyRows)
        PaneSupport.drawTable(columns: columns, count: rows.count, state: list, focused: focused,
                              emptyText: emptyText(state, env, filtered: !state.findings.filter.isEmpty),
                              into: &buffer, in: geometry.table) { i in
            let finding = rows[i]
            let fresh = !state.findings.seen.contains(finding.id)
            return [
                PaneSupport.severityLabel(finding.severity, theme: state.theme),
                StyledText(time.short(finding.firstSeen)),
                StyledText(finding.title, fresh ? Style(.text, .bold) : .plain),
                StyledText(PaneSupport.shortEntity(finding.primaryEntity), .muted),
                StyledText(NumberFormat.count(finding.count)),
                StyledText("new", .accent),
            ]
        }
    }

    static func editingPrompt(_ state: AppState) -> PromptState? {
        if case .prompt(let p) = state.overlay, p.purpose == .filter(.findings) { return p }
        return nil
    }

    private static func emptyText(_ state: AppState, _ env: Environment, filtered: Bool) -> String {
        switch state.ingest.phase {
        case .loading: return "detection runs once loading finishes (so it sees events in time order)…"
        case .detecting(let percent): return "detecting… \(percent)%"
        case .idle, .live:
            if env.data.engine == nil && env.data.findings.isEmpty && state.ingest.phase != .idle { return "loading rules…" }
            return filtered ? "no findings match the filter (f to change it)" : "no findings"
        }
    }
}
