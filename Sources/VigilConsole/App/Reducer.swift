import VigilCore
import VigilDetect
import VigilStore
import VigilTerminal

/// Turns actions into state changes and effects. Pure apart from reading the environment (and letting its
/// caches fill): no terminal, no files, no clock but `environment.now`.
enum Reducer {
    /// Applies an action and returns the effects for the runtime to perform.
    static func reduce(_ state: inout AppState, _ action: Action, _ env: Environment) -> [Effect] {
        var effects: [Effect] = []
        switch action {
        case .command(let command):
            effects = perform(command, &state, env)
        case .promptKey(let key):
            effects = promptKey(key, &state, env)
        case .mouse(let event):
            mouse(event, &state, env)
        case .resize(let size):
            state.size = size
        case .dataChanged(_, let status):
            state.ingest = status
        case .tick:
            if let status = state.status, status.level == .info, env.now.milliseconds - status.at.milliseconds > 6_000 {
                state.status = nil
            }
        case .run(let line):
            effects = runCommandLine(line, &state, env)
        case .themeLoaded(let theme):
            state.theme = theme
            inform(&state, env, "theme \(theme.name)")
        case .report(let text, let level):
            state.status = StatusMessage(text: text, level: level, at: env.now)
        case .checklistExported(let path):
            state.checklist.unsaved = false
            inform(&state, env, "checklist written to \(path)")
        case .unbound(let key):
            inform(&state, env, "\(key) does nothing here; ? lists the keys", level: .warning)
        }
        settle(&state, env)
        return effects
    }

    /// `reduce` as a function of values, for tests that like to compare before and after.
    static func reduced(_ state: AppState, _ action: Action, _ env: Environment) -> (AppState, [Effect]) {
        var copy = state
        let effects = reduce(&copy, action, env)
        return (copy, effects)
    }

    /// The action for a key, given what has the keyboard: an open prompt gets every key; otherwise the key map
    /// of the overlay or focused pane decides. Nil for keys the runtime handles itself (resize).
    static func action(for key: Key, state: AppState, keyMap: KeyMap) -> Action? {
        switch key {
        case .resize: return nil
        case .mouse(let event): return .mouse(event)
        default: break
        }
        let context: KeyContext
        switch state.overlay {
        case .prompt: return .promptKey(key)
        case .help(let help):
            if help.editing != nil { return .promptKey(key) }
            context = .help
        case .entity: context = .entity
        case .confirmQuit: context = .confirm
        case nil: context = KeyContext(state.focus)
        }
        return keyMap.command(for: key, in: context).map(Action.command) ?? .unbound(key)
    }

    static func inform(_ state: inout AppState, _ env: Environment, _ text: String, level: StatusMessage.Level = .info) {
        state.status = StatusMessage(text: text, level: level, at: env.now)
    }

    // MARK: - Commands

