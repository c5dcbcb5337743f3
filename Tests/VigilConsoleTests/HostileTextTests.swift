import VigilSnapshotTesting
import Testing
@testable import VigilConsole
import VigilCore
import VigilTerminal

/// Strings written by attackers (user agents, user names, request parameters) never reach the screen raw:
/// escape sequences, OSC titles, bidi overrides and zero-width characters become visible placeholders, and
/// wide CJK text is clipped by display width inside its column.
@Suite("hostile text")
struct HostileTextTests {
    static let escape = "\u{1B}[2J\u{1B}[31mRED"
    static let title = "\u{1B}]0;PWNED\u{07}"
    static let bidi = "evil\u{202E}txt.exe"
    static let zeroWidth = "ad\u{200B}min"
    static let cjk = "管理者アカウント管理者アカウント管理者"

    static let records: [String] = [
        Fixtures.record("2026-03-10T10:00:00Z", "iam.amazonaws.com", "CreateUser", user: title + "root", agent: escape + title, id: 1,
                        extra: "\"requestParameters\":{\"userName\":\(JSONValue.quoted(bidi))}"),
        Fixtures.record("2026-03-10T10:01:00Z", "s3.amazonaws.com", "GetObject", user: zeroWidth, agent: bidi, id: 2,
                        extra: "\"requestParameters\":{\"bucketName\":\(JSONValue.quoted(escape))}"),
        Fixtures.record("2026-03-10T10:02:00Z", "s3.amazonaws.com", "ListBuckets", user: cjk, agent: cjk + title, id: 3),
    ]

    /// Every scalar a terminal would act on or hide: C0/C1 controls, DEL, bidi controls, zero-width characters.
    static func isDangerous(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || TextSanitizer.isInvisibleFormat(v)
    }

    static func assertSafe(_ buffer: ScreenBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        for y in 0..<buffer.size.height {
            for x in 0..<buffer.size.width {
                let cell = buffer[x, y]
                for scalar in cell.character.unicodeScalars where isDangerous(scalar) {
                    Issue.record("raw U+\(String(scalar.value, radix: 16)) at (\(x), \(y))", sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test("timeline rows, the event detail and the entity view show hostile values as placeholders",
          arguments: [(80, 24), (120, 40), (200, 60)])
    func screens(size: (Int, Int)) throws {
        let detected = Fixtures.detected(Self.records)
        let env = Fixtures.environment(DataSource(store: detected.store, findings: detected.findings))
        var state = Fixtures.state(env, width: size.0, height: size.1, caseName: "hostile")
        Fixtures.press([.char("2")], &state, env)
        for _ in 0..<3 {
            Self.assertSafe(Fixtures.render(state, env))
            Fixtures.press([.char("4")], &state, env)
            let detail = Fixtures.render(state, env)
            Self.assertSafe(detail)
            let text = detail.renderText()
            #expect(text.contains("\\x1B") || text.contains("<U+"), "placeholders are visible")
            for _ in 0..<30 { Fixtures.press([.char("j")], &state, env) }
            Self.assertSafe(Fixtures.render(state, env))
            Fixtures.press([.char("2"), .char("j")], &state, env)
        }
        let screen = Fixtures.render(state, env).renderText()
        #expect(!screen.contains("PWNED\u{07}"))
    }

    @Test("the hostile screen at 120×40 (snapshot)")
    func snapshot() {
        let detected = Fixtures.detected(Self.records)
        let env = Fixtures.environment(DataSource(store: detected.store, findings: detected.findings))
        var state = Fixtures.state(env, caseName: "hostile")
        Fixtures.press([.char("2")], &state, env)
        assertSnapshot(Fixtures.render(state, env), named: "hostile-120x40")
    }

    @Test("wide characters are clipped whole at column and border edges")
    func wideCharacters() {
        let detected = Fixtures.detected(Self.records)
        let env = Fixtures.environment(DataSource(store: detected.store, findings: detected.findings))
        var state = Fixtures.state(env, caseName: "hostile")
        Fixtures.press([.char("2"), .char("G")], &state, env)
        let buffer = Fixtures.render(state, env)
        let frame = ConsoleLayout(state).frame(for: .timeline)
        for y in frame.y..<frame.maxY {
            // The pane's borders are intact: nothing spilled over them.
            #expect(buffer[frame.x, y].character == "│" || buffer[frame.x, y].character == "┌" || buffer[frame.x, y].character == "└")
            let right = buffer[frame.maxX - 1, y].character
            #expect(right == "│" || right == "┐" || right == "┘")
        }
        #expect(buffer.renderText().contains("管理者"))
    }

    @Test("exports defuse formulas and keep controls escaped")
    func exports() {
        let records = [Fixtures.record("2026-03-10T10:00:00Z", "iam.amazonaws.com", "=HYPERLINK(\"http://x\")", user: "@SUM(1)", agent: Self.escape, id: 9)]
        let detected = Fixtures.detected(records)
        let csv = TimelineExport.csv(detected.store, detected.store.idsInTimeOrder())
        #expect(csv.contains("'=HYPERLINK"))
        #expect(csv.contains("'@SUM(1)"))
        #expect(!csv.unicodeScalars.contains { $0 == "\u{1B}" })
        let jsonl = TimelineExport.jsonLines(detected.store, detected.store.idsInTimeOrder())
        #expect(!jsonl.unicodeScalars.contains { $0 == "\u{1B}" })
        #expect(jsonl.contains("\\u001b"))
    }
}
