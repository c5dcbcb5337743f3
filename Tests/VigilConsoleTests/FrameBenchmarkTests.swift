import Foundation
import Testing
@testable import VigilConsole
import VigilCore
import VigilDetect
import VigilStore
import VigilTerminal

/// Key press to frame with a million events loaded, at 200×60 (the target: well under 16 ms).
/// Opt in with `VIGIL_CONSOLE_BENCH=1` (or a number of events); build in release for real figures:
///
///     VIGIL_CONSOLE_BENCH=1000000 swift test -c release --filter FrameBenchmarkTests
@Suite("frame benchmark", .enabled(if: ProcessInfo.processInfo.environment["VIGIL_CONSOLE_BENCH"] != nil,
                                   "set VIGIL_CONSOLE_BENCH=1 (or an event count) to run it"))
struct FrameBenchmarkTests {
    static var eventCount: Int {
        let value = Int(ProcessInfo.processInfo.environment["VIGIL_CONSOLE_BENCH"] ?? "") ?? 1
        return value > 1 ? value : 1_000_000
    }

    /// A busy account: 500 principals, 50 APIs, 5 regions, one event every 37 ms, a failure now and then.
    static func store(events n: Int) -> EventStore {
        let actions = (0..<50).map { "Describe\($0)" } + ["GetObject", "PutObject", "AssumeRole"]
        let regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2", "sa-east-1"]
        let start: Int64 = 1_773_100_000_000
        var events: [Event] = []
        events.reserveCapacity(n)
        for i in 0..<n {
            let user = "user\(i % 500)"
            let raw = Array("{\"eventTime\":\"\(i)\",\"eventName\":\"\(actions[i % actions.count])\",\"userIdentity\":{\"userName\":\"\(user)\"}}".utf8)
            events.append(Event(
                time: Timestamp(milliseconds: start + Int64(i) * 37), kind: .cloudTrail, service: "ec2.amazonaws.com",
                action: actions[i % actions.count], outcome: i % 13 == 0 ? .failure(code: "AccessDenied", message: nil) : .success,
                principal: Principal(arn: "arn:aws:iam::111122223333:user/" + user, type: .iamUser, userName: user),
                accessKeyID: "AKIAEXAMPLE\(i % 700)", sourceIP: "10.0.\(i % 250).\(i % 199)", userAgent: "aws-cli/2.15.0",
                region: regions[i % regions.count], account: "111122223333", resources: ["arn:aws:s3:::bucket\(i % 100)"],
                eventID: "00000000-0000-4000-8000-\(100_000_000_000 + i)", raw: raw))
        }
        return EventStore.build(events)
    }

    @Test("per-frame time with a million events at 200×60")
    func million() {
        let n = Self.eventCount
        let buildStart = System.monotonic()
        let store = Self.store(events: n)
        let engine = DetectionEngine(store: store, rules: TestRules.set)
        engine.processAll()
        let setup = System.monotonic() - buildStart
        var times = benchmarkFrame(store: store, engine: engine, width: 200, height: 60)
        let slowest = zip(ConsoleBenchmark.keys, times).sorted { $0.1 > $1.1 }.prefix(6)
        print("slowest keys: " + slowest.map { "\($0.0) \(Self.fixed($0.1)) ms" }.joined(separator: ", "))
        times.sort()
        let median = times[times.count / 2], p95 = times[times.count * 95 / 100], worst = times.last!
        let line = "frame benchmark: \(store.count) events, \(engine.findings.count) findings, \(times.count) keys at 200×60: " +
            "median \(Self.fixed(median)) ms, p95 \(Self.fixed(p95)) ms, max \(Self.fixed(worst)) ms (setup \(Self.fixed(setup)) s)"
        print(line)
        #expect(store.count == n)
    }

    static func fixed(_ v: Double) -> String { String(Double(Int(v * 100)) / 100) }
}
