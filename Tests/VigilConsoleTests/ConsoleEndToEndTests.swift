import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VigilCore

/// Drives the real `vigil` binary in tmux, as a user at a terminal would: start on the sample data, move between
/// panes, filter, drill into a finding, pivot to an entity, tick a checklist item, switch theme, resize, quit,
/// and check that the terminal is restored and that no log text reached it as escape sequences.
///
/// Each test runs its own tmux server (`-L`), so it neither sees nor disturbs anyone else's sessions.
@Suite("console end to end (tmux)", .serialized, .enabled(if: Tmux.path != nil, "tmux is not installed (apt-get install tmux)"))
struct ConsoleEndToEndTests {
    @Test("sample data: panes, filter, drill, pivot, tick, theme, resize, quit")
    func session() throws {
        let tmux = try Tmux(width: 120, height: 40)
        defer { tmux.stop() }
        try tmux.start("\(Tmux.quoted(Tmux.binary)) console sample-data")
        try tmux.wait("the findings to load") { $0.contains("● idle") && $0.contains(" findings") && !$0.contains(" 0 findings") }

        tmux.keys("2")
        try tmux.wait("the timeline to have focus") { $0.contains("e evidence") }
        tmux.keys("f")
        tmux.type("action:CreateUser")
        tmux.keys("Enter")
        try tmux.wait("the filter to apply") { $0.contains("filter: action:CreateUser") && $0.contains("of 3,261") }

        tmux.keys("1")
        tmux.keys("Enter")
        try tmux.wait("the finding's detail") { $0.contains("Findings › ") && $0.contains("What it means") }
        tmux.keys("Enter")
        try tmux.wait("the cursor on an entity") { $0.contains("Enter again opens") }
        tmux.keys("Enter")
        try tmux.wait("the entity view") { $0.contains("Entity · ") && $0.contains("Related findings") }
        tmux.keys("p")
        try tmux.wait("the pivot") { $0.contains("timeline filtered on") && $0.contains("jordan.reyes") && $0.contains(" of 3,261") }

        tmux.keys("3")
        tmux.keys("Space")
        try tmux.wait("the tick") { $0.contains("[x] Dedicated forensics account") && $0.contains("not exported") }

        tmux.keys(":")
        tmux.type("theme light")
        tmux.keys("Enter")
        try tmux.wait("the theme switch") { $0.contains("theme light") }

        tmux.resize(width: 80, height: 24)
        try tmux.wait("the narrow layout") { screen in
            let lines = screen.split(separator: "\n")
            return lines.count <= 24 && screen.contains("3 Checklist") && !screen.contains("2 Timeline ─")
        }
        tmux.resize(width: 50, height: 12)
        try tmux.wait("the size notice") { $0.contains("terminal too small: need 60×16") }
        tmux.resize(width: 120, height: 40)
        try tmux.wait("the grid again") { $0.contains("1 Findings ─") && $0.contains("2 Timeline ─") }

        tmux.keys("q")
        try tmux.wait("the quit confirmation") { $0.contains("Checklist ticks have not been exported") }
        tmux.keys("y")
        try tmux.wait("the shell again") { $0.contains("EXIT=0") }
        let after = tmux.capture()
        #expect(!after.contains("1 Findings"), "the console's screen is gone (alternate screen left)")
    }

    @Test("Ctrl-C restores the terminal")
    func interrupt() throws {
        let tmux = try Tmux(width: 100, height: 30)
        defer { tmux.stop() }
        try tmux.start("\(Tmux.quoted(Tmux.binary)) console sample-data")
        try tmux.wait("the console") { $0.contains("1 Findings") }
        tmux.keys("C-c")
        try tmux.wait("the shell again") { $0.contains("EXIT=130") }
        #expect(!tmux.capture().contains("1 Findings"))
    }

