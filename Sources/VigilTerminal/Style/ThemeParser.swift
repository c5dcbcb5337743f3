import Yams

/// A theme file that could not be used: names the file, the line and the problem.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's path, or a label such as `<string>` for text not read from a file.
    public var file: String
    /// 1-based line of the problem, when known.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `themes/mine.yaml:12: unknown role 'severty-high'` (the form compilers use, so editors can jump to it).
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Reads the YAML theme format (see docs/terminal.md):
///
/// ```yaml
/// name: mine
/// extends: default            # optional: roles left out come from a compiled-in theme
/// severity-markers: letters   # none | symbols | letters
/// roles:
///   text: { fg: default }
///   muted: { fg: 245 }
///   selection: { fg: black, bg: "#5fafff", attrs: [bold] }
/// ```
enum ThemeParser {
    /// What a file defined, besides the theme itself (tests check shipped themes define every role).
    struct Parsed {
        var theme: Theme
        var definedRoles: Set<Role>
    }

    static let topLevelKeys = ["name", "description", "extends", "severity-markers", "roles"]
    static let roleKeys = ["fg", "bg", "attrs"]

    /// Parses theme YAML; `file` names it in errors and gives the default name.
    static func parse(_ yaml: String, file: String) throws(ThemeError) -> Parsed {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw unquotedHexHint(in: yaml, file: file) ?? syntaxError(error, file: file)
        } catch {
            throw ThemeError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else {
            throw ThemeError(file: file, line: root?.mark?.line, message: "expected a mapping with a 'roles' key")
        }

        var name = defaultName(for: file)
        var markers: SeverityMarkers = .symbols
        var fallback = Theme.default
        var styles: [Role: RoleStyle] = [:]
        var sawRoles = false

        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "name":
                name = try string(value, what: "name", file: file)
            case "description":
                _ = try string(value, what: "description", file: file)
            case "extends":
                let base = try string(value, what: "extends", file: file)
                guard let theme = Theme.builtIn(named: base) else {
                    throw ThemeError(file: file, line: value.mark?.line, message:
                        "unknown theme '\(base)' to extend (compiled-in themes: \(Theme.builtInNames.joined(separator: ", ")))")
                }
                fallback = theme
            case "severity-markers":
                let text = try string(value, what: "severity-markers", file: file)
                guard let parsed = SeverityMarkers(rawValue: text) else {
                    throw ThemeError(file: file, line: value.mark?.line, message:
                        "bad severity-markers '\(text)' (expected none, symbols or letters)")
                }
                markers = parsed
            case "roles":
                sawRoles = true
                styles = try roles(value, file: file)
            default:
                throw ThemeError(file: file, line: keyNode.mark?.line, message:
                    "unknown key '\(key)' (expected \(topLevelKeys.joined(separator: ", ")))")
            }
        }
        guard sawRoles else {
            throw ThemeError(file: file, line: root.mark?.line, message: "missing 'roles' mapping")
        }
        let theme = Theme(name: name, severityMarkers: markers, styles: styles, fallback: fallback)
        return Parsed(theme: theme, definedRoles: Set(styles.keys))
    }

    // MARK: - Parts

    private static func roles(_ node: Node, file: String) throws(ThemeError) -> [Role: RoleStyle] {
        guard let mapping = node.mapping else {
            throw ThemeError(file: file, line: node.mark?.line, message: "'roles' must be a mapping of role to style")
        }
        var styles: [Role: RoleStyle] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard let role = Role(rawValue: key) else {
                throw ThemeError(file: file, line: keyNode.mark?.line, message: unknownRoleMessage(key))
            }
            if styles[role] != nil {
                throw ThemeError(file: file, line: keyNode.mark?.line, message: "role '\(key)' is given twice")
            }
            styles[role] = try roleStyle(value, role: key, file: file)
        }
        return styles
    }

    private static func roleStyle(_ node: Node, role: String, file: String) throws(ThemeError) -> RoleStyle {
        if isNull(node) { return RoleStyle() }
        guard let mapping = node.mapping else {
            throw ThemeError(file: file, line: node.mark?.line, message:
                "role '\(role)' must be a mapping such as { fg: cyan, attrs: [bold] }")
        }
        var style = RoleStyle()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "fg": style.foreground = try color(value, role: role, key: key, file: file)
            case "bg": style.background = try color(value, role: role, key: key, file: file)
            case "attrs": style.attributes = try attributes(value, role: role, file: file)
            default:
                throw ThemeError(file: file, line: keyNode.mark?.line, message:
                    "unknown key '\(key)' in role '\(role)' (expected fg, bg or attrs)")
            }
        }
        return style
    }

    private static func color(_ node: Node, role: String, key: String, file: String) throws(ThemeError)
        -> TerminalColor
    {
        if isNull(node) {
            // The usual cause: `fg: #ff0000` unquoted, where YAML reads `#…` as a comment.
            throw ThemeError(file: file, line: node.mark?.line, message:
                "missing colour for '\(key)' in role '\(role)' (quote #rrggbb values: a bare # starts a YAML comment)")
        }
        guard let text = node.scalar?.string, let parsed = TerminalColor(parsing: text) else {
            let shown = node.scalar?.string ?? "a \(kind(of: node))"
            throw ThemeError(file: file, line: node.mark?.line, message:
                "bad colour '\(shown)' for '\(key)' in role '\(role)' (expected default, a colour name such as red or bright-red, 0-255, or \"#rrggbb\")")
        }
        return parsed
    }

    private static func attributes(_ node: Node, role: String, file: String) throws(ThemeError) -> TextAttributes {
        var names: [(String, Int?)] = []
        if let sequence = node.sequence {
            for item in sequence {
                guard let text = item.scalar?.string else {
                    throw ThemeError(file: file, line: item.mark?.line, message: "attrs of role '\(role)' must be names")
                }
                names.append((text, item.mark?.line))
            }
        } else if let text = node.scalar?.string {
            let words = text.split(whereSeparator: { $0 == "," || $0 == " " })
            names = words.map { (String($0), node.mark?.line) }
        }
        var result: TextAttributes = []
        for (name, line) in names {
            guard let attribute = TextAttributes.named.first(where: { $0.name == name })?.value else {
                let known = TextAttributes.named.map(\.name).joined(separator: ", ")
                throw ThemeError(file: file, line: line, message:
                    "unknown attribute '\(name)' in role '\(role)' (expected \(known))")
            }
            result.insert(attribute)
        }
        return result
    }

    // MARK: - Helpers

    private static func string(_ node: Node, what: String, file: String) throws(ThemeError) -> String {
        guard let text = node.scalar?.string else {
            throw ThemeError(file: file, line: node.mark?.line, message: "'\(what)' must be text")
        }
        return text
    }

    private static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "mapping"
        case .sequence: "list"
        default: "value"
        }
    }

    private static func unknownRoleMessage(_ key: String) -> String {
        let suggestion = Role.allCases.map(\.rawValue).min { editDistance($0, key) < editDistance($1, key) }
        var message = "unknown role '\(key)'"
        if let suggestion, editDistance(suggestion, key) <= 3 { message += " (did you mean '\(suggestion)'?)" }
        return message + "; roles are listed in docs/terminal.md"
    }

    /// Levenshtein distance, for "did you mean" hints on misspelt roles.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ThemeError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ThemeError(file: file, line: mark.line, message: "YAML syntax error: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ThemeError(file: file, line: context.mark.line, message:
                "key given twice: \(duplicates.sorted().joined(separator: ", "))")
        default:
            return ThemeError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }

    /// `{ fg: #ff0000 }` is a syntax error (the comment swallows the closing brace); point at that line and
    /// say why, rather than at the end of the file where the parser noticed.
    private static func unquotedHexHint(in yaml: String, file: String) -> ThemeError? {
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.drop(while: { $0 == " " })
            guard !code.hasPrefix("#"), code.contains(": #") || code.contains(":#") else { continue }
            return ThemeError(file: file, line: index + 1, message:
                "unquoted colour: quote #rrggbb values (\"#ff0000\"), a bare # starts a YAML comment")
        }
        return nil
    }

    /// `themes/solarized.yaml` → `solarized`.
    static func defaultName(for file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) { return String(base.dropLast(suffix.count)) }
        return base
    }
}
