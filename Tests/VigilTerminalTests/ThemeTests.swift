import Foundation
import Testing
import VigilCore
@testable import VigilTerminal

/// The repository's `themes/` folder, found from this file's path.
let repositoryThemes = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes").path

@Suite("Themes")
struct ThemeTests {
    @Test("parses a valid theme, with roles left out taken from the base")
    func parsesValid() throws {
        let yaml = """
            name: mine
            extends: monochrome
            severity-markers: letters
            roles:
              text: { fg: default }
              muted: { fg: 245, attrs: [dim] }
              selection: { fg: black, bg: "#5fafff", attrs: [bold, reverse] }
              error:
                fg: bright-red
                attrs: bold underline
            """
        let parsed = try ThemeParser.parse(yaml, file: "mine.yaml")
        let theme = parsed.theme
        #expect(theme.name == "mine")
        #expect(theme.severityMarkers == .letters)
        #expect(theme[.muted] == RoleStyle(fg: .indexed(245), [.dim]))
        #expect(theme[.selection] == RoleStyle(fg: .black, bg: .rgb(0x5f, 0xaf, 0xff), [.bold, .reverse]))
        #expect(theme[.error] == RoleStyle(fg: .brightRed, [.bold, .underline]))
        #expect(theme[.header] == Theme.monochrome[.header])
        #expect(parsed.definedRoles == [.text, .muted, .selection, .error])
    }

    @Test("the name defaults to the file name")
    func defaultName() throws {
        let theme = try ThemeParser.parse("roles:\n  text: {}\n", file: "/x/y/solarized.yaml").theme
        #expect(theme.name == "solarized")
        #expect(theme[.accent] == Theme.default[.accent])
    }

    @Test("errors name the file, the line and the problem", arguments: [
        ("roles:\n  text: {}\n  severty-high: { fg: red }\n", 3, "unknown role 'severty-high' (did you mean 'severity-high'?)"),
        ("roles:\n  text: { fg: purple }\n", 2, "bad colour 'purple' for 'fg' in role 'text'"),
        ("roles:\n  text:\n    fg: 300\n", 3, "bad colour '300'"),
        ("roles:\n  muted: { fg: #808080 }\n", 2, "quote #rrggbb values"),
        ("roles:\n  muted:\n    fg: #808080\n", 3, "quote #rrggbb values"),
        ("roles:\n  muted: { attrs: [blink] }\n", 2, "unknown attribute 'blink'"),
        ("roles:\n  muted: { colour: red }\n", 2, "unknown key 'colour' in role 'muted'"),
        ("name: x\ncolours: {}\nroles: {}\n", 2, "unknown key 'colours'"),
        ("name: x\n", 1, "missing 'roles'"),
        ("roles:\n  text: { fg: red\n", 3, "YAML syntax error"),
        ("severity-markers: stars\nroles: {}\n", 1, "bad severity-markers 'stars'"),
        ("extends: solarized\nroles: {}\n", 1, "unknown theme 'solarized' to extend"),
        ("roles: [text]\n", 1, "'roles' must be a mapping"),
        ("roles:\n  muted: red\n", 2, "role 'muted' must be a mapping"),
    ])
    func errors(yaml: String, line: Int, fragment: String) {
        do {
            _ = try ThemeParser.parse(yaml, file: "themes/bad.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "themes/bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.description.hasPrefix("themes/bad.yaml:\(line): "))
        }
    }

    @Test("shipped themes parse and define every role", arguments: ["default", "light", "high-contrast", "colorblind", "monochrome"])
    func shippedThemes(name: String) throws {
        let path = repositoryThemes + "/\(name).yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let parsed = try ThemeParser.parse(text, file: path)
        #expect(parsed.theme.name == name)
        #expect(parsed.definedRoles == Set(Role.allCases), "missing: \(Set(Role.allCases).subtracting(parsed.definedRoles))")
    }

    @Test("the files of the compiled-in themes match them", arguments: [Theme.default, Theme.monochrome])
    func builtInMatchesFile(theme: Theme) throws {
        let loaded = try ThemeLoader(searchDirectories: [repositoryThemes]).loadFile(repositoryThemes + "/\(theme.name).yaml")
        #expect(loaded == theme)
    }

    @Test("colour-blind and monochrome themes never show severity by colour alone")
    func severityNotByColourAlone() throws {
        let loader = ThemeLoader(searchDirectories: [repositoryThemes])
        for name in ["colorblind", "monochrome", "default", "light", "high-contrast"] {
            let theme = try loader.load(name)
            #expect(theme.severitySymbols, "\(name)")
            let markers = FindingFields.Severity.allCases.map(theme.severityMarker)
            #expect(Set(markers).count == 5, "\(name): markers must differ")
            #expect(markers.allSatisfy { $0.count == 2 })
        }
        let mono = Theme.monochrome
        #expect(Role.allCases.allSatisfy { mono[$0].foreground == .default && mono[$0].background == .default })
        let levels = FindingFields.Severity.allCases.map { mono[Role.severity($0)].attributes }
        #expect(Set(levels).count == 5, "monochrome severities differ by attributes too")
    }

