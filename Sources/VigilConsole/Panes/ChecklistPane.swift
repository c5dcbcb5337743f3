import VigilTerminal

/// The forensic-workstation checklist, then the playbook of the selected finding; ticked items say who
/// ticked them and when.
enum ChecklistPane {
    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in frame: Rect) {
        let focused = state.focus == .checklist && state.overlay == nil
        let items = env.checklistItems(state)
        let done = items.filter { state.checklist.ticks[$0.id] != nil }.count
        var trailing = StyledText("\(done)/\(items.count) done")
        if state.checklist.unsaved { trailing.append(" · not exported", .warn) }
        let inner = Box(title: "3 Checklist", trailingTitle: trailing, focused: focused).draw(into: &buffer, in: frame)
        let time = env.timeFormat(state)
        let index = env.checklistIndex(state, items: items)
        let list = state.checklist.cursor.listState(index: index, count: items.count, rows: inner.height)
        let end = min(items.count, list.offset + inner.height)
        let window = list.offset < end ? Array(items[list.offset..<end]) : []
        let markers = window.map { item in
            state.checklist.ticks[item.id] == nil ? StyledText("[ ]", .muted) : StyledText("[x]", .ok)
        }
        let lines = window.map { item -> StyledText in
            var line = StyledText()
            if item.section != WorkstationChecklist.section { line.append("playbook: ", .muted) }
            line.append(item.title)
            if let tick = state.checklist.ticks[item.id] {
                line.append("  ✓ \(tick.who) \(time.clock(tick.when))", .ok)
            }
            return line
        }
        let view = ListView(items: lines, markers: markers, focused: focused, emptyText: "nothing to check")
        view.draw(into: &buffer, in: inner, state: ListState(selected: list.selected.map { $0 - list.offset }, offset: 0))
    }
}
