import Foundation
import VigilCore
import VigilIngest
import VigilTerminal

/// How to start the console (what `vigil console` parsed from its arguments).
public struct ConsoleOptions: Sendable {
    /// Files and folders to read; `["-"]` reads standard input.
    public var paths: [String]
    /// Shown in the header (usually the input folder's name).
    public var caseName: String
    /// Keep reading what is appended to the inputs (or arrives on standard input).
    public var follow: Bool
    /// Seconds between looks at followed files.
    public var followInterval: Double
    /// A theme name or path (`--theme`); nil: the config file's, else the default.
    public var theme: String?
    /// Mouse clicks and wheel (`--no-mouse` turns them off).
    public var mouse: Bool
    /// Where to log (`--log FILE`); nothing is ever written over the UI.
    public var logPath: String?
    public var ingest: IngestOptions
    /// The config file; nil: `$XDG_CONFIG_HOME/vigil/config.yaml`.
    public var configPath: String?

    public init(paths: [String], caseName: String, follow: Bool = false, followInterval: Double = 1, theme: String? = nil,
                mouse: Bool = true, logPath: String? = nil, ingest: IngestOptions = IngestOptions(), configPath: String? = nil) {
        self.paths = paths
        self.caseName = caseName
        self.follow = follow
        self.followInterval = followInterval
        self.theme = theme
        self.mouse = mouse
        self.logPath = logPath
        self.ingest = ingest
        self.configPath = configPath
    }
}

/// The console as a program: opens the terminal, starts background loading, runs until the user quits, and
/// restores the terminal however it ends.
public enum ConsoleApp {
    /// Runs the console; `prepareDetection` loads rules and threat lists (it runs on a background thread).
    /// Throws a `ConsoleError` when the terminal or the log file cannot be opened.
    public static func run(_ options: ConsoleOptions, prepareDetection: @escaping @Sendable () -> DetectionSetup) throws {
        let log = try ConsoleLog(path: options.logPath)
        log.write("vigil console starting: \(options.paths.joined(separator: " "))")
        let environmentVariables = ProcessInfo.processInfo.environment
        var config = ConsoleConfig()
        var configProblem: String?
        if let path = options.configPath ?? ConsoleConfig.defaultPath(environment: environmentVariables) {
            do {
                if let loaded = try ConsoleConfig.load(path: path) { config = loaded }
            } catch {
                configProblem = "\(error.description); using the default settings"
                log.write("config: " + error.description)
            }
        }
        let feed = IngestFeed()
        let data = DataSource(feed: feed, compressRawRecords: options.ingest.compressRawRecords)
        IngestLoader.start(.init(paths: options.paths, options: options.ingest, follow: options.follow,
                                 interval: options.followInterval), feed: feed, prepareDetection: prepareDetection)
        defer { feed.stop() }
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(options: .init(mouse: options.mouse && (config.mouse ?? true)))
        } catch {
            throw ConsoleError("\(error)")
        }
        try TerminalSession.run(terminal) { terminal in
            let loader = ThemeLoader(environment: environmentVariables)
            let choice = loader.choose(requested: options.theme ?? config.theme, colorDepth: terminal.colorDepth,
                                       environment: environmentVariables)
            var state = AppState(size: terminal.size, caseName: options.caseName, theme: choice.theme)
            Self.apply(config, to: &state)
            let now = Runtime.wallClock()
            if let problem = configProblem ?? choice.warning {
                state.status = StatusMessage(text: problem, level: .error, at: now)
                log.write(problem)
            }
            let environment = Environment(data: data, keyMap: config.keyMap, now: now, userName: Self.userName(environmentVariables),
                                          themeNames: loader.availableThemeNames(), localOffset: Self.localOffset)
            Runtime(terminal: terminal, state: state, environment: environment, log: log, themes: loader).run()
        }
        log.write("vigil console quit")
    }

    static func apply(_ config: ConsoleConfig, to state: inout AppState) {
        if let mode = config.timeMode { state.timeMode = mode }
        if let evidence = config.evidenceOnly { state.timeline.evidenceOnly = evidence }
        if let pane = config.focus { Reducer.focus(pane, &state) }
    }

    static func userName(_ environment: [String: String]) -> String {
        environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? "analyst"
    }

    /// Seconds east of UTC at an instant, from the C library's time zone rules.
    static let localOffset: @Sendable (Int64) -> Int = { milliseconds in
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}
