import Testing
@testable import VigilConsole
import VigilCore
import VigilDetect
import VigilIngest
import VigilStore
import VigilTerminal

/// Background batches reach the store on the UI tick; detection runs in time order once loading is done and
/// on every new event after; new findings and events never move the user's selection.
@Suite("data source")
struct DataSourceTests {
    /// Polls until `done` or a couple of seconds pass.
    static func poll(_ data: DataSource, until done: () -> Bool) {
        let deadline = System.monotonic() + 5
        while !done(), System.monotonic() < deadline {
            _ = data.poll(budget: 0.05)
            System.sleep(seconds: 0.005)
        }
    }

    static func batch(_ records: [String]) -> IngestBatch {
        var batch = IngestBatch()
        batch.events = Fixtures.events(records)
        return batch
    }

    @Test("batches arrive out of order; detection waits for the load and then sees time order")
    func outOfOrderLoad() {
        let records = Fixtures.smallRecords()
        let feed = IngestFeed()
        feed.update { $0.filesTotal = 2 }
        let data = DataSource(feed: feed)
        feed.push(Self.batch(Array(records[40...])), fileDone: true)
        _ = data.poll(budget: 0.05)
        #expect(data.status.phase == .loading)
        #expect(data.timeline.ordered.count == 3)
        #expect(data.findings.isEmpty, "no detection before the rules and the whole load are there")
        feed.push(Self.batch(Array(records[..<40])), fileDone: true)
        feed.provide(DetectionSetup(rules: Fixtures.rules, detectors: false))
        feed.update { $0.initialDone = true }
        Self.poll(data) { data.status.phase == .idle }
        #expect(data.timeline.ordered.count == records.count)
        let times = data.timeline.ordered.map { data.store.time(of: $0) }
        #expect(times == times.sorted(), "the timeline is in time order whatever order files came in")
        #expect(data.findings.contains { $0.title == "CloudTrail logging stopped" })
        let scan = Fixtures.detected(records).findings
        #expect(Set(data.findings.map(\.id)) == Set(scan.map(\.id)), "the same findings as a batch scan")
    }

    @Test("the background loader reads a folder into the UI's store, with progress, then detection runs")
    func backgroundLoad() {
        let feed = IngestFeed()
        let data = DataSource(feed: feed)
        IngestLoader.start(.init(paths: [Fixtures.root + "/sample-data"], options: IngestOptions(), follow: false, interval: 1),
                           feed: feed) { DetectionSetup(rules: Fixtures.rules, detectors: false) }
        var sawLoading = false
        let deadline = System.monotonic() + 20
        while data.status.phase != .idle, System.monotonic() < deadline {
            _ = data.poll(budget: 0.03)
            if data.status.phase == .loading && data.status.filesTotal > 0 { sawLoading = true }
            System.sleep(seconds: 0.01)
        }
        #expect(sawLoading)
        #expect(data.status.phase == .idle)
        #expect(data.status.filesDone == data.status.filesTotal && data.status.filesTotal > 100)
        #expect(data.store.count == Fixtures.sample.store.count)
        #expect(Set(data.findings.map(\.id)) == Set(Fixtures.sample.findings.map(\.id)))
        #expect(data.pendingLog.contains { $0.contains("digest file skipped") })
    }

    @Test("new findings arriving above the selection keep it selected, on the same screen row")
    func findingsKeepSelection() throws {
        let feed = IngestFeed()
        let data = DataSource(feed: feed)
        let env = Fixtures.environment(data)
        var records: [String] = []
        for k in 0..<12 {
            // Medium findings: new IAM users created by different principals.
            records.append(Fixtures.record("2026-03-10T10:\(10 + k):00Z", "iam.amazonaws.com", "CreateUser", user: "dev\(k)", id: 200 + k,
                                           extra: "\"requestParameters\":{\"userName\":\"svc\(k)\"}"))
        }
        feed.provide(DetectionSetup(rules: Fixtures.rules, detectors: false))
        feed.push(Self.batch(records), fileDone: true)
        feed.update { $0.initialDone = true; $0.following = true }
        Self.poll(data) { data.status.phase == .live }
        var state = Fixtures.state(env, width: 80, height: 24)
        _ = Reducer.reduce(&state, .dataChanged(DataChange(), data.status), env)
        Fixtures.press([.char("j"), .char("j"), .char("j")], &state, env)
        let selected = try #require(state.findings.selectedID)
        let row = state.findings.cursor.screenRow
        let before = data.findings.count
        #expect(TabBar.tabs(state, env)[0].badge.isEmpty, "every finding has been on screen")

        // Looking at the timeline (the findings pane is hidden at 80×24) when a high-severity finding arrives;
        // it sorts above everything.
        Fixtures.press([.char("2")], &state, env)
        feed.push(Self.batch([Fixtures.record("2026-03-10T11:00:00Z", "cloudtrail.amazonaws.com", "StopLogging", user: "mallory", id: 300)]),
                  fileDone: false)
        Self.poll(data) { data.findings.count > before }
        let change = DataChange(eventsAdded: 1, findingsChanged: true, statusChanged: false)
        _ = Reducer.reduce(&state, .dataChanged(change, data.status), env)
        #expect(data.findings.first?.severity == .critical)
        #expect(state.findings.selectedID == selected)
        #expect(TabBar.tabs(state, env)[0].badge == " 1 new ")
        Fixtures.press([.char("1")], &state, env)
        #expect(state.findings.selectedID == selected)
        #expect(state.findings.cursor.index == 4)
        #expect(state.findings.cursor.screenRow == row + 1, "the list fits the pane, so the new row pushes it down one")
        #expect(TabBar.tabs(state, env)[0].badge.isEmpty)
    }

