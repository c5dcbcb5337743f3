import VigilTerminal

/// Draws the whole console for a state: header, tabs, panes, status line and any overlay.
/// A function of the state and the environment; only the runtime hands the result to the terminal.
enum ConsoleView {
    static func render(_ state: AppState, _ env: Environment) -> ScreenBuffer {
        if let notice = SizeNotice.buffer(size: state.size, minimum: ConsoleLayout.minimum) { return notice }
        var buffer = ScreenBuffer(size: state.size)
        let layout = ConsoleLayout(state)
        Header.draw(state, env, into: &buffer, in: layout.header)
        TabBar.draw(state, env, into: &buffer, in: layout.tabs)
        for pane in Pane.allCases {
            guard let frame = layout.frames[pane] else { continue }
            switch pane {
            case .findings: FindingsPane.draw(state, env, into: &buffer, in: frame)
            case .timeline: TimelinePane.draw(state, env, into: &buffer, in: frame)
            case .checklist: ChecklistPane.draw(state, env, into: &buffer, in: frame)
            case .detail: DetailPane.draw(state, env, into: &buffer, in: frame)
            }
        }
        StatusBar.draw(state, env, into: &buffer, in: layout.status)
        switch state.overlay {
        case .help(let help): HelpOverlay.draw(help, keyMap: env.keyMap, into: &buffer, in: layout.body)
        case .entity(let view): EntityPane.draw(view, state, env, into: &buffer, in: layout.body)
        case .confirmQuit: ConfirmDialog.draw(into: &buffer, in: layout.body)
        case .prompt(let p) where p.purpose == .command: CompletionList.draw(p.prompt, into: &buffer, above: layout.status)
        case .prompt, nil: break
        }
        return buffer
    }
}