    @Test("severity markers", arguments: [
        (SeverityMarkers.symbols, ["!!", "! ", "~ ", "- ", ". "]),
        (.letters, ["C ", "H ", "M ", "L ", "I "]),
        (.none, ["", "", "", "", ""]),
    ])
    func markers(style: SeverityMarkers, expected: [String]) {
        let theme = Theme(name: "t", severityMarkers: style, styles: [:])
        let levels: [FindingFields.Severity] = [.critical, .high, .medium, .low, .info]
        #expect(levels.map(theme.severityMarker) == expected)
        #expect(theme.severityMarkerWidth == (style == .none ? 0 : 2))
    }

    @Test("resolve adds a style's attributes to its role's")
    func resolve() {
        let look = Theme.default.resolve(Style(.accent, .underline))
        #expect(look == RoleStyle(fg: .cyan, [.bold, .underline]))
    }
}

@Suite("ThemeLoader")
final class ThemeLoaderTests {
    /// The folders a test made, removed when it ends (each test gets its own instance).
    private var made: [URL] = []

    deinit {
        for dir in made { try? FileManager.default.removeItem(at: dir) }
    }

    /// A fresh folder with the given theme files.
    func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        made.append(dir)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    @Test("search order: VIGIL_THEMES_DIR, ./themes, then beside the executable")
    func searchOrder() {
        let dirs = ThemeLoader.standardDirectories(
            environment: ["VIGIL_THEMES_DIR": "/custom"], currentDirectory: "/work",
            executablePaths: ["/repo/.build/debug/vigil", "/usr/local/bin/vigil"])
        #expect(dirs == [
            "/custom", "/work/themes",
            "/repo/.build/debug/../../themes", "/repo/.build/debug/../share/vigil/themes",
            "/usr/local/bin/../../themes", "/usr/local/bin/../share/vigil/themes",
        ])
        #expect(ThemeLoader.standardDirectories(environment: [:], currentDirectory: "/w", executablePaths: [])
            == ["/w/themes"])
    }

    @Test("loads by name from the first folder that has it, and by path")
    func loadsByNameAndPath() throws {
        let first = try folder(["mine.yaml": "name: first\nroles: {}\n"])
        let second = try folder(["mine.yaml": "name: second\nroles: {}\n", "other.yml": "roles: {}\n"])
        let loader = ThemeLoader(searchDirectories: [first, second])
        #expect(try loader.load("mine").name == "first")
        #expect(try loader.load("other").name == "other")
        #expect(try loader.load(second + "/mine.yaml").name == "second")
        #expect(loader.availableThemeNames() == ["default", "mine", "monochrome", "other"])
    }

    @Test("default and monochrome work with no theme folder")
    func builtInsWithoutFolders() throws {
        let loader = ThemeLoader(searchDirectories: ["/nonexistent"])
        #expect(try loader.load("default") == .default)
        #expect(try loader.load("monochrome") == .monochrome)
        #expect(throws: ThemeError.self) { try loader.load("light") }
    }

    @Test("a missing file or an unknown name is a clear error")
    func missing() throws {
        let loader = ThemeLoader(searchDirectories: [])
        do {
            _ = try loader.load("/nope/theme.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "/nope/theme.yaml")
            #expect(error.message.contains("cannot read"))
        }
        do {
            _ = try loader.load("sparkly")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("sparkly: no theme of that name (available: default, monochrome)"))
        }
    }

    @Test("choosing: invalid theme falls back to default with a warning naming file and line")
    func invalidFallsBack() throws {
        let dir = try folder(["broken.yaml": "roles:\n  text: { fg: blurple }\n"])
        let choice = ThemeLoader(searchDirectories: [dir]).choose(requested: "broken", colorDepth: .xterm256, environment: [:])
        #expect(choice.theme == .default)
        let warning = try #require(choice.warning)
        #expect(warning.contains("broken.yaml:2: bad colour 'blurple'"))
        #expect(warning.hasSuffix("using the default theme"))
    }

    @Test("choosing: NO_COLOR or a colourless terminal gives monochrome")
    func noColor() throws {
        let dir = try folder(["light.yaml": "roles: {}\n"])
        let loader = ThemeLoader(searchDirectories: [dir])
        #expect(loader.choose(requested: nil, colorDepth: .xterm256, environment: ["NO_COLOR": "1"]).theme == .monochrome)
        #expect(loader.choose(requested: nil, colorDepth: .xterm256, environment: ["NO_COLOR": ""]).theme == .default)
        #expect(loader.choose(requested: "light", colorDepth: .none, environment: [:]).theme == .monochrome)
        // An explicit choice overrides NO_COLOR (no-color.org).
        #expect(loader.choose(requested: "light", colorDepth: .eight, environment: ["NO_COLOR": "1"]).theme.name == "light")
        #expect(loader.choose(requested: nil, colorDepth: .eight, environment: [:]).warning == nil)
    }

    @Test("edit distance for suggestions")
    func editDistance() {
        #expect(ThemeParser.editDistance("severty-high", "severity-high") == 1)
        #expect(ThemeParser.editDistance("", "abc") == 3)
        #expect(ThemeParser.editDistance("kitten", "sitting") == 3)
    }
}
