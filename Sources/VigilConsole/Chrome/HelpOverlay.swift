import VigilTerminal

/// `?`: every key of the current pane (and the global ones), as bound, then the command-line commands;
/// `/` filters the lines.
enum HelpOverlay {
    static let commands: [(String, String)] = [
        (":filter QUERY", "filter the timeline (empty: clear)"),
        (":findings FILTER", "filter the findings (severity>=high rule:… entity:…)"),
        (":goto TIME", "jump the timeline to a time (2026-03-10T15:00, -1h)"),
        (":theme NAME|PATH", "switch theme (default, light, high-contrast, colorblind, monochrome)"),
        (":export PATH", "write the timeline as shown: .csv (formula-safe) or JSON lines"),
        (":export checklist PATH", "write the checklist and its ticks as Markdown"),
        (":time utc|local", "how times are shown"),
        (":help", "this help"),
        (":quit  :quit!", "quit (the ! does not ask)"),
    ]

    static func modal(_ size: Size) -> Modal {
        Modal(title: "Keys", size: Size(width: min(96, size.width), height: max(8, size.height - 2)),
              trailingTitle: "/ search · Esc close")
    }

    /// Rows of lines the overlay shows at a screen size (less the search line).
    static func visibleRows(_ size: Size) -> Int {
        let frame = modal(size).frame(in: Rect(x: 0, y: 0, width: size.width, height: size.height))
        return max(1, frame.height - 3)
    }

    static func lines(_ help: HelpState, keyMap: KeyMap) -> [StyledText] {
        var sections: [(String, [(String, String)])] = []
        func keys(_ context: KeyContext) -> [(String, String)] {
            keyMap.entries(in: context).map { entry in
                (entry.keys.map(\.description).joined(separator: " "), entry.command.summary)
            }
        }
        sections.append((help.context.title, keys(help.context)))
        if help.context.inheritsGlobal { sections.append((KeyContext.global.title, keys(.global))) }
        if help.context != .entity { sections.append((KeyContext.entity.title, keys(.entity))) }
        sections.append(("Command line (:, Tab completes)", commands))
        sections.append(("Mouse", [("click", "focus a pane, select a row or tab"), ("wheel", "scroll the pane under the pointer")]))
        let needle = help.filter.lowercased()
        var out: [StyledText] = []
        for (title, rows) in sections {
            let shown = rows.filter { needle.isEmpty || ($0.0 + " " + $0.1).lowercased().contains(needle) }
            guard !shown.isEmpty else { continue }
            if !out.isEmpty { out.append("") }
            out.append(StyledText(title, Style(.title, .underline)))
            for (key, summary) in shown {
                out.append(StyledText("  " + key.padding(24), .accent) + StyledText(summary))
            }
        }
        if out.isEmpty { out.append(StyledText("nothing matches '\(help.filter)'", .muted)) }
        return out
    }

    static func draw(_ help: HelpState, keyMap: KeyMap, into buffer: inout ScreenBuffer, in area: Rect) {
        let inner = modal(area.size).draw(into: &buffer, in: area).inset(left: 1, right: 1)
        let lines = lines(help, keyMap: keyMap)
        let body = inner.inset(bottom: 1)
        TextView(lines: lines, highlight: help.filter).draw(into: &buffer, in: body, state: TextViewState(offset: help.scroll))
        let footer = inner.row(inner.height - 1)
        if let editing = help.editing {
            editing.draw(into: &buffer, in: footer)
        } else if !help.filter.isEmpty {
            buffer.put(StyledText("/" + help.filter, .prompt) + StyledText("  (Esc clears)", .muted), at: footer.origin, clipTo: footer)
        } else {
            buffer.put(StyledText("keys can be remapped in $XDG_CONFIG_HOME/vigil/config.yaml (docs/keys.md)", .muted),
                       at: footer.origin, clipTo: footer)
        }
    }
}

/// The confirmation shown when quitting with checklist ticks that were not exported.
enum ConfirmDialog {
    static func draw(into buffer: inout ScreenBuffer, in area: Rect) {
        let inner = Modal(title: "Quit?", size: Size(width: 62, height: 7)).draw(into: &buffer, in: area).inset(left: 1, right: 1)
        let lines: [StyledText] = [
            StyledText("Checklist ticks have not been exported.", .warn),
            StyledText(":export checklist PATH.md saves them.", .muted),
            "",
            StyledText("y", .statusKey) + " quit anyway   " + StyledText("n", .statusKey) + " stay",
        ]
        for (k, line) in lines.enumerated() where k < inner.height {
            buffer.put(line, at: Point(x: inner.x, y: inner.y + k), clipTo: inner)
        }
    }
}

/// The completion list above the command line while Tab cycles through several matches.
enum CompletionList {
    static func draw(_ prompt: Prompt, into buffer: inout ScreenBuffer, above row: Rect) {
        guard let completions = prompt.completions, completions.matches.count > 1 else { return }
        let shown = Array(completions.matches.prefix(max(0, row.y - 2)))
        let width = min(row.width, (shown.map { StyledText($0).width }.max() ?? 0) + 4)
        let frame = Rect(x: row.x, y: row.y - shown.count - 2, width: width, height: shown.count + 2)
        let inner = Box(title: StyledText(), focused: true, interior: Style(.modal)).draw(into: &buffer, in: frame)
        for (k, match) in shown.enumerated() {
            buffer.put(" " + match, at: Point(x: inner.x, y: inner.y + k), style: Style(.modal), clipTo: inner)
            if k == completions.selected { buffer.setRole(.selection, in: inner.row(k)) }
        }
    }
}
