import Foundation
import Testing
@testable import VigilConsole
import VigilCore
import VigilTerminal

/// The runtime on an in-memory terminal: keys in, frames out, effects performed (themes, exports), resize.
@Suite("runtime")
struct RuntimeTests {
    static func runtime(_ terminal: MemoryTerminal, logPath: String? = nil) throws -> Runtime {
        let sample = Fixtures.sample
        let env = Fixtures.environment(DataSource(store: sample.store, findings: sample.findings))
        let state = AppState(size: terminal.size, caseName: "sample: leaked-access-key")
        return Runtime(terminal: terminal, state: state, environment: env, log: try ConsoleLog(path: logPath),
                       themes: ThemeLoader(searchDirectories: [Fixtures.root + "/themes"]),
                       options: .init(exitWhenIdle: true), clock: { Fixtures.now })
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-console-\(UInt32.random(in: 0...UInt32.max))-\(name)").path
    }

    @Test(":theme light switches the theme the terminal draws with; a bad theme keeps the old one")
    func themeSwitch() throws {
        let terminal = MemoryTerminal(width: 120, height: 40)
        terminal.type(":theme light")
        terminal.send(.enter)
        let runtime = try Self.runtime(terminal)
        runtime.run()
        #expect(terminal.lastTheme?.name == "light")
        #expect(runtime.state.theme.name == "light")

        let again = MemoryTerminal(width: 120, height: 40)
        again.type(":theme no-such-theme")
        again.send(.enter)
        let second = try Self.runtime(again)
        second.run()
        #expect(again.lastTheme?.name == "default")
        #expect(second.state.status?.level == .error)
        #expect(again.screenText.contains("no theme of that name"))
    }

    @Test("resizing redraws at the new size; too small shows the notice; q quits")
    func resize() throws {
        let terminal = MemoryTerminal(width: 120, height: 40)
        terminal.resize(to: Size(width: 50, height: 12))
        let runtime = try Self.runtime(terminal)
        runtime.run()
        #expect(terminal.screenText.contains("terminal too small: need 60×16"))
        terminal.resize(to: Size(width: 200, height: 60))
        terminal.send(.char("q"))
        runtime.run()
        #expect(terminal.lastFrame?.size == Size(width: 200, height: 60))
        #expect(terminal.screenText.contains("1 Findings"))
    }

    @Test(":export writes the filtered timeline as CSV or JSON lines, and the checklist as Markdown")
    func exports() throws {
        let csv = Self.temporaryPath("timeline.csv"), jsonl = Self.temporaryPath("timeline.jsonl"), md = Self.temporaryPath("checklist.md")
        let log = Self.temporaryPath("console.log")
        defer { for path in [csv, jsonl, md, log] { try? FileManager.default.removeItem(atPath: path) } }
        let terminal = MemoryTerminal(width: 120, height: 40)
        terminal.type("2f")
        terminal.type("action:CreateUser")
        terminal.send(.enter)
        terminal.type(":export \(csv)")
        terminal.send(.enter)
        terminal.type(":export \(jsonl)")
        terminal.send(.enter)
        terminal.type("3 ")
        terminal.type(":export checklist \(md)")
        terminal.send(.enter)
        let runtime = try Self.runtime(terminal, logPath: log)
        runtime.run()
        let table = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(table.hasPrefix("time,kind,service,action"))
        #expect(table.split(separator: "\r\n").count == 2)
        #expect(table.contains("CreateUser"))
        let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(try JSONValue.parse(String(lines[0]))["eventName"]?.string == "CreateUser")
        let checklist = try String(contentsOfFile: md, encoding: .utf8)
        #expect(checklist.contains("- [x] Dedicated forensics account (analyst, 2026-03-10 16:00:00 UTC)"))
        #expect(!runtime.state.checklist.unsaved)
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged.contains("wrote \(md)"))
    }

    @Test("an export to a folder that does not exist is an error in the status line, not a crash")
    func exportFailure() throws {
        let terminal = MemoryTerminal(width: 120, height: 40)
        terminal.type(":export /nonexistent-folder/x.csv")
        terminal.send(.enter)
        let runtime = try Self.runtime(terminal)
        runtime.run()
        #expect(runtime.state.status?.level == .error)
        #expect(runtime.state.status?.text.contains("cannot write /nonexistent-folder/x.csv") == true)
    }

    @Test("the frame benchmark renders key presses into a memory terminal")
    func benchmark() {
        let sample = Fixtures.sample
        let times = benchmarkFrame(store: sample.store, engine: nil, width: 200, height: 60)
        #expect(times.count == ConsoleBenchmark.keys.count)
        #expect(times.allSatisfy { $0 >= 0 && $0 < 2_000 })
    }
}
