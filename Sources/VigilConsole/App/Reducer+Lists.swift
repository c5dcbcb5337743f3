import VigilCore
import VigilStore
import VigilTerminal

// MARK: - Moving in lists, zooming in time, keeping selections anchored

extension Reducer {
    /// Rows of data a pane shows at the current size (as if focused when it is hidden).
    static func bodyRows(_ pane: Pane, _ state: AppState) -> Int {
        let frame = ConsoleLayout(state).frame(for: pane)
        switch pane {
        case .findings: return FindingsGeometry(frame: frame, state: state).bodyRows
        case .timeline: return TimelineGeometry(frame: frame, state: state).bodyRows
        case .checklist, .detail: return max(0, Box.inner(frame).height)
        }
    }

    static func detailWidth(_ state: AppState) -> Int {
        max(10, Box.inner(ConsoleLayout(state).frame(for: .detail)).width)
    }

    /// The new index for a movement command, from `index` in a list of `count` rows with `rows` visible.
    static func target(_ command: Command, from index: Int, count: Int, rows: Int) -> Int {
        switch command {
        case .down: index + 1
        case .up: index - 1
        case .pageDown: index + max(1, rows)
        case .pageUp: index - max(1, rows)
        case .halfPageDown: index + max(1, rows / 2)
        case .halfPageUp: index - max(1, rows / 2)
        case .top: 0
        case .bottom: count - 1
        default: index
        }
    }

    static func move(_ command: Command, _ state: inout AppState, _ env: Environment) {
        let paging = [.pageUp, .pageDown, .halfPageUp, .halfPageDown].contains(command)
        let rows = bodyRows(state.focus, state)
        switch state.focus {
        case .findings:
            let list = env.findingRows(state)
            guard let index = env.findingIndex(state, rows: list) else { return }
            let next = target(command, from: index, count: list.count, rows: rows)
            state.findings.cursor.move(from: index, to: next, count: list.count, rows: rows, keepRow: paging)
            state.findings.selectedID = list[state.findings.cursor.index].id
        case .timeline:
            let list = env.timelineRows(state)
            guard let index = env.timelineIndex(state, rows: list) else { return }
            let next = target(command, from: index, count: list.count, rows: rows)
            state.timeline.cursor.move(from: index, to: next, count: list.count, rows: rows, keepRow: paging)
            state.timeline.selectedID = list[state.timeline.cursor.index]
        case .checklist:
            let items = env.checklistItems(state)
            guard let index = env.checklistIndex(state, items: items) else { return }
            let next = target(command, from: index, count: items.count, rows: rows)
            state.checklist.cursor.move(from: index, to: next, count: items.count, rows: rows, keepRow: paging)
            state.checklist.selectedID = items[state.checklist.cursor.index].id
        case .detail:
            let count = env.detailLines(state, width: detailWidth(state)).count
            guard count > 0 else { return }
            let old = state.detail.cursor
            state.detail.cursor = min(max(0, target(command, from: old, count: count, rows: rows)), count - 1)
            if paging { state.detail.scroll.scroll(by: state.detail.cursor - old, lineCount: count, visibleRows: rows) }
            followDetailCursor(&state, count: count, rows: rows)
        }
        if state.focus.isSource { state.detailSource = state.focus }
    }

    /// Scrolls the detail text so the cursor line is visible.
    static func followDetailCursor(_ state: inout AppState, count: Int, rows: Int) {
        let rows = max(1, rows)
        var scroll = state.detail.scroll
        if state.detail.cursor < scroll.offset { scroll.offset = state.detail.cursor }
        if state.detail.cursor >= scroll.offset + rows { scroll.offset = state.detail.cursor - rows + 1 }
        state.detail.scroll = scroll.adjusted(lineCount: count, visibleRows: rows)
    }

    /// Zooms the timeline's time window in (half as long) or out (twice) around the selected event.
    static func zoomTime(_ command: Command, _ state: inout AppState, _ env: Environment) {
        let base = state.timeline.evidenceOnly
            ? env.timelineRows(AppState.withoutWindow(state)).ids
            : env.data.timeline.ids(matching: state.timeline.query)
        guard let first = base.first, let last = base.last else { return }
        let span = TimeWindow(start: env.store.time(of: first).milliseconds, end: env.store.time(of: last).milliseconds + 1)
        if command == .zoomReset {
            state.timeline.window = nil
            inform(&state, env, "whole time span")
            return
        }
        let current = state.timeline.window ?? span
        let center = state.timeline.selectedID.map { env.store.time(of: $0).milliseconds } ?? (current.start + current.length / 2)
        let length = command == .zoomIn ? max(10_000, current.length / 2) : current.length * 2
        if length >= span.length {
            state.timeline.window = nil
            inform(&state, env, "whole time span")
            return
        }
        var start = center - length / 2
        start = max(span.start, min(start, span.end - length))
        state.timeline.window = TimeWindow(start: start, end: start + length)
        inform(&state, env, "showing \(TimeFormat.duration(milliseconds: length)) around the selection (- out, 0 all)")
    }

    // MARK: - Settling after every action

    /// Re-derives what depends on data and size: selections re-anchored by id, the detail cursor kept inside
    /// its text, and findings on screen marked seen.
    static func settle(_ state: inout AppState, _ env: Environment) {
        let findings = env.findingRows(state)
        let findingRows = bodyRows(.findings, state)
        if let index = env.findingIndex(state, rows: findings) {
            state.findings.selectedID = findings[index].id
            let drawn = state.findings.cursor.listState(index: index, count: findings.count, rows: findingRows)
            state.findings.cursor = ListCursor(index: index, screenRow: index - drawn.offset)
            if ConsoleLayout(state).isVisible(.findings) {
                for row in drawn.offset..<min(findings.count, drawn.offset + max(1, findingRows)) {
                    state.findings.seen.insert(findings[row].id)
                }
            }
        }
        let events = env.timelineRows(state)
        if let index = env.timelineIndex(state, rows: events) {
            state.timeline.selectedID = events[index]
            let drawn = state.timeline.cursor.listState(index: index, count: events.count, rows: bodyRows(.timeline, state))
            state.timeline.cursor = ListCursor(index: index, screenRow: index - drawn.offset)
        }
        let items = env.checklistItems(state)
        if let index = env.checklistIndex(state, items: items) {
            state.checklist.selectedID = items[index].id
            let drawn = state.checklist.cursor.listState(index: index, count: items.count, rows: bodyRows(.checklist, state))
            state.checklist.cursor = ListCursor(index: index, screenRow: index - drawn.offset)
        }
        let subject = env.detailSubject(state)
        if subject != state.detail.subject {
            state.detail = DetailState(subject: subject)
        }
        let count = env.detailLines(state, width: detailWidth(state)).count
        state.detail.cursor = max(0, min(state.detail.cursor, count - 1))
        followDetailCursor(&state, count: count, rows: bodyRows(.detail, state))
    }
}

extension AppState {
    /// The state without the timeline's zoom window (for measuring the whole span).
    static func withoutWindow(_ state: AppState) -> AppState {
        var copy = state
        copy.timeline.window = nil
        return copy
    }
}
