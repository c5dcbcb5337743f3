import VigilCore
import VigilTerminal

/// The profile of one entity, over the panes: activity span, counts, what it did and from where, and the
/// findings that name it (Enter opens one, `p` pivots the timeline on the entity).
enum EntityPane {
    static func draw(_ view: EntityState, _ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in area: Rect) {
        let profile = env.data.caches.profile(view.entity, data: env.data)
        let time = env.timeFormat(state)
        let width = min(110, area.width - 2)
        var lines: [StyledText] = []
        func row(_ label: String, _ value: StyledText) { lines.append(StyledText(label.padding(11), .muted) + value) }
        row(view.entity.kind.rawValue, StyledText(view.entity.value, .link))
        if let term = profile.term { row("query", StyledText(term)) }
        var activity = StyledText(NumberFormat.count(profile.eventCount) + " events")
        if let first = profile.first, let last = profile.last {
            activity.append("   first ", .muted)
            activity.append(time.full(first))
            activity.append("   last ", .muted)
            activity.append(time.full(last) + " " + time.mode.label)
        }
        row("activity", activity)
        func counts(_ label: String, _ values: [(value: String, count: Int)]) {
            guard !values.isEmpty else { return }
            let text = values.map { "\($0.value) \(NumberFormat.count($0.count))" }.joined(separator: " · ")
            for (k, line) in StyledText(text).wrapped(to: max(10, width - 4 - 11)).enumerated() {
                row(k == 0 ? label : "", line)
            }
        }
        counts("actions", profile.actions)
        counts("regions", profile.regions)
        counts("source IPs", profile.sourceIPs)
        lines.append("")
        lines.append(StyledText("Related findings (\(profile.related.count))", Style(.title, .underline)))
        let height = lines.count + max(2, profile.related.count) + 2
        let modal = Modal(title: StyledText("Entity · ") + StyledText(view.entity.kind.rawValue, .accent),
                          size: Size(width: width, height: min(height, area.height)),
                          trailingTitle: "p pivot · Enter open · Esc back")
        let inner = modal.draw(into: &buffer, in: area).inset(left: 1, right: 1)
        for (k, line) in lines.enumerated() where k < inner.height {
            buffer.put(line.truncated(to: inner.width), at: Point(x: inner.x, y: inner.y + k), clipTo: inner)
        }
        let listArea = inner.inset(top: lines.count)
        guard !listArea.isEmpty else { return }
        let items = profile.related.map { finding in
            PaneSupport.severityLabel(finding.severity, theme: state.theme) + StyledText("  ") + StyledText(finding.title)
                + StyledText("  " + time.short(finding.firstSeen), .muted)
        }
        let selected = profile.related.isEmpty ? nil : min(view.cursor, profile.related.count - 1)
        ListView(items: items, focused: true, emptyText: "no findings name this entity")
            .draw(into: &buffer, in: listArea, state: ListState(selected: selected, offset: 0))
    }
}
