import Testing
@testable import VigilConsole
import VigilCore
import VigilStore
import VigilTerminal

/// Keys become actions, actions change the state: panes, movement, drilling, filters, the command line.
@Suite("reducer")
struct ReducerTests {
    let env: Environment
    let data: DataSource

    init() {
        let sample = Fixtures.sample
        data = DataSource(store: sample.store, findings: sample.findings)
        env = Fixtures.environment(data)
    }

    @Test("Tab, Shift-Tab and the digits move between panes; the detail pane follows the last list")
    func panes() {
        var state = Fixtures.state(env)
        #expect(state.focus == .findings)
        Fixtures.press([.tab], &state, env)
        #expect(state.focus == .timeline)
        Fixtures.press([.backTab, .backTab], &state, env)
        #expect(state.focus == .detail)
        #expect(state.detailSource == .findings)
        Fixtures.press([.char("3")], &state, env)
        #expect(state.focus == .checklist && state.detailSource == .checklist)
        Fixtures.press([.char("2")], &state, env)
        #expect(state.detailSource == .timeline)
        Fixtures.press([.char("l")], &state, env)
        #expect(state.focus == .checklist, "l moves right in the grid, timeline → checklist")
        Fixtures.press([.char("h"), .char("k")], &state, env)
        #expect(state.focus == .timeline)
    }

