import VigilCore
import VigilStore
import VigilTerminal

// MARK: - Prompts, the command line and search

extension PromptState.Purpose {
    /// Key for the prompt's history.
    var historyKey: String {
        switch self {
        case .command: "command"
        case .search: "search"
        case .filter(let pane): "filter." + pane.title.lowercased()
        }
    }
}

extension Reducer {
    static func openPrompt(_ purpose: PromptState.Purpose, _ state: inout AppState, _ env: Environment) {
        let history = state.histories[purpose.historyKey] ?? []
        let prompt: Prompt
        switch purpose {
        case .command:
            prompt = Prompt(prefix: ":", placeholder: "filter, goto, theme, export, quit… (Tab completes)",
                            candidates: commandCandidates(env), history: history)
        case .search:
            prompt = Prompt(prefix: "/", placeholder: "search the \(state.focus.title.lowercased()) pane", history: history)
        case .filter(.findings):
            prompt = Prompt(prefix: "filter: ", text: state.findings.filterText,
                            placeholder: "severity>=high rule:… entity:… words", history: history)
        case .filter:
            prompt = Prompt(prefix: "filter: ", text: state.timeline.filterText,
                            placeholder: "query, e.g. user:alice action:Create* (docs/query.md)", history: history)
        }
        state.overlay = .prompt(PromptState(purpose: purpose, prompt: prompt))
    }

    /// Everything Tab can complete on the command line.
    static func commandCandidates(_ env: Environment) -> [String] {
        ["filter ", "findings ", "goto ", "export ", "export checklist ", "time utc", "time local", "help", "quit", "quit!"]
            + env.themeNames.map { "theme " + $0 }
    }

    static func promptKey(_ key: Key, _ state: inout AppState, _ env: Environment) -> [Effect] {
        if case .help(var help) = state.overlay, var editor = help.editing {
            switch editor.handle(key) {
            case .edited, .ignored: help.editing = editor; help.filter = editor.text
            case .submitted(let text): help.editing = nil; help.filter = text
            case .cancelled: help.editing = nil; help.filter = ""
            }
            help.scroll = 0
            state.overlay = .help(help)
            return []
        }
        guard case .prompt(var current) = state.overlay else { return [] }
        let result = current.prompt.handle(key)
        switch result {
        case .edited, .ignored:
            current.error = validate(current)
            state.overlay = .prompt(current)
            return []
        case .cancelled:
            state.overlay = nil
            return []
        case .submitted(let line):
            state.histories[current.purpose.historyKey] = current.prompt.history
            state.overlay = nil
            switch current.purpose {
            case .command:
                return runCommandLine(line, &state, env)
            case .search:
                let term = line.stripping(" ")
                guard !term.isEmpty else { state.search = nil; return [] }
                state.search = SearchState(term: term, pane: state.focus)
                repeatSearch(forward: true, &state, env)
            case .filter(.findings):
                if !applyFindingsFilter(line, &state) {
                    current.error = state.findings.filterError
                    state.findings.filterError = nil
                    state.overlay = .prompt(current)
                } else {
                    inform(&state, env, line.isEmpty ? "findings filter cleared" : "findings filtered")
                }
            case .filter:
                if !applyTimelineFilter(line, &state, env) {
                    current.error = state.timeline.filterError
                    state.timeline.filterError = nil
                    state.overlay = .prompt(current)
                } else {
                    inform(&state, env, line.isEmpty ? "timeline filter cleared" : "timeline filtered")
                }
            }
            return []
        }
    }

    /// Filters are checked as they are typed, so the caret shows the problem before Enter.
    private static func validate(_ prompt: PromptState) -> FilterError? {
        let text = prompt.prompt.text
        switch prompt.purpose {
        case .filter(.findings):
            do { _ = try FindingFilter.parse(text); return nil } catch { return error }
        case .filter:
            guard !text.stripping(" ").isEmpty else { return nil }
            do { _ = try Query(text); return nil } catch { return FilterError(message: error.message, column: error.column) }
        case .command, .search:
            return nil
        }
    }

    // MARK: Command line

    /// Runs `:` commands: filter, findings, goto, theme, export, time, help, quit.
    static func runCommandLine(_ line: String, _ state: inout AppState, _ env: Environment) -> [Effect] {
        let trimmed = line.stripping(" ")
        let name = trimmed.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        let argument = String(trimmed.dropFirst(name.count)).stripping(" ")
        guard !name.isEmpty else { return [] }
        // Every command goes to the log too: with --log it doubles as a record of what was looked at.
        return [.log(":" + trimmed)] + command(name, argument, &state, env)
    }

    private static func command(_ name: String, _ argument: String, _ state: inout AppState, _ env: Environment) -> [Effect] {
        switch name {
        case "filter", "f":
            if applyTimelineFilter(argument, &state, env) {
                focus(.timeline, &state)
                inform(&state, env, argument.isEmpty ? "timeline filter cleared" : "timeline filtered")
            } else if let error = state.timeline.filterError {
                inform(&state, env, "filter: column \(error.column + 1): \(error.message)", level: .error)
            }
        case "findings":
            if applyFindingsFilter(argument, &state) {
                focus(.findings, &state)
            } else if let error = state.findings.filterError {
                inform(&state, env, "findings filter: column \(error.column + 1): \(error.message)", level: .error)
            }
        case "goto", "g":
            goto(argument, &state, env)
        case "theme":
            guard !argument.isEmpty else {
                inform(&state, env, "themes: " + env.themeNames.joined(separator: ", "))
                return []
            }
            return [.loadTheme(argument)]
        case "export", "w":
            let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.first == "checklist" {
                guard parts.count == 2 else {
                    inform(&state, env, "usage: :export checklist PATH.md", level: .error)
                    return []
                }
                return [.exportChecklist(path: parts[1])]
            }
            guard !argument.isEmpty else {
                inform(&state, env, "usage: :export PATH.csv | PATH.jsonl  (or :export checklist PATH.md)", level: .error)
                return []
            }
            return [.exportTimeline(path: argument)]
        case "time":
            guard let mode = TimeMode(rawValue: argument.lowercased()) else {
                inform(&state, env, "usage: :time utc | :time local", level: .error)
                return []
            }
            state.timeMode = mode
        case "help", "h":
            state.overlay = .help(HelpState(context: KeyContext(state.focus)))
        case "quit", "q":
            if state.checklist.unsaved {
                state.overlay = .confirmQuit
                return []
            }
            return [.quit]
        case "quit!", "q!":
            return [.quit]
        default:
            inform(&state, env, "unknown command '\(name)': try filter, goto, theme, export, time, help or quit", level: .error)
        }
        return []
    }

