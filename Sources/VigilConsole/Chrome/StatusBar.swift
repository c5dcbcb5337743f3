import VigilTerminal

/// The bottom row: the mode, the last message (or the active filter), and the keys that do something here.
enum StatusBar {
    static func mode(_ state: AppState) -> String {
        switch state.overlay {
        case .prompt(let p):
            switch p.purpose {
            case .command: return "COMMAND"
            case .search: return "SEARCH"
            case .filter: return "FILTER"
            }
        case .help: return "HELP"
        case .entity: return "ENTITY"
        case .confirmQuit: return "QUIT?"
        case nil: return state.zoomed ? "ZOOM" : "NORMAL"
        }
    }

    static func draw(_ state: AppState, _ env: Environment, into buffer: inout ScreenBuffer, in row: Rect) {
        if case .prompt(let p) = state.overlay, p.purpose == .command || p.purpose == .search {
            buffer.fill(row, style: Style(.status))
            p.prompt.draw(into: &buffer, in: row.inset(left: 1, right: 1))
            return
        }
        var left: [StyledText] = [StyledText(mode(state), Style(.statusKey))]
        if let status = state.status {
            let role: Role = switch status.level {
            case .info: .status
            case .warning: .warn
            case .error: .error
            }
            left.append(StyledText(status.text, role))
        } else if !state.timeline.filterText.isEmpty {
            left.append(StyledText("filter: ") + StyledText(state.timeline.query?.description ?? state.timeline.filterText))
        }
        if let search = state.search { left.append(StyledText("/" + search.term + "  n/N")) }
        StatusLine(left: left, right: [StatusLine.keyHints(hints(state, env.keyMap))]).draw(into: &buffer, in: row)
    }

    /// The keys worth knowing in the current context, as bound (remapped keys show as remapped).
    static func hints(_ state: AppState, _ keyMap: KeyMap) -> [(key: String, action: String)] {
        let context: KeyContext
        let wanted: [(Command, String)]
        switch state.overlay {
        case .help: context = .help; wanted = [(.search, "search"), (.back, "close")]
        case .entity: context = .entity; wanted = [(.pivot, "pivot"), (.open, "open finding"), (.back, "back")]
        case .confirmQuit: context = .confirm; wanted = [(.confirm, "quit"), (.cancel, "stay")]
        case .prompt: return [("Enter", "apply"), ("Esc", "cancel"), ("Tab", "complete")]
        case nil:
            context = KeyContext(state.focus)
            switch state.focus {
            case .findings: wanted = [(.open, "open"), (.filter, "filter"), (.search, "search"), (.help, "help"), (.quit, "quit")]
            case .timeline: wanted = [(.filter, "filter"), (.toggleEvidence, "evidence"), (.zoomIn, "zoom"), (.toggleTime, "UTC/local"), (.help, "help")]
            case .checklist: wanted = [(.tick, "tick"), (.open, "details"), (.commandLine, "export"), (.help, "help"), (.quit, "quit")]
            case .detail: wanted = [(.pivot, "pivot"), (.open, "entity"), (.back, "back"), (.help, "help")]
            }
        }
        return wanted.compactMap { command, label in keyMap.hint(command, in: context).map { ($0, label) } }
    }
}