    @Test("j/k, g/G, PgDn and Ctrl-d move the selection and keep it on screen")
    func movement() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2")], &state, env)
        let rows = env.timelineRows(state)
        #expect(state.timeline.selectedID == rows[0])
        Fixtures.press([.char("j"), .char("j"), .down], &state, env)
        #expect(state.timeline.selectedID == rows[3])
        Fixtures.press([.char("k")], &state, env)
        #expect(state.timeline.selectedID == rows[2])
        Fixtures.press([.char("G")], &state, env)
        #expect(state.timeline.selectedID == rows[rows.count - 1])
        let visible = Reducer.bodyRows(.timeline, state)
        #expect(state.timeline.cursor.screenRow == visible - 1)
        Fixtures.press([.char("g"), .pageDown], &state, env)
        #expect(state.timeline.cursor.index == visible)
        Fixtures.press([.ctrl("d")], &state, env)
        #expect(state.timeline.cursor.index == visible + visible / 2)
        Fixtures.press([.ctrl("u"), .pageUp], &state, env)
        #expect(state.timeline.cursor.index == 0)
    }

    @Test("the new-findings badge counts the findings not yet on screen, and falls as they scroll into view")
    func unseenBadge() {
        var state = Fixtures.state(env, width: 120, height: 18)
        Fixtures.press([.char("1")], &state, env)
        func expected() -> Int { data.findings.count { !state.findings.seen.contains($0.id) } }
        let first = env.unseenFindings(state)
        #expect(first == expected())
        #expect(first > 0, "the sample has more findings than an 18-row screen shows")
        #expect(Fixtures.render(state, env).renderText().contains(" \(first) new "))
        Fixtures.press([.pageDown], &state, env)
        let after = env.unseenFindings(state)
        #expect(after == expected())
        #expect(after < first)
        Fixtures.press([.char("G")], &state, env)
        #expect(env.unseenFindings(state) == expected())
        // The same finding found by id, without spelling ids out.
        let finding = data.findings[data.findings.count / 2]
        #expect(finding.hasID(finding.id))
        #expect(data.findings.filter { $0.hasID(finding.id) }.count == 1)
        #expect(!finding.hasID(finding.id + "x") && !finding.hasID(String(finding.id.dropLast())) && !finding.hasID(""))
    }

    @Test("Enter drills from a finding into the detail pane; Esc goes back")
    func drill() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("j"), .enter], &state, env)
        #expect(state.focus == .detail)
        #expect(env.detailSubject(state) == .finding(env.findingRows(state)[1].id))
        #expect(Breadcrumb.parts(state, env).first == "Findings")
        Fixtures.press([.escape], &state, env)
        #expect(state.focus == .findings)
        #expect(Breadcrumb.parts(state, env).isEmpty)
    }

    @Test("Enter on a detail line moves to the next entity, again opens its profile; p pivots the timeline")
    func entityAndPivot() throws {
        var state = Fixtures.state(env)
        Fixtures.press([.enter, .enter], &state, env)
        let lines = env.detailLines(state, width: Reducer.detailWidth(state))
        let entity = try #require(lines[state.detail.cursor].entity)
        Fixtures.press([.enter], &state, env)
        #expect(state.overlay == .entity(EntityState(entity: entity)))
        #expect(Breadcrumb.parts(state, env).last == entity.description)
        Fixtures.press([.char("p")], &state, env)
        #expect(state.overlay == nil)
        #expect(state.focus == .timeline)
        #expect(state.timeline.filterText == PivotQuery.term(for: entity))
        #expect(state.timeline.query != nil)
        let rows = env.timelineRows(state)
        #expect(rows.count > 0 && rows.count < data.timeline.ordered.count)
    }

    @Test("P adds the line's field to the filter; p on a JSON line filters on its path")
    func pivotOnJSONLine() throws {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2")] + Fixtures.type("f") + Fixtures.type("action:CreateUser") + [.enter, .char("4")], &state, env)
        let lines = env.detailLines(state, width: Reducer.detailWidth(state))
        let index = try #require(lines.firstIndex { $0.text.plainText.contains("\"userName\": \"svc-backup-sync\"") })
        state.detail.cursor = index
        Fixtures.press([.char("P")], &state, env)
        #expect(state.timeline.filterText == "action:CreateUser requestParameters.userName:svc-backup-sync")
        #expect(env.timelineRows(state).count == 1)
    }

    @Test("a filter with a syntax error keeps the prompt open with the error and the old filter")
    func filterError() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2"), .char("f")] + Fixtures.type("user:alice (") + [.enter], &state, env)
        guard case .prompt(let prompt) = state.overlay else { Issue.record("prompt closed"); return }
        #expect(prompt.error == FilterError(message: "unclosed '(': expected ')'", column: 11))
        #expect(state.timeline.query == nil)
        Fixtures.press([.backspace, .enter], &state, env)
        #expect(state.overlay == nil)
        #expect(state.timeline.filterText == "user:alice")
    }

    @Test("the findings filter takes severity, rule and entity terms")
    func findingsFilter() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("f")] + Fixtures.type("sev>=high entity:jordan") + [.enter], &state, env)
        let rows = env.findingRows(state)
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.severity >= .high && $0.entities.contains { $0.value.contains("jordan") } })
        Fixtures.press([.char("f"), .ctrl("u")] + Fixtures.type("severity>>high") + [.enter], &state, env)
        guard case .prompt(let prompt) = state.overlay else { Issue.record("prompt closed"); return }
        #expect(prompt.error?.message.contains("unknown severity") == true)
    }

    @Test("e shows only the selected finding's evidence; + and - zoom in time; 0 resets")
    func evidenceAndZoom() throws {
        var state = Fixtures.state(env)
        let finding = try #require(env.selectedFinding(state))
        Fixtures.press([.char("2"), .char("e")], &state, env)
        #expect(state.timeline.evidenceOnly)
        #expect(env.timelineRows(state).count == Set(finding.evidence).count)
        Fixtures.press([.char("e"), .char("+")], &state, env)
        let window = try #require(state.timeline.window)
        Fixtures.press([.char("+")], &state, env)
        #expect(state.timeline.window!.length == window.length / 2)
        Fixtures.press([.char("-"), .char("-"), .char("-")], &state, env)
        #expect(state.timeline.window == nil, "zooming out past the whole span shows everything")
        Fixtures.press([.char("+"), .char("0")], &state, env)
        #expect(state.timeline.window == nil)
    }

    @Test("t switches between UTC and local time")
    func localTime() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("t")], &state, env)
        #expect(state.timeMode == .local)
        #expect(env.timeFormat(state).full(Timestamp(seconds: 0)) == "1970-01-01 02:00:00")
        Fixtures.press([.char("t")], &state, env)
        #expect(state.timeMode == .utc)
    }

    @Test(":goto selects the first event at or after a time")
    func goto() throws {
        var state = Fixtures.state(env)
        Fixtures.press([.char(":")] + Fixtures.type("goto 2026-03-10T15:00") + [.enter], &state, env)
        #expect(state.focus == .timeline)
        let id = try #require(state.timeline.selectedID)
        #expect(data.store.time(of: id) >= Timestamp(milliseconds: 1_773_154_800_000))
        let rows = env.timelineRows(state)
        let index = env.timelineIndex(state, rows: rows)!
        #expect(index > 0 && data.store.time(of: rows[index - 1]) < Timestamp(milliseconds: 1_773_154_800_000))
        Fixtures.press([.char(":")] + Fixtures.type("goto yesterday") + [.enter], &state, env)
        #expect(state.status?.level == .error)
    }

    @Test("the command line completes with Tab and asks the runtime for themes and exports")
    func commandLine() {
        var state = Fixtures.state(env)
        Fixtures.press([.char(":")] + Fixtures.type("th") + [.tab], &state, env)
        guard case .prompt(let prompt) = state.overlay else { Issue.record("no prompt"); return }
        #expect(prompt.prompt.text == "theme ")
        var effects = Fixtures.press(Fixtures.type("light") + [.enter], &state, env)
        #expect(effects.withoutLogs == [.loadTheme("light")])
        #expect(effects.contains(.log(":theme light")), "commands are logged")
        effects = Fixtures.press([.char(":")] + Fixtures.type("export /tmp/x.csv") + [.enter], &state, env)
        #expect(effects.withoutLogs == [.exportTimeline(path: "/tmp/x.csv")])
        effects = Fixtures.press([.char(":")] + Fixtures.type("export checklist /tmp/c.md") + [.enter], &state, env)
        #expect(effects.withoutLogs == [.exportChecklist(path: "/tmp/c.md")])
        Fixtures.press([.char(":")] + Fixtures.type("bogus") + [.enter], &state, env)
        #expect(state.status?.level == .error)
        Fixtures.press([.char(":"), .up], &state, env)
        guard case .prompt(let recalled) = state.overlay else { Issue.record("no prompt"); return }
        #expect(recalled.prompt.text == "bogus", "Up recalls the last command")
    }

    @Test("ticking asks before quitting until the checklist is exported")
    func quitConfirmation() {
        var state = Fixtures.state(env)
        #expect(Fixtures.press([.char("q")], &state, env) == [.quit])
        Fixtures.press([.char("3"), .char(" ")], &state, env)
        let tick = state.checklist.ticks["workstation.account"]
        #expect(tick == ChecklistTick(who: "analyst", when: Fixtures.now))
        #expect(Fixtures.press([.char("q")], &state, env).isEmpty)
        #expect(state.overlay == .confirmQuit)
        Fixtures.press([.char("n")], &state, env)
        #expect(state.overlay == nil)
        _ = Reducer.reduce(&state, .checklistExported(path: "/tmp/c.md"), env)
        #expect(Fixtures.press([.char("q")], &state, env) == [.quit])
        Fixtures.press([.char("x")], &state, env)
        #expect(state.checklist.ticks["workstation.account"] == nil, "x unticks again")
        Fixtures.press([.char("q")], &state, env)
        #expect(Fixtures.press([.char("y")], &state, env) == [.quit])
    }

    @Test("/ searches the focused pane; n and N go to the next and previous match")
    func search() throws {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2"), .char("/")] + Fixtures.type("ListBuckets") + [.enter], &state, env)
        let first = try #require(state.timeline.selectedID)
        #expect(EventSummary(data.store, first).action == "ListBuckets")
        Fixtures.press([.char("n")], &state, env)
        #expect(state.timeline.selectedID != first)
        Fixtures.press([.char("N")], &state, env)
        #expect(state.timeline.selectedID == first)
    }

    @Test("? opens the help for the pane; / filters it; Esc closes")
    func help() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2"), .char("?")], &state, env)
        guard case .help(let help) = state.overlay else { Issue.record("no help"); return }
        #expect(help.context == .timeline)
        let all = HelpOverlay.lines(help, keyMap: env.keyMap).map(\.plainText)
        #expect(all.contains { $0.contains("toggle") || $0.contains("evidence") })
        Fixtures.press([.char("/")] + Fixtures.type("zoom") + [.enter], &state, env)
        guard case .help(let filtered) = state.overlay else { Issue.record("help closed"); return }
        let lines = HelpOverlay.lines(filtered, keyMap: env.keyMap).map(\.plainText).filter { $0.hasPrefix("  ") }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.lowercased().contains("zoom") })
        Fixtures.press([.escape, .escape], &state, env)
        #expect(state.overlay == nil)
    }

    @Test("z zooms the focused pane; a click focuses a pane and selects the row under it")
    func zoomAndMouse() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("z")], &state, env)
        #expect(!ConsoleLayout(state).isVisible(.timeline))
        Fixtures.press([.char("z")], &state, env)
        let layout = ConsoleLayout(state)
        let frame = layout.frame(for: .timeline)
        let geometry = TimelineGeometry(frame: frame, state: state)
        Fixtures.press([.mouse(.click(Point(x: frame.x + 5, y: geometry.firstRowY + 3)))], &state, env)
        #expect(state.focus == .timeline)
        #expect(state.timeline.selectedID == env.timelineRows(state)[3])
        Fixtures.press([.mouse(.wheelDown(Point(x: frame.x + 5, y: geometry.firstRowY)))], &state, env)
        #expect(state.timeline.selectedID == env.timelineRows(state)[6])
        Fixtures.press([.mouse(.click(Point(x: 20, y: layout.tabs.y)))], &state, env)
        #expect(state.focus == .timeline || state.focus == .findings)
    }

    @Test("an unbound key says so instead of doing something surprising")
    func unbound() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("Q")], &state, env)
        #expect(state.status?.text.contains("does nothing here") == true)
    }
}
