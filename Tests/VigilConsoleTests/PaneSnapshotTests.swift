import VigilSnapshotTesting
import Testing
@testable import VigilConsole
import VigilCore
import VigilDetect
import VigilTerminal

/// Whole screens on the sample data at the sizes the issue names, compared to text snapshots in
/// `__Snapshots__/` (re-record with `VIGIL_RECORD_SNAPSHOTS=1`). Times are UTC and "now" is fixed.
@Suite("console snapshots")
struct PaneSnapshotTests {
    let env: Environment

    init() {
        let sample = Fixtures.sample
        env = Fixtures.environment(DataSource(store: sample.store, findings: sample.findings))
    }

    @Test("start-up screen at 80×24, 120×40 and 200×60", arguments: [(80, 24), (120, 40), (200, 60)])
    func startup(size: (Int, Int)) {
        let state = Fixtures.state(env, width: size.0, height: size.1)
        assertSnapshot(Fixtures.render(state, env), named: "sample-\(size.0)x\(size.1)")
    }

    @Test("styles: severity roles and markers, selection, badge (80×24)")
    func styled() {
        let state = Fixtures.state(env, width: 80, height: 24)
        assertSnapshot(Fixtures.render(state, env), named: "sample-80x24-styled", styled: true)
    }

    @Test("the timeline, filtered, with an event in the detail pane (120×40)")
    func timelineFiltered() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2"), .char("f")] + Fixtures.type("key:AKIAQ3EXAMPLE7LEAKXZ ip:203.0.113.0/24") + [.enter, .char("j")], &state, env)
        assertSnapshot(Fixtures.render(state, env), named: "timeline-filtered-120x40")
    }

    @Test("a filter syntax error is shown under the filter with a caret (120×40)")
    func filterError() {
        var state = Fixtures.state(env)
        Fixtures.press([.char("2"), .char("f")] + Fixtures.type("action:Create* AND (user:alice"), &state, env)
        let screen = Fixtures.render(state, env)
        assertSnapshot(screen, named: "timeline-filter-error-120x40")
        let lines = screen.renderText().split(separator: "\n").map(String.init)
        let row = lines.firstIndex { $0.contains("filter: action:Create* AND (user:alice") }!
        let filterColumn = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: "(user")!.lowerBound)
        let caretColumn = lines[row + 1].distance(from: lines[row + 1].startIndex, to: lines[row + 1].firstIndex(of: "^")!)
        #expect(caretColumn == filterColumn, "the caret points at the unclosed parenthesis")
        #expect(lines[row + 1].contains("unclosed '(': expected ')'"))
    }

    @Test("a flow record: parsed fields beside the raw line (200×60, detail zoomed)")
    func flowDetail() {
        var state = Fixtures.state(env, width: 200, height: 60)
        Fixtures.press([.char("2"), .char("f")] + Fixtures.type("kind:flow dstport:22 action:ACCEPT") + [.enter, .char("4"), .char("z")], &state, env)
        let screen = Fixtures.render(state, env)
        assertSnapshot(screen, named: "detail-flow-200x60")
        #expect(screen.renderText().contains("Raw line"))
        #expect(screen.renderText().contains("dstport"))
    }

    @Test("the entity view: activity, actions, regions, source IPs and related findings (120×40)")
    func entityView() throws {
        var state = Fixtures.state(env)
        Fixtures.press([.char("j"), .enter, .enter, .enter], &state, env)
        guard case .entity(let view) = state.overlay else { Issue.record("no entity view"); return }
        #expect(view.entity == Entity(.principal, "arn:aws:iam::111122223333:user/jordan.reyes"))
        let screen = Fixtures.render(state, env)
        assertSnapshot(screen, named: "entity-principal-120x40")
        let text = screen.renderText()
        for expected in ["activity", "events", "first 2026-03-10", "actions", "GetCallerIdentity", "regions", "us-east-1",
                         "source IPs", "203.0.113.77", "Related findings", "Access key verified by a secret scanner"] {
            #expect(text.contains(expected), "\(expected)")
        }
    }

    @Test("the checklist with a tick shows who and when (80×24)")
    func checklistTick() {
        var state = Fixtures.state(env, width: 80, height: 24)
        Fixtures.press([.char("3"), .char("j"), .char(" ")], &state, env)
        let screen = Fixtures.render(state, env)
        assertSnapshot(screen, named: "checklist-ticked-80x24")
        #expect(screen.renderText().contains("[x] Read-only cross-account role"))
        #expect(screen.renderText().contains("✓ analyst 16:00"))
    }

    @Test("help for the timeline (80×24)")
    func help() {
        var state = Fixtures.state(env, width: 80, height: 24)
        Fixtures.press([.char("2"), .char("?")], &state, env)
        assertSnapshot(Fixtures.render(state, env), named: "help-timeline-80x24")
    }

    @Test("below the minimum size the console says so instead of drawing")
    func tooSmall() {
        var state = Fixtures.state(env)
        _ = Reducer.reduce(&state, .resize(Size(width: 50, height: 12)), env)
        let screen = Fixtures.render(state, env)
        assertSnapshot(screen, named: "too-small-50x12")
        #expect(screen.renderText().contains("terminal too small: need 60×16"))
        _ = Reducer.reduce(&state, .resize(Size(width: 120, height: 40)), env)
        #expect(Fixtures.render(state, env).renderText().contains("1 Findings"))
    }

    @Test("a theme switch changes the markers the view draws (colour-blind theme: letters)")
    func themeMarkers() throws {
        var state = Fixtures.state(env, width: 80, height: 24)
        let colorblind = try ThemeLoader(searchDirectories: [Fixtures.root + "/themes"]).load("colorblind")
        _ = Reducer.reduce(&state, .themeLoaded(colorblind), env)
        let text = Fixtures.render(state, env).renderText()
        #expect(text.contains("C  crit") || text.contains("C crit"))
        #expect(state.status?.text == "theme colorblind")
    }
}