    @Test("a hostile log does not change the pane title (or anything else) through escape sequences")
    func hostileTitle() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-e2e-hostile-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let osc = "\u{1B}]2;PWNED\u{07}"
        var records: [String] = []
        for k in 0..<5 {
            records.append("""
                {"eventVersion":"1.08","eventTime":"2026-03-10T10:0\(k):00Z","eventSource":"s3.amazonaws.com",\
                "eventName":\(JSONValue.quoted("GetObject" + osc)),"awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9",\
                "userAgent":\(JSONValue.quoted(osc + "\u{1B}[2J agent")),"userIdentity":{"type":"IAMUser",\
                "arn":"arn:aws:iam::111122223333:user/x","userName":\(JSONValue.quoted("eve" + osc))},\
                "eventID":"00000000-0000-4000-8000-00000000000\(k)"}
                """)
        }
        try ("{\"Records\":[" + records.joined(separator: ",") + "]}").write(to: folder.appendingPathComponent("trail.json"),
                                                                           atomically: true, encoding: .utf8)
        let tmux = try Tmux(width: 120, height: 40)
        defer { tmux.stop() }
        // The control: the same sequence printed raw does change the title, so the check below means something.
        try tmux.start("printf '\\033]2;PWNED\\007'; sleep 1; echo CONTROL")
        try tmux.wait("the control run") { $0.contains("CONTROL") }
        #expect(tmux.title() == "PWNED")
        tmux.stop()

        let clean = try Tmux(width: 120, height: 40)
        defer { clean.stop() }
        try clean.start("\(Tmux.quoted(Tmux.binary)) console \(Tmux.quoted(folder.path))")
        clean.setTitle("vigil-e2e")
        try clean.wait("the events") { $0.contains("5 events") && $0.contains("● idle") }
        clean.keys("2")
        clean.keys("4")
        try clean.wait("the hostile values, escaped") { $0.contains("\\x1B]2;PWNED\\x07") }
        clean.keys("q")
        try clean.wait("the shell again") { $0.contains("EXIT=0") }
        #expect(clean.title() == "vigil-e2e")
    }
}

/// A private tmux server with one session, driven by `send-keys` and read by `capture-pane`.
final class Tmux {
    static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The package root, from this file's location.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `vigil` binary built beside the test bundle.
    static let binary: String = {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [bundle.appendingPathComponent("vigil").path, root + "/.build-console/debug/vigil", root + "/.build/debug/vigil"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return root + "/.build/debug/vigil"
    }()

    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    let socket = "vigil-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let width: Int, height: Int
    private let home: URL

    init(width: Int, height: Int) throws {
        self.width = width
        self.height = height
        // An empty config home, so a developer's own key bindings or theme cannot change what the test sees.
        home = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// Starts `command` in a new session; when it ends the shell prints `EXIT=<status>` and stays a while.
    func start(_ command: String) throws {
        // The shell traps Ctrl-C (a handler, which the program does not inherit) so that it goes on to print the
        // exit status instead of dying with its child.
        let script = "trap 'true' INT; cd \(Self.quoted(Self.root)) && env TERM=tmux-256color XDG_CONFIG_HOME=\(Self.quoted(home.path)) NO_COLOR= " +
            "\(command); echo EXIT=$?; sleep 60"
        run(["new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", script], output: false)
        run(["set-option", "-t", "t", "-g", "allow-rename", "on"])
    }

    func keys(_ names: String...) { run(["send-keys", "-t", "t"] + names) }

    func type(_ text: String) { run(["send-keys", "-t", "t", "-l", text]) }

    func resize(width: Int, height: Int) { run(["resize-window", "-t", "t", "-x", "\(width)", "-y", "\(height)"]) }

    func capture() -> String { run(["capture-pane", "-p", "-t", "t"]) }

    func title() -> String { run(["display-message", "-p", "-t", "t", "#{pane_title}"]).trimmingCharacters(in: .whitespacesAndNewlines) }

    func setTitle(_ title: String) { run(["select-pane", "-t", "t", "-T", title]) }

    /// Polls the screen until `ready` holds, for at most `seconds`.
    func wait(_ what: String, seconds: Double = 10, _ ready: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if ready(screen) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Timeout(description: "timed out waiting for \(what); the screen was:\n\(screen)")
    }

    func stop() {
        run(["kill-server"], output: false)
        try? FileManager.default.removeItem(at: home)
    }

    /// Runs tmux and returns what it printed. Spawned and reaped directly (posix_spawn, waitpid): Foundation's
    /// `Process` never noticed the exit of the client that starts the server, and waited forever.
    @discardableResult
    private func run(_ arguments: [String], output: Bool = true) -> String {
        let argv = [Self.path ?? "/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return "" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if output {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            // The server this may start keeps its standard output: give it nothing to hold open.
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        // Test threads block most signals and a spawned process inherits the mask: without this, tmux and the
        // console under it would never see Ctrl-C, SIGTERM or SIGHUP.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        close(fds[1])
        var data = [UInt8]()
        if spawned == 0 && output {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                data.append(contentsOf: buffer[0..<n])
            }
        }
        close(fds[0])
        if spawned == 0 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        return String(decoding: data, as: UTF8.self)
    }
}
