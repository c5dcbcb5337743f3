import ArgumentParser
import Foundation
import VigilConsole
import VigilCore
import VigilDetect
import VigilIngest
#if canImport(Glibc)
import Glibc
#endif

/// `vigil console`: the full-screen console over the logs, their findings and the timeline.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the full-screen console: live findings, the event timeline and the response checklist.",
        discussion: """
            Files are read in the background while the console is already usable; detection runs over the \
            events in time order once they are loaded, then on every new event when following. Keys are listed \
            with ? inside the console and in docs/keys.md; they, the theme and start-up defaults can be set in \
            $XDG_CONFIG_HOME/vigil/config.yaml.

            Examples:
              vigil console ./AWSLogs
              vigil console ./AWSLogs --follow --log /tmp/vigil.log
              tail -F /var/log/auth.log | vigil console - --follow
              vigil console logs/ --theme light --rules ~/sigma/rules/cloud/aws
            """
    )

    @OptionGroup var input: InputOptions
    @OptionGroup var detection: DetectionOptions

    @Flag(help: "Keep reading what is appended to the inputs (or arrives on standard input with '-').")
    var follow = false

    @Option(help: ArgumentHelp("Seconds between looks at followed files.", valueName: "seconds"))
    var interval: Double = 1

    @Option(help: ArgumentHelp("Theme name (default, light, high-contrast, colorblind, monochrome) or a theme file.", valueName: "name|path"))
    var theme: String?

    @Flag(help: "Leave the mouse to the terminal (no click or wheel handling).")
    var noMouse = false

    @Option(help: ArgumentHelp("Write the console's log (ingest problems, exports, errors) to this file.", valueName: "file"))
    var log: String?

    @Option(help: ArgumentHelp("Config file (default: $XDG_CONFIG_HOME/vigil/config.yaml).", valueName: "file"))
    var config: String?

    func validate() throws {
        if interval <= 0 || interval > 3600 { throw ValidationError("--interval must be between 0 and 3600 seconds") }
        if follow && input.paths.isEmpty { throw ValidationError("--follow needs a folder, files or '-' to follow") }
    }

    func run() throws {
        let paths = try input.resolvedPaths()
        var placeholders = Placeholders()
        if let file = detection.placeholders {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read the placeholder file \(file)")
            }
            do { placeholders = try Placeholders(yaml: text, file: file) } catch { throw ValidationError(error.description) }
        }
        for file in detection.intelFiles where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("cannot read the threat list \(file)")
        }
        let options = ConsoleOptions(
            paths: paths, caseName: Self.caseName(paths, sample: input.paths.isEmpty), follow: follow,
            followInterval: interval, theme: theme, mouse: !noMouse, logPath: log, ingest: input.ingestOptions,
            configPath: config)
        let rules = (builtIn: !detection.noBuiltinRules, folders: detection.ruleFolders, intel: detection.intelFiles,
                     detectors: !detection.noDetectors, placeholders: placeholders)
        do {
            try ConsoleApp.run(options) {
                Self.prepareDetection(builtIn: rules.builtIn, folders: rules.folders, intelFiles: rules.intel,
                                      detectors: rules.detectors, placeholders: rules.placeholders)
            }
        } catch let error as ConsoleError {
            Console.error("vigil: " + error.description)
            throw VigilExit.input
        }
    }

    /// Loads rules and threat lists without printing: problems go to the console's log.
    static func prepareDetection(builtIn: Bool, folders: [String], intelFiles: [String], detectors: Bool,
                                 placeholders: Placeholders) -> DetectionSetup {
        let rules = RuleSet.load(includeBuiltIn: builtIn, paths: folders, placeholders: placeholders)
        var problems = rules.errors.map { "rule: " + $0.description }
        var intel = ThreatIntel()
        for file in intelFiles {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                problems.append("intel: cannot read \(file)")
                continue
            }
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            problems += intel.add(name: name, text: text, file: file).map { "intel: \($0)" }
        }
        return DetectionSetup(rules: rules, intel: intel, detectors: detectors, problems: problems)
    }

    /// The header's case name: the input folder's name (`sample: …` for the bundled data, `stdin` for `-`).
    static func caseName(_ paths: [String], sample: Bool) -> String {
        guard let first = paths.first else { return "no input" }
        if first == "-" { return "stdin" }
        var name = (first as NSString).standardizingPath
        name = (name as NSString).lastPathComponent
        if sample {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: first)) ?? []
            let folders = entries.filter { entry in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: first + "/" + entry, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            return "sample: " + (folders.count == 1 ? folders[0] : name)
        }
        return paths.count > 1 ? "\(name) +\(paths.count - 1)" : name
    }
}

/// What `vigil` with no command does: the console on the bundled sample data when run at a terminal; the
/// ingest summary otherwise (scripts, CI, pipes), and for any arguments, as before the console existed.
struct DefaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "default", shouldDisplay: false)

    @Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    func run() throws {
        if arguments.isEmpty, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            let console = try ConsoleCommand.parse([])
            try console.run()
        } else {
            let ingest = try IngestCommand.parse(arguments)
            try ingest.run()
        }
    }
}
