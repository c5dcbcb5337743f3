import Testing
@testable import VigilConsole
import VigilDetect
import VigilStore
import VigilTerminal

/// The config file: theme, defaults, key remapping; errors name the file and line, and keep the defaults.
@Suite("config and key map")
struct ConfigTests {
    @Test("keys are remapped per context, the defaults stay for the rest")
    func remap() throws {
        let config = try ConsoleConfig.parse("""
            theme: light
            defaults:
              time: local
              evidence-only: true
              focus: timeline
              mouse: false
            keys:
              global:
                quit: Q
                help: ["?", F1]
              timeline:
                toggle-evidence: E
              detail:
                pivot: C-p
            """, file: "config.yaml")
        #expect(config.theme == "light")
        #expect(config.timeMode == .local)
        #expect(config.evidenceOnly == true)
        #expect(config.focus == .timeline)
        #expect(config.mouse == false)
        let keys = config.keyMap
        #expect(keys.command(for: .char("Q"), in: .findings) == .quit)
        #expect(keys.command(for: .char("q"), in: .findings) == nil)
        #expect(keys.command(for: .function(1), in: .timeline) == .help)
        #expect(keys.command(for: .char("E"), in: .timeline) == .toggleEvidence)
        #expect(keys.command(for: .char("e"), in: .timeline) == nil)
        #expect(keys.command(for: .ctrl("p"), in: .detail) == .pivot)
        #expect(keys.command(for: .char("j"), in: .checklist) == .down, "unchanged bindings stay")
        #expect(StatusBar.hints(AppState(size: Size(width: 80, height: 24), caseName: "x"), keys).contains { $0.key == "Q" })
    }

    @Test("errors name the file and line", arguments: [
        ("theme: light\nkeyz: {}\n", 2, "unknown setting 'keyz'"),
        ("keys:\n  timeline:\n    toggle-evidense: E\n", 3, "unknown command 'toggle-evidense'"),
        ("keys:\n  global:\n    quit: Ctrl-Q\n", 3, "unknown key 'Ctrl-Q'"),
        ("keys:\n  sidebar:\n    quit: q\n", 2, "unknown key context 'sidebar'"),
        ("defaults:\n  time: martian\n", 2, "bad value 'martian' for time"),
        ("theme: [light\n", 2, "YAML syntax error"),
    ])
    func errors(text: String, line: Int, message: String) {
        do {
            _ = try ConsoleConfig.parse(text, file: "/home/a/.config/vigil/config.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.hasPrefix("/home/a/.config/vigil/config.yaml:\(line): "), "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("the config path follows XDG_CONFIG_HOME, then HOME")
    func path() {
        #expect(ConsoleConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/vigil/config.yaml")
        #expect(ConsoleConfig.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/vigil/config.yaml")
        #expect(ConsoleConfig.defaultPath(environment: [:]) == nil)
    }

    @Test("key names read as the help writes them", arguments: [
        ("q", Key.char("q")), ("G", .char("G")), ("Space", .char(" ")), ("C-d", .ctrl("d")), ("S-Tab", .backTab),
        ("PgDn", .pageDown), ("F5", .function(5)), ("Esc", .escape), ("enter", .enter),
    ])
    func keyNames(name: String, key: Key) {
        #expect(KeyName.parse(name) == key)
        #expect(KeyName.parse(key.description) == key)
    }

    @Test("the findings filter reports unknown fields with their column")
    func findingFilterErrors() {
        #expect(throws: FilterError(message: "unknown field 'colour': expected severity, state, rule or entity", column: 9)) {
            try FindingFilter.parse("sev:high colour:red")
        }
        #expect(throws: FilterError(message: "'>' only compares severities (write rule:VALUE)", column: 4)) {
            try FindingFilter.parse("rule>x")
        }
    }

    @Test("pivot terms quote and escape values so they match literally")
    func pivotTerms() {
        #expect(PivotQuery.term("ua", "aws-cli/2.15 Python/3.11 (Linux)") == "ua:\"aws-cli/2.15 Python/3.11 \\(Linux\\)\"")
        #expect(PivotQuery.term("resource", "arn:aws:s3:::bucket/*") == "resource:arn:aws:s3:::bucket/\\*")
        #expect(PivotQuery.term(path: ["requestParameters", "bucketName"], value: "b") == "requestParameters.bucketName:b")
        #expect(PivotQuery.term(path: ["tags", "aws:stack"], value: "x y") == "\"x y\"")
        #expect(PivotQuery.term(for: .init(.group, "userIdentity.arn=arn:aws:iam::1:user/a,requestParameters.userName=b"))
                == "userIdentity.arn:arn:aws:iam::1:user/a requestParameters.userName:b")
        for term in ["ua:\"aws-cli/2.15 Python/3.11 \\(Linux\\)\"", "resource:arn:aws:s3:::bucket/\\*"] {
            #expect((try? VigilStore.Query(term)) != nil, "\(term)")
        }
    }
}
