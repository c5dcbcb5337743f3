import VigilTerminal

/// Which key runs which command, per context; the defaults follow the issue and common terminal tools
/// (`hjkl`, `g`/`G`, `Ctrl-d`/`Ctrl-u`, `/` with `n`/`N`, `:`, `?`), and the config file can rebind any of them.
struct KeyMap: Equatable, Sendable {
    struct Binding: Equatable, Sendable {
        var key: Key
        var command: Command
    }

    /// Bindings per context, in the order the help overlay lists them.
    private(set) var bindings: [KeyContext: [Binding]]

    /// The command a key runs in a context (pane contexts fall back to the global bindings).
    func command(for key: Key, in context: KeyContext) -> Command? {
        if let hit = bindings[context]?.first(where: { $0.key == key }) { return hit.command }
        guard context.inheritsGlobal else { return nil }
        return bindings[.global]?.first(where: { $0.key == key })?.command
    }

    /// The keys bound to a command in exactly this context, in binding order.
    func keys(for command: Command, in context: KeyContext) -> [Key] {
        (bindings[context] ?? []).filter { $0.command == command }.map(\.key)
    }

    /// Commands bound in a context with their keys, in first-binding order (for the help overlay).
    func entries(in context: KeyContext) -> [(command: Command, keys: [Key])] {
        var order: [Command] = []
        var keys: [Command: [Key]] = [:]
        for binding in bindings[context] ?? [] {
            if keys[binding.command] == nil { order.append(binding.command) }
            keys[binding.command, default: []].append(binding.key)
        }
        return order.map { ($0, keys[$0]!) }
    }

    /// Replaces the keys of a command in a context; a key taken from another command there is unbound from it.
    mutating func rebind(_ command: Command, to keys: [Key], in context: KeyContext) {
        var list = (bindings[context] ?? []).filter { $0.command != command && !keys.contains($0.key) }
        list.append(contentsOf: keys.map { Binding(key: $0, command: command) })
        bindings[context] = list
    }

    /// The first key of a command, as the status line's hints show it (looking in the global map too).
    func hint(_ command: Command, in context: KeyContext) -> String? {
        let own = keys(for: command, in: context)
        if let first = own.first { return first.description }
        guard context.inheritsGlobal else { return nil }
        return keys(for: command, in: .global).first?.description
    }

    // MARK: - Defaults

    static let defaults: KeyMap = {
        func list(_ pairs: [(Command, [Key])]) -> [Binding] {
            pairs.flatMap { command, keys in keys.map { Binding(key: $0, command: command) } }
        }
        let movement: [(Command, [Key])] = [
            (.down, [.char("j"), .down]), (.up, [.char("k"), .up]),
            (.pageDown, [.pageDown, .char(" ")]), (.pageUp, [.pageUp]),
            (.halfPageDown, [.ctrl("d")]), (.halfPageUp, [.ctrl("u")]),
            (.top, [.char("g"), .home]), (.bottom, [.char("G"), .end]),
        ]
        var bindings: [KeyContext: [Binding]] = [:]
        bindings[.global] = list([
            (.quit, [.char("q")]), (.help, [.char("?")]), (.commandLine, [.char(":")]),
            (.search, [.char("/")]), (.searchNext, [.char("n")]), (.searchPrevious, [.char("N")]),
            (.filter, [.char("f")]),
            (.focusNext, [.tab]), (.focusPrevious, [.backTab]),
            (.focusFindings, [.char("1")]), (.focusTimeline, [.char("2")]),
            (.focusChecklist, [.char("3")]), (.focusDetail, [.char("4")]),
            (.focusLeft, [.char("h"), .left]), (.focusRight, [.char("l"), .right]),
            (.zoom, [.char("z")]), (.back, [.escape]), (.toggleTime, [.char("t")]),
            (.open, [.enter]),
        ] + movement)
        bindings[.findings] = []
        bindings[.timeline] = list([
            (.zoomIn, [.char("+"), .char("=")]), (.zoomOut, [.char("-")]), (.zoomReset, [.char("0")]),
            (.toggleEvidence, [.char("e")]),
        ])
        // Space ticks here, so paging is left to PgDn and Ctrl-d.
        bindings[.checklist] = list([(.tick, [.char(" "), .char("x")])])
        bindings[.detail] = list([
            (.scrollLeft, [.char("h"), .left]), (.scrollRight, [.char("l"), .right]),
            (.pivot, [.char("p")]), (.pivotAnd, [.char("P")]),
        ])
        bindings[.entity] = list([
            (.back, [.escape, .char("q")]), (.open, [.enter]), (.pivot, [.char("p")]), (.pivotAnd, [.char("P")]),
        ] + movement)
        bindings[.help] = list([
            (.back, [.escape, .char("q"), .char("?")]), (.search, [.char("/")]),
        ] + movement)
        bindings[.confirm] = list([(.confirm, [.char("y"), .char("Y")]), (.cancel, [.char("n"), .char("N"), .escape, .char("q")])])
        return KeyMap(bindings: bindings)
    }()
}
