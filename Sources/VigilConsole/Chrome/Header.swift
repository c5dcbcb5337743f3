import VigilStore
import VigilCore
import VigilTerminal

/// The top row: case name, the span of the data, event and finding counts, and the ingest status.
enum Header {
    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in row: Rect) {
        let time = env.timeFormat(state)
        var left: [StyledText] = [StyledText("vigil", Style(.header, .bold)) + StyledText("  " + state.caseName)]
        let ordered = env.data.timeline.ordered
        if let first = ordered.first, let last = ordered.last {
            left.append(StyledText(time.full(env.store.time(of: first)) + " → " + time.full(env.store.time(of: last)) + " " + time.mode.label))
        }
        left.append(StyledText(NumberFormat.plural(ordered.count, "event")))
        left.append(StyledText(NumberFormat.plural(env.data.findings.count, "finding")))
        StatusLine(left: left, right: [status(state.ingest)], role: .header).draw(into: &buffer, in: row)
    }

    /// `● idle`, `◐ loading 12/140 files · 45,210 events · 31.2k ev/s`, `◐ detecting 45%`, `● live · 12 ev/s`.
    static func status(_ ingest: IngestStatus) -> StyledText {
        var text = StyledText()
        switch ingest.phase {
        case .loading:
            text.append("◐ loading", .warn)
            if ingest.filesTotal > 0 { text.append(" \(ingest.filesDone)/\(ingest.filesTotal) files") }
            text.append(" · \(NumberFormat.plural(ingest.eventsRead, "event")) · \(NumberFormat.compact(ingest.rate)) ev/s")
        case .detecting(let percent):
            text.append("◐ detecting \(percent)%", .warn)
        case .live:
            text.append("● live", .ok)
            text.append(" · \(NumberFormat.compact(ingest.rate)) ev/s")
        case .idle:
            text.append("● idle", .ok)
        }
        if ingest.errors + ingest.warnings > 0 {
            text.append(" · \(ingest.errors + ingest.warnings) problems (--log)", .warn)
        }
        return text
    }
}

/// The second row: tabs with the unseen-findings badge, and the breadcrumb when drilled in.
enum TabBar {
    static func tabs(_ state: AppState, _ env: Environment) -> [Tab] {
        let unseen = env.unseenFindings(state)
        return Pane.allCases.map { pane in
            Tab(pane.title, badge: pane == .findings && unseen > 0 ? " \(unseen) new " : "")
        }
    }

    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in row: Rect) {
        let tabs = Tabs(tabs(state, env), selected: state.focus.rawValue)
        tabs.draw(into: &buffer, in: row)
        let used = tabs.layout(in: row).last.map { $0.maxX } ?? row.x
        let crumbs = Breadcrumb.text(state, env)
        let room = row.maxX - used - 2
        guard !crumbs.isEmpty, room > 8 else { return }
        let shown = crumbs.truncated(to: room)
        buffer.put(shown, at: Point(x: row.maxX - shown.width - 1, y: row.y), clipTo: row)
    }
}

/// Where the user is when drilled in: `Findings › New IAM user… › principal:…`.
enum Breadcrumb {
    static func parts(_ state: AppState, _ env: Environment) -> [String] {
        let entity: EntityState? = if case .entity(let view) = state.overlay { view } else { nil }
        guard state.focus == .detail || entity != nil else { return [] }
        var parts = [state.detailSource.title]
        switch env.detailSubject(state) {
        case .finding?: parts.append(env.selectedFinding(state)?.title ?? "finding")
        case .event(let id)?:
            let summary = EventSummary(env.store, id)
            parts.append(env.timeFormat(state).short(summary.time) + " " + summary.action)
        case .checklistItem(let id)?:
            parts.append(env.checklistItems(state).first { $0.id == id }?.title ?? "item")
        case nil: break
        }
        if let entity { parts.append(entity.entity.description) }
        return parts
    }

    static func text(_ state: AppState, _ env: Environment) -> StyledText {
        let parts = parts(state, env)
        var text = StyledText()
        for (k, part) in parts.enumerated() {
            if k > 0 { text.append(" › ", .muted) }
            text.append(part, k == parts.count - 1 ? Style(.accent) : Style(.muted))
        }
        return text
    }
}
