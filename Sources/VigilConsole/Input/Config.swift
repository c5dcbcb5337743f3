import Foundation
import VigilTerminal
import Yams

/// A config file that could not be used: the file, the line and what is wrong.
struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    var file: String
    var line: Int?
    var message: String

    var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// The user's settings from `$XDG_CONFIG_HOME/vigil/config.yaml`: theme, start-up defaults and key bindings.
///
/// ```yaml
/// theme: light
/// defaults:
///   time: local           # utc | local
///   evidence-only: false
///   focus: timeline       # findings | timeline | checklist | detail
///   mouse: true
/// keys:
///   global:
///     quit: Q
///     help: ["?", F1]
///   timeline:
///     toggle-evidence: E
/// ```
///
/// A file with any error is rejected as a whole, so a half-applied remapping never surprises anyone.
struct ConsoleConfig: Equatable, Sendable {
    var theme: String?
    var timeMode: TimeMode?
    var evidenceOnly: Bool?
    var focus: Pane?
    var mouse: Bool?
    var keyMap = KeyMap.defaults

    /// Where the config file is: `$XDG_CONFIG_HOME/vigil/config.yaml`, else `~/.config/vigil/config.yaml`.
    static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/vigil/config.yaml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/vigil/config.yaml" }
        return nil
    }

    /// Reads a config file; nil when there is none.
    static func load(path: String) throws(ConfigError) -> ConsoleConfig? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, message: "cannot read the file")
        }
        guard data.count <= 1 << 20 else { throw ConfigError(file: path, line: nil, message: "larger than 1 MB") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, message: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses config YAML; `file` names it in errors.
    static func parse(_ yaml: String, file: String) throws(ConfigError) -> ConsoleConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ConfigError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        var config = ConsoleConfig()
        guard let root else { return config }
        guard let top = root.mapping else {
            throw ConfigError(file: file, line: root.mark?.line, message: "expected a mapping with theme, defaults or keys")
        }
        for (keyNode, value) in top {
            switch keyNode.string ?? "" {
            case "theme": config.theme = try scalar(value, "theme", file)
            case "defaults": try config.readDefaults(value, file: file)
            case "keys": try config.readKeys(value, file: file)
            case let other:
                throw ConfigError(file: file, line: keyNode.mark?.line,
                                  message: "unknown setting '\(other)' (expected theme, defaults or keys)")
            }
        }
        return config
    }

    private mutating func readDefaults(_ node: Node, file: String) throws(ConfigError) {
        guard let mapping = node.mapping else {
            throw ConfigError(file: file, line: node.mark?.line, message: "'defaults' must be a mapping")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let text = try Self.scalar(value, key, file)
            func bad(_ expected: String) -> ConfigError {
                ConfigError(file: file, line: value.mark?.line, message: "bad value '\(text)' for \(key) (expected \(expected))")
            }
            switch key {
            case "time":
                guard let mode = TimeMode(rawValue: text.lowercased()) else { throw bad("utc or local") }
                timeMode = mode
            case "evidence-only":
                guard let flag = Self.bool(text) else { throw bad("true or false") }
                evidenceOnly = flag
            case "mouse":
                guard let flag = Self.bool(text) else { throw bad("true or false") }
                mouse = flag
            case "focus":
                guard let pane = Pane.allCases.first(where: { $0.title.lowercased() == text.lowercased() }) else {
                    throw bad("findings, timeline, checklist or detail")
                }
                focus = pane
            default:
                throw ConfigError(file: file, line: keyNode.mark?.line,
                                  message: "unknown default '\(key)' (expected time, evidence-only, focus or mouse)")
            }
        }
    }

    private mutating func readKeys(_ node: Node, file: String) throws(ConfigError) {
        guard let contexts = node.mapping else {
            throw ConfigError(file: file, line: node.mark?.line, message: "'keys' must map contexts to bindings")
        }
        for (contextNode, commands) in contexts {
            let name = contextNode.string ?? ""
            guard let context = KeyContext(rawValue: name) else {
                let known = KeyContext.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigError(file: file, line: contextNode.mark?.line, message: "unknown key context '\(name)' (expected \(known))")
            }
            guard let mapping = commands.mapping else {
                throw ConfigError(file: file, line: commands.mark?.line, message: "keys.\(name) must map commands to keys")
            }
            for (commandNode, keysNode) in mapping {
                let commandName = commandNode.string ?? ""
                guard let command = Command(rawValue: commandName) else {
                    throw ConfigError(file: file, line: commandNode.mark?.line,
                                      message: "unknown command '\(commandName)' (see docs/keys.md for the list)")
                }
                let names: [(String, Int?)]
                if let sequence = keysNode.sequence {
                    names = try sequence.map { item throws(ConfigError) in (try Self.scalar(item, commandName, file), item.mark?.line) }
                } else {
                    names = [(try Self.scalar(keysNode, commandName, file), keysNode.mark?.line)]
                }
                var keys: [Key] = []
                for (text, line) in names {
                    guard let key = KeyName.parse(text) else {
                        throw ConfigError(file: file, line: line, message:
                            "unknown key '\(text)' for \(commandName) (write q, G, C-d, S-Tab, Enter, Esc, Space, PgDn, F5…)")
                    }
                    keys.append(key)
                }
                keyMap.rebind(command, to: keys, in: context)
            }
        }
    }

    private static func scalar(_ node: Node, _ what: String, _ file: String) throws(ConfigError) -> String {
        guard let text = node.scalar?.string else {
            throw ConfigError(file: file, line: node.mark?.line, message: "'\(what)' must be a single value")
        }
        return text
    }

    private static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": true
        case "false", "no", "off": false
        default: nil
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ConfigError(file: file, line: mark.line, message: "YAML syntax error: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(file: file, line: context.mark.line,
                               message: "key given twice: \(duplicates.sorted().joined(separator: ", "))")
        default:
            return ConfigError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }
}
