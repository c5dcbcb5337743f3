import CNcursesw
import Glibc

/// Puts the terminal back to normal on every way out of the process.
///
/// A Swift trap or a Ctrl-C would otherwise leave the shell in raw mode without echo. Restoring means
/// `endwin`, done at most once per curses session (`isendwin` guards it), from `shutdown`, `atexit`, and
/// signal handlers. SIGINT/SIGTERM/SIGHUP then die by their default action (so the exit status still says
/// "killed by signal"); crash signals (SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE) go on to whatever
/// handler was there before, such as Swift's backtracer.
enum CursesRestore {
    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashing: [Int32] = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE]

    /// Handlers to chain to, indexed by signal number; written once before any of our handlers is installed.
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) private static var installed = false

    /// Leaves curses mode if it is active.
    static func restore() {
        if !isendwin() { endwin() }
    }

    /// Installs the exit and signal hooks once per process (curses sessions may come and go).
    static func install() {
        guard !installed else { return }
        installed = true
        atexit { CursesRestore.restore() }
        for signal in terminating + crashing {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in CursesRestore.handle(signal) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, previous + Int(signal))
        }
        // A parent may start us with these signals blocked (some shells and test harnesses do): then Ctrl-C and
        // SIGTERM would never reach the handler and the terminal would stay raw. Unblock them.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in terminating { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    private static func handle(_ signal: Int32) {
        restore()
        if terminating.contains(signal) {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        } else {
            sigaction(signal, previous + Int(signal), nil)
        }
        // Delivered when this handler returns (the signal is blocked while it runs).
        raise(signal)
    }
}
