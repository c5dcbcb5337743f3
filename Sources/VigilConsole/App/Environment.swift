import VigilCore
import VigilDetect
import VigilStore
import VigilTerminal

/// What the reducer and views may read besides the state: the data (store, findings, caches), the key map,
/// the clock and the user, and the local time zone. Views and the reducer never write to any of it, except
/// that caches fill themselves on first use.
struct Environment {
    let data: DataSource
    var keyMap: KeyMap
    /// The current time (fixed in tests so snapshots are stable).
    var now: Timestamp
    /// Who ticks checklist items (`$USER`).
    var userName: String
    /// Theme names for `:theme` completion.
    var themeNames: [String]
    /// Seconds east of UTC at an instant, for local time.
    var localOffset: @Sendable (Int64) -> Int

    init(data: DataSource, keyMap: KeyMap = .defaults, now: Timestamp, userName: String = "analyst",
         themeNames: [String] = Theme.builtInNames, localOffset: @escaping @Sendable (Int64) -> Int = { _ in 0 }) {
        self.data = data
        self.keyMap = keyMap
        self.now = now
        self.userName = userName
        self.themeNames = themeNames
        self.localOffset = localOffset
    }

    var store: EventStore { data.store }

    func timeFormat(_ state: AppState) -> TimeFormat {
        TimeFormat(mode: state.timeMode, offset: localOffset)
    }
}

// MARK: - Derived lists

extension Environment {
    /// The findings the pane lists: the engine's, in report order, through the pane's filter.
    func findingRows(_ state: AppState) -> [Finding] {
        data.caches.findings(data.findings, revision: data.findingsRevision, filter: state.findings.filter)
    }

    /// How many findings have not been on screen yet (the "new" badge).
    func unseenFindings(_ state: AppState) -> Int {
        data.caches.unseenCount(data.findings, revision: data.findingsRevision, seen: state.findings.seen)
    }

    /// The selected finding, if it is still listed.
    func selectedFinding(_ state: AppState) -> Finding? {
        guard let id = state.findings.selectedID else { return nil }
        return data.caches.finding(id: id, in: data.findings, revision: data.findingsRevision)
    }

    /// Index of the selected finding in the pane's rows (nearest by position when it went away).
    func findingIndex(_ state: AppState, rows: [Finding]) -> Int? {
        guard !rows.isEmpty else { return nil }
        if let id = state.findings.selectedID, let index = rows.firstIndex(where: { $0.hasID(id) }) { return index }
        return min(state.findings.cursor.index, rows.count - 1)
    }

    /// The events the timeline lists: matching the filter, inside the zoom window, evidence only when asked.
    func timelineRows(_ state: AppState) -> TimelineRows {
        let base: [EventStore.EventID]
        if state.timeline.evidenceOnly {
            let evidence = selectedFinding(state)?.evidence ?? []
            base = data.caches.evidence(evidence, findingID: state.findings.selectedID ?? "", query: state.timeline.query,
                                        timeline: data.timeline)
        } else {
            base = data.timeline.ids(matching: state.timeline.query)
        }
        guard let window = state.timeline.window else { return TimelineRows(ids: base, range: 0..<base.count) }
        let lower = data.timeline.firstIndex(atOrAfter: window.start, in: base)
        let upper = data.timeline.firstIndex(atOrAfter: window.end, in: base, range: lower..<base.count)
        return TimelineRows(ids: base, range: lower..<upper)
    }

    /// Position of the selected event among the rows (nearest in time when it is not listed).
    func timelineIndex(_ state: AppState, rows: TimelineRows) -> Int? {
        guard rows.count > 0 else { return nil }
        guard let id = state.timeline.selectedID, Int(id) < store.rowCount else {
            return min(state.timeline.cursor.index, rows.count - 1)
        }
        let position = data.timeline.position(of: id, in: rows.ids, range: rows.range) - rows.range.lowerBound
        return min(max(0, position), rows.count - 1)
    }

    /// Evidence of the selected finding, for the marks in the timeline.
    func evidenceMarks(_ state: AppState) -> Set<EventStore.EventID> {
        guard let finding = selectedFinding(state) else { return [] }
        return data.caches.evidenceSet(finding)
    }

    /// The checklist items: the workstation list, then the playbook of the selected finding.
    func checklistItems(_ state: AppState) -> [ChecklistItem] {
        var items = WorkstationChecklist.items
        if let finding = selectedFinding(state) { items += Playbook.items(for: finding) }
        return items
    }

    func checklistIndex(_ state: AppState, items: [ChecklistItem]) -> Int? {
        guard !items.isEmpty else { return nil }
        if let id = state.checklist.selectedID, let index = items.firstIndex(where: { $0.id == id }) { return index }
        return min(state.checklist.cursor.index, items.count - 1)
    }

    /// What the detail pane shows now.
    func detailSubject(_ state: AppState) -> DetailSubject? {
        switch state.detailSource {
        case .findings:
            return selectedFinding(state).map { .finding($0.id) }
        case .timeline:
            let rows = timelineRows(state)
            guard let index = timelineIndex(state, rows: rows) else { return nil }
            return .event(rows[index])
        case .checklist:
            let items = checklistItems(state)
            return checklistIndex(state, items: items).map { .checklistItem(items[$0].id) }
        case .detail:
            return nil
        }
    }

    /// The detail pane's lines at a width (cached).
    func detailLines(_ state: AppState, width: Int) -> [DetailLine] {
        guard let subject = detailSubject(state) else { return [] }
        let key = DetailKey(subject: subject, width: width, timeMode: state.timeMode, markers: state.theme.severityMarkers,
                            ticks: state.checklist.ticks)
        return data.caches.detail(key) { DetailContent(environment: self, state: state, width: width).lines(for: subject) }
    }
}

/// A window onto a time-ordered id list, without copying it.
struct TimelineRows {
    let ids: [EventStore.EventID]
    let range: Range<Int>

    var count: Int { range.count }
    subscript(index: Int) -> EventStore.EventID { ids[range.lowerBound + index] }
}
