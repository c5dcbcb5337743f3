import VigilTerminal

// MARK: - Mouse

extension Reducer {
    /// A click focuses the pane under it and selects the row (or tab); the wheel moves the selection of the
    /// pane under the pointer three rows at a time. Overlays take the wheel and ignore clicks.
    static func mouse(_ event: MouseEvent, _ state: inout AppState, _ env: Environment) {
        switch state.overlay {
        case .help, .entity:
            if case .click = event { return }
            _ = perform(wheel: event, &state, env)
            return
        case .prompt, .confirmQuit:
            return
        case nil:
            break
        }
        let layout = ConsoleLayout(state)
        let point = event.point
        if case .click = event, layout.tabs.contains(point) {
            if let tab = Tabs(TabBar.tabs(state, env), selected: state.focus.rawValue).tab(at: point, in: layout.tabs) {
                focus(Pane(rawValue: tab)!, &state)
            }
            return
        }
        guard let pane = layout.pane(at: point) else { return }
        focus(pane, &state)
        switch event {
        case .wheelUp, .wheelDown:
            for _ in 0..<3 { move(event.isWheelUp ? .up : .down, &state, env) }
        case .click:
            click(at: point, in: pane, layout: layout, &state, env)
        }
    }

    private static func perform(wheel event: MouseEvent, _ state: inout AppState, _ env: Environment) -> [Effect] {
        switch event {
        case .wheelUp: return reduce(&state, .command(.up), env)
        case .wheelDown: return reduce(&state, .command(.down), env)
        case .click: return []
        }
    }

    private static func click(at point: Point, in pane: Pane, layout: ConsoleLayout, _ state: inout AppState, _ env: Environment) {
        let frame = layout.frame(for: pane)
        switch pane {
        case .findings:
            let geometry = FindingsGeometry(frame: frame, state: state)
            let list = env.findingRows(state)
            guard let index = env.findingIndex(state, rows: list) else { return }
            let drawn = state.findings.cursor.listState(index: index, count: list.count, rows: geometry.bodyRows)
            guard let row = drawn.row(atVisibleRow: point.y - geometry.firstRowY, count: list.count) else { return }
            state.findings.cursor.move(from: index, to: row, count: list.count, rows: geometry.bodyRows)
            state.findings.selectedID = list[row].id
        case .timeline:
            let geometry = TimelineGeometry(frame: frame, state: state)
            let list = env.timelineRows(state)
            guard let index = env.timelineIndex(state, rows: list) else { return }
            let drawn = state.timeline.cursor.listState(index: index, count: list.count, rows: geometry.bodyRows)
            guard let row = drawn.row(atVisibleRow: point.y - geometry.firstRowY, count: list.count) else { return }
            state.timeline.cursor.move(from: index, to: row, count: list.count, rows: geometry.bodyRows)
            state.timeline.selectedID = list[row]
        case .checklist:
            let inner = Box.inner(frame)
            let items = env.checklistItems(state)
            guard let index = env.checklistIndex(state, items: items) else { return }
            let drawn = state.checklist.cursor.listState(index: index, count: items.count, rows: inner.height)
            guard let row = drawn.row(atVisibleRow: point.y - inner.y, count: items.count) else { return }
            state.checklist.cursor.move(from: index, to: row, count: items.count, rows: inner.height)
            state.checklist.selectedID = items[row].id
        case .detail:
            let inner = Box.inner(frame)
            let count = env.detailLines(state, width: inner.width).count
            let line = state.detail.scroll.offset + point.y - inner.y
            if point.y >= inner.y, line < count { state.detail.cursor = line }
        }
    }
}

extension MouseEvent {
    var isWheelUp: Bool { if case .wheelUp = self { true } else { false } }
}