    @Test("in a list longer than the pane, a finding arriving above keeps the selected row where it is")
    func longListKeepsRow() throws {
        var records: [String] = []
        for k in 0..<40 {
            records.append(Fixtures.record("2026-03-10T10:\(10 + k):00Z", "iam.amazonaws.com", "CreateUser", user: "dev\(k)", id: 400 + k))
        }
        for k in 0..<3 {
            records.append(Fixtures.record("2026-03-10T12:0\(k):00Z", "cloudtrail.amazonaws.com", "StopLogging", user: "ops\(k)", id: 500 + k))
        }
        let sample = Fixtures.detected(records)
        let all = sample.findings
        #expect(all.count == 43 && all.prefix(3).allSatisfy { $0.severity == .critical })
        // The first findings (the highest) arrive later: start with the rest.
        let data = DataSource(store: sample.store, findings: Array(all.dropFirst(3)))
        let env = Fixtures.environment(data)
        var state = Fixtures.state(env, width: 80, height: 24)
        for _ in 0..<25 { Fixtures.press([.char("j")], &state, env) }
        let selected = try #require(state.findings.selectedID)
        let row = state.findings.cursor.screenRow
        let later = DataSource(store: sample.store, findings: all)
        let env2 = Fixtures.environment(later)
        _ = Reducer.reduce(&state, .dataChanged(DataChange(findingsChanged: true), later.status), env2)
        #expect(state.findings.selectedID == selected)
        #expect(state.findings.cursor.screenRow == row)
        #expect(state.findings.cursor.index == 28)
        #expect(all[28].id == selected)
    }

    @Test("events arriving live keep the timeline selection; filters update incrementally")
    func liveEvents() throws {
        let feed = IngestFeed()
        let data = DataSource(feed: feed)
        let env = Fixtures.environment(data)
        feed.provide(DetectionSetup(rules: Fixtures.rules, detectors: false))
        feed.push(Self.batch(Array(Fixtures.smallRecords()[..<20])), fileDone: true)
        feed.update { $0.initialDone = true; $0.following = true }
        Self.poll(data) { data.status.phase == .live }
        var state = Fixtures.state(env)
        Fixtures.press([.char("2"), .char("f")] + Fixtures.type("user:alice") + [.enter, .char("j"), .char("j")], &state, env)
        let selected = try #require(state.timeline.selectedID)
        let row = state.timeline.cursor.screenRow
        #expect(env.timelineRows(state).count == 20)
        // Older events (arriving late) land above the selection; newer ones below.
        let late = [Fixtures.record("2026-03-10T08:00:00Z", "s3.amazonaws.com", "ListBuckets", user: "alice", id: 900),
                    Fixtures.record("2026-03-10T08:01:00Z", "s3.amazonaws.com", "ListBuckets", user: "bob", id: 901),
                    Fixtures.record("2026-03-10T20:00:00Z", "s3.amazonaws.com", "ListBuckets", user: "alice", id: 902)]
        feed.push(Self.batch(late), fileDone: false)
        Self.poll(data) { data.timeline.ordered.count == 23 }
        _ = Reducer.reduce(&state, .dataChanged(DataChange(eventsAdded: 3), data.status), env)
        #expect(env.timelineRows(state).count == 22, "the cached filter took in the new matching events")
        #expect(state.timeline.selectedID == selected)
        #expect(state.timeline.cursor.screenRow == row)
        #expect(data.status.phase == .live)
        #expect(Header.status(data.status).plainText.hasPrefix("● live"))
    }
}