    private static func perform(_ command: Command, _ state: inout AppState, _ env: Environment) -> [Effect] {
        switch state.overlay {
        case .confirmQuit: return confirm(command, &state)
        case .help: help(command, &state, env); return []
        case .entity: return entity(command, &state, env)
        case .prompt, nil: break
        }
        switch command {
        case .quit:
            if state.checklist.unsaved {
                state.overlay = .confirmQuit
                return []
            }
            return [.quit]
        case .help:
            state.overlay = .help(HelpState(context: KeyContext(state.focus)))
        case .commandLine:
            openPrompt(.command, &state, env)
        case .search:
            openPrompt(.search, &state, env)
        case .searchNext, .searchPrevious:
            repeatSearch(forward: command == .searchNext, &state, env)
        case .filter:
            let pane: Pane = state.focus == .findings ? .findings : .timeline
            if pane != state.focus { focus(.timeline, &state) }
            openPrompt(.filter(pane), &state, env)
        case .focusNext:
            focus(Pane(rawValue: (state.focus.rawValue + 1) % Pane.allCases.count)!, &state)
        case .focusPrevious:
            focus(Pane(rawValue: (state.focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!, &state)
        case .focusFindings: focus(.findings, &state)
        case .focusTimeline: focus(.timeline, &state)
        case .focusChecklist: focus(.checklist, &state)
        case .focusDetail: focus(.detail, &state)
        case .focusLeft, .focusRight:
            let right = command == .focusRight
            if ConsoleLayout(state).isGrid {
                focus(ConsoleLayout.neighbour(of: state.focus, right: right), &state)
            } else {
                let step = right ? 1 : Pane.allCases.count - 1
                focus(Pane(rawValue: (state.focus.rawValue + step) % Pane.allCases.count)!, &state)
            }
        case .zoom:
            state.zoomed.toggle()
        case .back:
            back(&state)
        case .toggleTime:
            state.timeMode = state.timeMode.toggled
            inform(&state, env, "times in \(state.timeMode == .utc ? "UTC" : "local time")")
        case .up, .down, .pageUp, .pageDown, .halfPageUp, .halfPageDown, .top, .bottom:
            move(command, &state, env)
        case .open:
            open(&state, env)
        case .zoomIn, .zoomOut, .zoomReset:
            guard state.focus == .timeline else { return [] }
            zoomTime(command, &state, env)
        case .toggleEvidence:
            toggleEvidence(&state, env)
        case .tick:
            tick(&state, env)
        case .scrollLeft, .scrollRight:
            guard state.focus == .detail else { return [] }
            state.detail.scroll.scrollColumns(by: command == .scrollRight ? 8 : -8)
        case .pivot, .pivotAnd:
            guard state.focus == .detail else { return [] }
            let lines = env.detailLines(state, width: detailWidth(state))
            guard state.detail.cursor < lines.count, let term = lines[state.detail.cursor].pivot else {
                if jumpToNext(where: { $0.pivot != nil }, in: lines, &state) {
                    inform(&state, env, "\(command == .pivot ? "p" : "P") again filters the timeline on this line")
                } else {
                    inform(&state, env, "nothing to pivot on here", level: .warning)
                }
                return []
            }
            pivot(term, adding: command == .pivotAnd, &state, env)
        case .confirm, .cancel:
            break
        }
        return []
    }

    /// Moves the focus; focusing a list makes the detail pane follow it.
    static func focus(_ pane: Pane, _ state: inout AppState) {
        state.focus = pane
        if pane.isSource { state.detailSource = pane }
    }

    /// Esc: close what is open, else go up a level (detail → its list), else leave zoom, else forget the search.
    private static func back(_ state: inout AppState) {
        if state.focus == .detail {
            state.focus = state.detailSource
        } else if state.zoomed {
            state.zoomed = false
        } else if state.search != nil {
            state.search = nil
        }
    }

    private static func open(_ state: inout AppState, _ env: Environment) {
        switch state.focus {
        case .findings, .timeline, .checklist:
            state.detailSource = state.focus
            state.focus = .detail
        case .detail:
            let lines = env.detailLines(state, width: detailWidth(state))
            guard state.detail.cursor < lines.count, let entity = lines[state.detail.cursor].entity else {
                // Enter elsewhere moves to the next entity, so Enter Enter opens the first one.
                if jumpToNext(where: { $0.entity != nil }, in: lines, &state) {
                    inform(&state, env, "Enter again opens this entity's profile")
                } else {
                    inform(&state, env, "no entity to open here", level: .warning)
                }
                return
            }
            state.overlay = .entity(EntityState(entity: entity))
        }
    }

    /// Moves the detail cursor to the next line (after the cursor, wrapping) that satisfies `test`.
    private static func jumpToNext(where test: (DetailLine) -> Bool, in lines: [DetailLine], _ state: inout AppState) -> Bool {
        guard !lines.isEmpty else { return false }
        for step in 1...lines.count {
            let index = (state.detail.cursor + step) % lines.count
            if test(lines[index]) {
                state.detail.cursor = index
                followDetailCursor(&state, count: lines.count, rows: bodyRows(.detail, state))
                return true
            }
        }
        return false
    }

    private static func confirm(_ command: Command, _ state: inout AppState) -> [Effect] {
        switch command {
        case .confirm: return [.quit]
        case .cancel: state.overlay = nil
        default: break
        }
        return []
    }

    private static func help(_ command: Command, _ state: inout AppState, _ env: Environment) {
        guard case .help(var help) = state.overlay else { return }
        let lines = HelpOverlay.lines(help, keyMap: env.keyMap).count
        let page = max(1, HelpOverlay.visibleRows(state.size))
        switch command {
        case .back:
            if !help.filter.isEmpty { help.filter = ""; help.scroll = 0 } else { state.overlay = nil; return }
        case .search: help.editing = Prompt(prefix: "/", text: help.filter)
        case .down: help.scroll += 1
        case .up: help.scroll -= 1
        case .pageDown, .halfPageDown: help.scroll += page
        case .pageUp, .halfPageUp: help.scroll -= page
        case .top: help.scroll = 0
        case .bottom: help.scroll = lines
        default: break
        }
        help.scroll = max(0, min(help.scroll, lines - page))
        state.overlay = .help(help)
    }

    private static func entity(_ command: Command, _ state: inout AppState, _ env: Environment) -> [Effect] {
        guard case .entity(var view) = state.overlay else { return [] }
        let profile = env.data.caches.profile(view.entity, data: env.data)
        let count = profile.related.count
        switch command {
        case .back:
            state.overlay = nil
            return []
        case .down: view.cursor += 1
        case .up: view.cursor -= 1
        case .pageDown, .halfPageDown: view.cursor += 5
        case .pageUp, .halfPageUp: view.cursor -= 5
        case .top: view.cursor = 0
        case .bottom: view.cursor = count - 1
        case .pivot, .pivotAnd:
            state.overlay = nil
            guard let term = profile.term else {
                inform(&state, env, "no events carry this entity", level: .warning)
                return []
            }
            pivot(term, adding: command == .pivotAnd, &state, env)
            return []
        case .open:
            guard count > 0 else { return [] }
            let finding = profile.related[min(max(0, view.cursor), count - 1)]
            state.overlay = nil
            select(finding: finding.id, &state, env)
            return []
        default: break
        }
        view.cursor = max(0, min(view.cursor, count - 1))
        state.overlay = .entity(view)
        return []
    }

    /// Selects a finding by id and focuses the findings pane (clearing a filter that hides it).
    static func select(finding id: String, _ state: inout AppState, _ env: Environment) {
        if !env.findingRows(state).contains(where: { $0.hasID(id) }) {
            state.findings.filterText = ""
            state.findings.filter = FindingFilter()
            state.findings.filterError = nil
        }
        state.findings.selectedID = id
        let rows = env.findingRows(state)
        if let index = rows.firstIndex(where: { $0.hasID(id) }) {
            state.findings.cursor.move(from: env.findingIndex(state, rows: rows), to: index, count: rows.count,
                                       rows: bodyRows(.findings, state))
        }
        focus(.findings, &state)
    }

    /// Filters the timeline on a term (or adds it to the filter) and shows the timeline.
    static func pivot(_ term: String, adding: Bool, _ state: inout AppState, _ env: Environment) {
        let current = state.timeline.filterText.stripping(" ")
        let text = adding && !current.isEmpty ? current + " " + term : term
        guard applyTimelineFilter(text, &state, env) else { return }
        state.timeline.evidenceOnly = false
        focus(.timeline, &state)
        inform(&state, env, "timeline filtered on " + text)
    }

    /// Parses and applies a timeline filter; on a syntax error, keeps the old filter and records the error.
    @discardableResult
    static func applyTimelineFilter(_ text: String, _ state: inout AppState, _ env: Environment) -> Bool {
        let trimmed = text.stripping(" ")
        do {
            let query = trimmed.isEmpty ? nil : try Query(trimmed)
            state.timeline.filterText = trimmed
            state.timeline.query = query
            state.timeline.filterError = nil
            return true
        } catch {
            state.timeline.filterError = FilterError(message: error.message, column: error.column)
            return false
        }
    }

    @discardableResult
    static func applyFindingsFilter(_ text: String, _ state: inout AppState) -> Bool {
        let trimmed = text.stripping(" ")
        do {
            state.findings.filter = try FindingFilter.parse(trimmed)
            state.findings.filterText = trimmed
            state.findings.filterError = nil
            return true
        } catch {
            state.findings.filterError = error
            return false
        }
    }

    private static func tick(_ state: inout AppState, _ env: Environment) {
        guard state.focus == .checklist else { return }
        let items = env.checklistItems(state)
        guard let index = env.checklistIndex(state, items: items) else { return }
        let item = items[index]
        if state.checklist.ticks.removeValue(forKey: item.id) == nil {
            state.checklist.ticks[item.id] = ChecklistTick(who: env.userName, when: env.now)
            inform(&state, env, "ticked: \(item.title)")
        } else {
            inform(&state, env, "unticked: \(item.title)")
        }
        state.checklist.unsaved = true
    }

    private static func toggleEvidence(_ state: inout AppState, _ env: Environment) {
        guard state.timeline.evidenceOnly || env.selectedFinding(state) != nil else {
            inform(&state, env, "select a finding first: evidence-only shows its events", level: .warning)
            return
        }
        state.timeline.evidenceOnly.toggle()
        state.timeline.window = nil
        inform(&state, env, state.timeline.evidenceOnly ? "evidence of the selected finding only (e: all events)" : "all events")
    }
}
