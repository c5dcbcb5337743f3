import VigilTerminal

/// The selected finding, event or checklist item in full: scrollable, with a cursor line that `p` pivots on
/// and Enter opens (entities).
enum DetailPane {
    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in frame: Rect) {
        let focused = state.focus == .detail && state.overlay == nil
        let inner = Box.inner(frame)
        let lines = env.detailLines(state, width: inner.width)
        var title = StyledText("4 Detail")
        switch env.detailSubject(state) {
        case .finding?: title.append(" · finding", .muted)
        case .event?: title.append(" · event", .muted)
        case .checklistItem?: title.append(" · checklist item", .muted)
        case nil: break
        }
        var trailing = StyledText()
        if !lines.isEmpty { trailing.append("\(state.detail.cursor + 1)/\(lines.count)") }
        Box(title: title, trailingTitle: trailing, focused: focused).draw(into: &buffer, in: frame)
        guard !lines.isEmpty else {
            buffer.put("select a finding, an event or a checklist item", at: inner.origin, style: Style(.muted), clipTo: inner)
            return
        }
        let highlight = state.search?.pane == .detail ? state.search?.term ?? "" : ""
        let end = min(lines.count, state.detail.scroll.offset + inner.height)
        let window = state.detail.scroll.offset < end ? lines[state.detail.scroll.offset..<end].map(\.text) : []
        TextView(lines: Array(window), highlight: highlight)
            .draw(into: &buffer, in: inner, state: TextViewState(offset: 0, column: state.detail.scroll.column))
        if focused {
            let row = state.detail.cursor - state.detail.scroll.offset
            if row >= 0, row < inner.height { buffer.setRole(.selection, in: inner.row(row)) }
        }
    }
}
