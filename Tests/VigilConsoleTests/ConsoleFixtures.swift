import Foundation
import Synchronization
@testable import VigilConsole
import VigilCore
import VigilDetect
import VigilIngest
import VigilStore
import VigilTerminal

/// Stores, findings, states and environments for the console's tests: the bundled sample data (loaded and
/// scanned once, shared read-only) and small synthetic CloudTrail sets.
enum Fixtures {
    /// The package root, from this file's location.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A fixed "now" (2026-03-10T16:00:00Z) so ticks and messages are the same in every run.
    static let now = Timestamp(milliseconds: 1_773_158_400_000)

    /// The sample data, detected once; indexes and the time order are built before sharing, so readers never
    /// write to it.
    static let sample: (store: EventStore, findings: [Finding]) = {
        let result = Ingestor.load(paths: [root + "/sample-data"])
        let store = result.store
        let engine = DetectionEngine(store: store, rules: rules)
        engine.processAll()
        prepare(store)
        return (store, engine.findings)
    }()

    /// The rules the tests detect with: a small pinned set (see `TestRules`), not the evolving built-in pack.
    static var rules: RuleSet { TestRules.set }

    /// Builds the lazily built parts of a store so that sharing it between tests only reads it.
    static func prepare(_ store: EventStore) {
        store.buildIndexes()
        _ = store.idsInTimeOrder()
    }

    // MARK: - Synthetic CloudTrail

    /// One CloudTrail record as JSON; values are escaped properly, so hostile text arrives decoded in the event.
    static func record(_ time: String, _ source: String, _ name: String, user: String, ip: String = "203.0.113.7",
                       agent: String = "aws-cli/2.15.0", error: String? = nil, id: Int, extra: String = "") -> String {
        var fields = [
            "\"eventVersion\":\"1.08\"", "\"eventTime\":\"\(time)\"", "\"eventSource\":\"\(source)\"",
            "\"eventName\":\(JSONValue.quoted(name))", "\"awsRegion\":\"us-east-1\"", "\"sourceIPAddress\":\"\(ip)\"",
            "\"userAgent\":\(JSONValue.quoted(agent))",
            "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\(JSONValue.quoted("arn:aws:iam::111122223333:user/" + user)),\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAEXAMPLE\(1000 + id % 9000)\",\"userName\":\(JSONValue.quoted(user))}",
            "\"eventID\":\"00000000-0000-4000-8000-\(String(100_000_000_000 + id))\"",
        ]
        if let error { fields.append("\"errorCode\":\"\(error)\"") }
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Events read from CloudTrail records, through the real reader.
    static func events(_ records: [String]) -> [Event] {
        let text = "{\"Records\":[" + records.joined(separator: ",") + "]}"
        var batch = IngestBatch()
        _ = Array(text.utf8).withUnsafeBytes { buffer in
            Ingestor.read(buffer, source: "fixture.json", referenceTime: now, into: &batch)
        }
        precondition(batch.diagnostics.filter { $0.severity == .error }.isEmpty, "\(batch.diagnostics)")
        return batch.events
    }

    /// A small account's day: ordinary reads, then a burst of suspicious calls by `mallory`.
    static func smallRecords() -> [String] {
        var records: [String] = []
        for k in 0..<40 {
            let minute = 10 + k
            records.append(record("2026-03-10T09:\(minute < 10 ? "0" : "")\(minute):00Z", "s3.amazonaws.com", k % 2 == 0 ? "ListBuckets" : "GetObject",
                                  user: "alice", ip: "192.0.2.10", id: k))
        }
        records.append(record("2026-03-10T14:00:00Z", "iam.amazonaws.com", "CreateUser", user: "mallory", id: 100,
                              extra: "\"requestParameters\":{\"userName\":\"backdoor\"}"))
        records.append(record("2026-03-10T14:05:00Z", "cloudtrail.amazonaws.com", "StopLogging", user: "mallory", id: 101,
                              extra: "\"requestParameters\":{\"name\":\"management\"}"))
        records.append(record("2026-03-10T14:06:00Z", "s3.amazonaws.com", "GetObject", user: "mallory", error: "AccessDenied", id: 102))
        return records
    }

    /// A store of the records, with built-in detection run over it.
    static func detected(_ records: [String]) -> (store: EventStore, findings: [Finding]) {
        let store = EventStore.build(events(records))
        let engine = DetectionEngine(store: store, rules: rules)
        engine.processAll()
        prepare(store)
        return (store, engine.findings)
    }

    // MARK: - States

    static func environment(_ data: DataSource, keyMap: KeyMap = .defaults) -> Environment {
        Environment(data: data, keyMap: keyMap, now: now, userName: "analyst",
                    themeNames: ["default", "light", "monochrome"], localOffset: { _ in 2 * 3600 })
    }

    /// A state after the first resize, as the runtime starts it.
    static func state(_ env: Environment, width: Int = 120, height: Int = 40, theme: Theme = .default,
                      caseName: String = "sample: leaked-access-key") -> AppState {
        var state = AppState(size: Size(width: width, height: height), caseName: caseName, theme: theme)
        _ = Reducer.reduce(&state, .resize(state.size), env)
        return state
    }

    /// Sends keys through the key map and reducer, as the runtime would; returns every effect asked for.
    @discardableResult
    static func press(_ keys: [Key], _ state: inout AppState, _ env: Environment) -> [Effect] {
        var effects: [Effect] = []
        for key in keys {
            guard let action = Reducer.action(for: key, state: state, keyMap: env.keyMap) else { continue }
            effects += Reducer.reduce(&state, action, env)
        }
        return effects
    }

    static func type(_ text: String) -> [Key] { text.map(Key.char) }

    static func render(_ state: AppState, _ env: Environment) -> ScreenBuffer {
        ConsoleView.render(state, env)
    }
}

extension Array where Element == Effect {
    /// The effects other than log lines.
    var withoutLogs: [Effect] { filter { if case .log = $0 { false } else { true } } }
}