    /// `:goto TIME`: selects the first timeline event at or after a time (any precision the query language
    /// accepts: `2026-03-10T15:00`, `2026-03-10`, `-1h`).
    private static func goto(_ text: String, _ state: inout AppState, _ env: Environment) {
        guard !text.isEmpty else {
            inform(&state, env, "usage: :goto 2026-03-10T15:00", level: .error)
            return
        }
        let instant: Int64
        do {
            let query = try Query("time>=" + text)
            guard case .term(let term) = query.expression, case .timeRange(let lower?, _) = term.predicate else {
                throw QuerySyntaxError("expected a time", column: 0)
            }
            let newest = env.data.timeline.ordered.last.map { env.store.time(of: $0) } ?? env.now
            instant = lower.instant(newest: newest).milliseconds
        } catch {
            inform(&state, env, "goto: '\(text)' is not a time (write 2026-03-10T15:00, 2026-03-10 or -1h)", level: .error)
            return
        }
        if let window = state.timeline.window, instant < window.start || instant >= window.end {
            state.timeline.window = nil
        }
        let rows = env.timelineRows(state)
        guard rows.count > 0 else { return }
        let position = env.data.timeline.firstIndex(atOrAfter: instant, in: rows.ids, range: rows.range) - rows.range.lowerBound
        let index = min(max(0, position), rows.count - 1)
        state.timeline.cursor.move(from: env.timelineIndex(state, rows: rows), to: index, count: rows.count,
                                   rows: bodyRows(.timeline, state))
        state.timeline.selectedID = rows[index]
        focus(.timeline, &state)
        inform(&state, env, "at " + env.timeFormat(state).full(env.store.time(of: rows[index])))
    }

    // MARK: Search

    /// Finds the next (or previous) row containing the search term in the focused pane, wrapping around.
    static func repeatSearch(forward: Bool, _ state: inout AppState, _ env: Environment) {
        guard let search = state.search else {
            inform(&state, env, "no search yet: / starts one", level: .warning)
            return
        }
        let term = search.term.lowercased()
        let rows = bodyRows(state.focus, state)
        var stoppedAt: Int?
        func scan(count: Int, from start: Int, matches: (Int) -> Bool) -> Int? {
            guard count > 0 else { return nil }
            let deadline = System.monotonic() + 0.25
            for step in 1...count {
                let index = ((start + (forward ? step : -step)) % count + count) % count
                if matches(index) { return index }
                // A very long timeline is searched for a quarter of a second at most per key press; the
                // selection moves to where the search stopped, so `n` carries on from there.
                if step % 4096 == 0, step < count, System.monotonic() > deadline {
                    stoppedAt = index
                    return index
                }
            }
            return nil
        }
        let found: Int?
        switch state.focus {
        case .findings:
            let list = env.findingRows(state)
            let start = env.findingIndex(state, rows: list) ?? 0
            found = scan(count: list.count, from: start) { i in
                let f = list[i]
                return (f.title + " " + f.ruleID + " " + f.entities.map(\.description).joined(separator: " ")).lowercased().contains(term)
            }
            if let found {
                state.findings.cursor.move(from: start, to: found, count: list.count, rows: rows)
                state.findings.selectedID = list[found].id
            }
        case .timeline:
            let list = env.timelineRows(state)
            let start = env.timelineIndex(state, rows: list) ?? 0
            found = scan(count: list.count, from: start) { i in
                EventSummary(env.store, list[i]).searchText.lowercased().contains(term)
            }
            if let found {
                state.timeline.cursor.move(from: start, to: found, count: list.count, rows: rows)
                state.timeline.selectedID = list[found]
            }
        case .checklist:
            let items = env.checklistItems(state)
            let start = env.checklistIndex(state, items: items) ?? 0
            found = scan(count: items.count, from: start) { i in
                (items[i].title + " " + items[i].why).lowercased().contains(term)
            }
            if let found {
                state.checklist.cursor.move(from: start, to: found, count: items.count, rows: rows)
                state.checklist.selectedID = items[found].id
            }
        case .detail:
            let lines = env.detailLines(state, width: detailWidth(state))
            found = scan(count: lines.count, from: state.detail.cursor) { i in
                lines[i].text.plainText.lowercased().contains(term)
            }
            if let found {
                state.detail.cursor = found
                followDetailCursor(&state, count: lines.count, rows: rows)
            }
        }
        if stoppedAt != nil {
            inform(&state, env, "no match for '\(search.term)' yet; \(forward ? "n" : "N") searches on from here", level: .warning)
        } else if found == nil {
            inform(&state, env, "no match for '\(search.term)' in \(state.focus.title.lowercased())", level: .warning)
        }
    }
}
