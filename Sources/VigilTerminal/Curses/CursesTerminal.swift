import CNcursesw
import Glibc

/// The real terminal, through ncurses. The only code in Vigil that calls curses.
///
/// It draws a `ScreenBuffer` by writing only the cells that changed since the last frame, with one
/// `doupdate` per frame; maps curses input (keys, resize, mouse) to `Key`; and restores the terminal on
/// `shutdown`, at exit, and on SIGINT/SIGTERM/SIGHUP and crash signals (see `CursesRestore`).
public final class CursesTerminal: Terminal {
    /// Start-up choices.
    public struct Options: Sendable {
        /// Report clicks and the wheel (`--no-mouse` turns it off, so the terminal's own selection works).
        public var mouse: Bool
        /// How long a lone Esc waits for the rest of an escape sequence; curses' default (1 s) feels broken.
        public var escapeDelayMilliseconds: Int

        public init(mouse: Bool = true, escapeDelayMilliseconds: Int = 25) {
            self.mouse = mouse
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
        }
    }

    /// Why the terminal could not be opened.
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let colorDepth: ColorDepth
    private let window: CursesWindow
    private var pairs = CursesColorPairs()
    private let cellWriter = CursesCellWriter()
    private var previousFrame: ScreenBuffer?
    private var previousTheme: Theme?
    private var isShutDown = false

    /// Switches the terminal to full-screen mode. Fails (instead of exiting, as `initscr` would) when there
    /// is no terminal or `TERM` is unknown.
    public init(options: Options = Options()) throws {
        // Without the user's locale curses treats UTF-8 as Latin-1 and every wide character breaks.
        setlocale(LC_ALL, "")
        let (input, output) = try Self.openTerminalFiles()
        guard newterm(nil, output, input) != nil else {
            throw StartError(description: "cannot start the terminal UI: unknown or missing TERM (\(Self.termName()))")
        }
        guard let screen = vigil_stdscr() else {
            endwin()
            throw StartError(description: "cannot start the terminal UI")
        }
        window = screen
        CursesRestore.install()

        cbreak()
        noecho()
        nonl()
        curs_set(0)
        set_escdelay(Int32(options.escapeDelayMilliseconds))
        keypad(window, true)
        if has_colors() {
            start_color()
            use_default_colors()
            colorDepth = ColorDepth(colors: Int(vigil_colors()))
        } else {
            colorDepth = .none
        }
        if options.mouse {
            let mask = vigil_button1_pressed() | vigil_button4_pressed() | vigil_button5_pressed()
            mousemask(mmask_t(mask), nil)
            mouseinterval(0)
        }
        // The screen is written cell by cell with explicit positions; curses must never scroll it.
        scrollok(window, false)
        leaveok(window, true)
    }

    deinit { shutdown() }

    public var size: Size {
        Size(width: Int(vigil_getmaxx(window)), height: Int(vigil_getmaxy(window)))
    }

    // MARK: - Drawing

    public func draw(_ buffer: ScreenBuffer, theme: Theme) {
        guard !isShutDown else { return }
        let full = previousFrame?.size != buffer.size || previousTheme != theme
        if full {
            // Clears what a larger or differently styled frame left behind; curses still sends only changes.
            werase(window)
        }
        let screen = size
        let rows = min(buffer.size.height, screen.height), columns = min(buffer.size.width, screen.width)
        for y in 0..<rows {
            for x in 0..<columns {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if !full, let previousFrame, previousFrame[x, y] == cell { continue }
                let look = theme.resolve(cell.style)
                let pair = pairs.pair(foreground: look.foreground, background: look.background, depth: colorDepth)
                cellWriter.write(cell, attributes: Self.cursesAttributes(look.attributes), pair: pair,
                                 window: window, x: x, y: y, maxX: columns)
            }
        }
        previousFrame = buffer
        previousTheme = theme
        wnoutrefresh(window)
        doupdate()
    }

    /// Forgets the last frame so the next `draw` repaints everything (after something else wrote to the tty).
    public func invalidate() {
        previousFrame = nil
        clearok(window, true)
    }

    private static func cursesAttributes(_ attributes: TextAttributes) -> attr_t {
        var result = vigil_a_normal()
        if attributes.contains(.bold) { result |= vigil_a_bold() }
        if attributes.contains(.dim) { result |= vigil_a_dim() }
        if attributes.contains(.underline) { result |= vigil_a_underline() }
        if attributes.contains(.reverse) { result |= vigil_a_reverse() }
        if attributes.contains(.italic) { result |= vigil_a_italic() }
        return result
    }

    // MARK: - Input

    public func nextEvent(timeoutMilliseconds: Int) -> Key? {
        guard !isShutDown else { return nil }
        wtimeout(window, Int32(clamping: timeoutMilliseconds))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == ERR { return nil }
        if status == vigil_key_code_yes() {
            let functionCode = Int32(bitPattern: code)
            if functionCode == KEY_MOUSE { return mouseEvent() ?? .unknown(Int(functionCode)) }
            let key = CursesKeys.key(forFunctionCode: functionCode)
            // curses has resized its screen; repaint every cell rather than trust the old frame.
            if key == .resize { previousFrame = nil }
            return key
        }
        return KeyDecoder.key(forCharacterCode: UInt32(code))
    }

    private func mouseEvent() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let point = Point(x: Int(event.x), y: Int(event.y))
        let state = event.bstate
        if state & mmask_t(vigil_button4_pressed()) != 0 { return .mouse(.wheelUp(point)) }
        if state & mmask_t(vigil_button5_pressed()) != 0 { return .mouse(.wheelDown(point)) }
        if state & mmask_t(vigil_button1_pressed()) != 0 { return .mouse(.click(point)) }
        return nil
    }

    // MARK: - Shutdown

    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        CursesRestore.restore()
    }

    // MARK: - Opening the tty

    /// The terminal's input and output: stdin/stdout when both are a tty, else `/dev/tty`, so that a
    /// redirected stdout (`vigil > log`) does not receive the UI.
    private static func openTerminalFiles() throws -> (input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>) {
        if isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1,
           let input = fdopen(STDIN_FILENO, "r"), let output = fdopen(STDOUT_FILENO, "w") {
            return (input, output)
        }
        guard let tty = fopen("/dev/tty", "r+") else {
            throw StartError(description: "cannot start the terminal UI: no terminal (stdin/stdout are not a tty and /dev/tty cannot be opened)")
        }
        return (tty, tty)
    }

    private static func termName() -> String {
        guard let value = getenv("TERM") else { return "TERM is not set" }
        return "TERM=" + String(cString: value)
    }
}

/// `WINDOW *` is a typed pointer on Linux and opaque on macOS; this keeps the difference in one place.
typealias CursesWindow = UnsafeMutablePointer<WINDOW>
