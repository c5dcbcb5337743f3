/// The seam between the console and a real screen: draw a buffer, read input, restore on exit.
///
/// `CursesTerminal` is the real one; `MemoryTerminal` is the test double. Use a terminal from one thread only
/// (curses is not thread-safe): feed background results through a queue drained on the input timeout.
public protocol Terminal: AnyObject {
    /// Current size in cells (changes after a `.resize` event).
    var size: Size { get }
    /// How many colours the terminal shows (`.none` selects the monochrome theme).
    var colorDepth: ColorDepth { get }
    /// Shows `buffer`, styled by `theme`. The buffer should have the terminal's current size.
    func draw(_ buffer: ScreenBuffer, theme: Theme)
    /// The next key or event, or nil when `timeoutMilliseconds` pass without one (the tick to refresh live data).
    func nextEvent(timeoutMilliseconds: Int) -> Key?
    /// Restores the terminal to how it was; safe to call more than once.
    func shutdown()
}

/// Runs code with a terminal and restores the terminal however the code ends (return or throw).
///
/// ```swift
/// try TerminalSession.run(try CursesTerminal(options: .init(mouse: !noMouse))) { terminal in
///     var state = AppState()
///     while !state.quit {
///         terminal.draw(render(state, size: terminal.size), theme: state.theme)
///         if let key = terminal.nextEvent(timeoutMilliseconds: 100) { state = reduce(state, key) }
///         else { state = drainBackgroundWork(state) }
///     }
/// }
/// ```
public enum TerminalSession {
    public static func run<T: Terminal, Result>(
        _ terminal: @autoclosure () throws -> T, _ body: (T) throws -> Result
    ) throws -> Result {
        let terminal = try terminal()
        defer { terminal.shutdown() }
        return try body(terminal)
    }
}
