import Foundation
import VigilCore
import VigilTerminal

/// The only part of the console that touches the terminal: it reads keys, polls the data on the
/// input-timeout tick, runs the reducer, performs effects and draws frames.
final class Runtime {
    struct Options {
        /// Stop when the terminal has no more input and no work is pending (scripted runs on a `MemoryTerminal`).
        var exitWhenIdle = false
        /// Input timeout while loading or detecting (more polls), and when idle.
        var busyTimeoutMilliseconds = 30
        var idleTimeoutMilliseconds = 250
    }

    private let terminal: any Terminal
    private(set) var state: AppState
    private var environment: Environment
    private let log: ConsoleLog
    private let themes: ThemeLoader
    private let options: Options
    private let clock: () -> Timestamp
    private var quitRequested = false

    init(terminal: any Terminal, state: AppState, environment: Environment, log: ConsoleLog, themes: ThemeLoader,
         options: Options = Options(), clock: @escaping () -> Timestamp = Runtime.wallClock) {
        self.terminal = terminal
        self.state = state
        self.environment = environment
        self.log = log
        self.themes = themes
        self.options = options
        self.clock = clock
    }

    static func wallClock() -> Timestamp { Timestamp(milliseconds: Int64(System.now() * 1000)) }

    /// Runs until the user quits (or, with `exitWhenIdle`, until input runs out).
    func run() {
        var dirty = true
        var lastPoll = -1.0
        state.size = terminal.size
        dispatch(.resize(terminal.size))
        while !quitRequested {
            if dirty {
                terminal.draw(ConsoleView.render(state, environment), theme: state.theme)
                dirty = false
            }
            let busy = environment.data.isBusy
            let key = terminal.nextEvent(timeoutMilliseconds: busy ? options.busyTimeoutMilliseconds : options.idleTimeoutMilliseconds)
            environment.now = clock()
            if let key {
                if key == .resize {
                    dispatch(.resize(terminal.size))
                } else if let action = Reducer.action(for: key, state: state, keyMap: environment.keyMap) {
                    dispatch(action)
                }
                dirty = true
            }
            // Data is drained on every timeout, and at least every 100 ms while keys keep coming.
            let now = System.monotonic()
            if key == nil || now - lastPoll > 0.1 {
                lastPoll = now
                let change = environment.data.poll(budget: 0.03)
                for line in environment.data.pendingLog { log.write(line) }
                environment.data.pendingLog.removeAll()
                if !change.isEmpty {
                    dispatch(.dataChanged(change, environment.data.status))
                    dirty = true
                }
                if key == nil, state.status != nil {
                    let before = state.status
                    dispatch(.tick)
                    if state.status != before { dirty = true }
                }
                if key == nil, options.exitWhenIdle, !environment.data.isBusy { break }
            }
        }
        if dirty { terminal.draw(ConsoleView.render(state, environment), theme: state.theme) }
    }

    func dispatch(_ action: Action) {
        let effects = Reducer.reduce(&state, action, environment)
        for effect in effects { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            quitRequested = true
        case .log(let line):
            log.write(line)
        case .loadTheme(let name):
            do {
                let theme = try themes.load(name)
                dispatch(.themeLoaded(terminal.colorDepth == .none ? .monochrome : theme))
                log.write("theme \(theme.name)")
            } catch {
                dispatch(.report("\(error.description); theme unchanged", .error))
                log.write("theme: \(error.description)")
            }
        case .exportTimeline(let path):
            let rows = environment.timelineRows(state)
            let ids = (0..<rows.count).lazy.map { rows[$0] }
            let format = TimelineExport.format(forPath: path)
            let text = format == .csv ? TimelineExport.csv(environment.store, ids) : TimelineExport.jsonLines(environment.store, ids)
            if write(text, to: path) {
                dispatch(.report("wrote \(NumberFormat.count(rows.count)) events to \(path) (\(format.rawValue))", .info))
            }
        case .exportChecklist(let path):
            let text = ChecklistExport.markdown(items: environment.checklistItems(state), ticks: state.checklist.ticks,
                                                caseName: state.caseName, time: environment.timeFormat(state))
            if write(text, to: path) { dispatch(.checklistExported(path: path)) }
        }
    }

    /// Writes a file atomically (temporary file, then rename); reports failure in the status line.
    private func write(_ text: String, to path: String) -> Bool {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            log.write("wrote \(path)")
            return true
        } catch {
            let reason = (error as NSError).localizedDescription
            dispatch(.report("cannot write \(path): \(reason)", .error))
            log.write("export failed: \(path): \(reason)")
            return false
        }
    }
}
