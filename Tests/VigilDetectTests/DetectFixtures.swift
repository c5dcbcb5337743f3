import Foundation
import Testing
import VigilCore
import VigilIngest
import VigilStore
@testable import VigilDetect

/// Helpers shared by the detection tests.
enum DetectFixtures {
    /// A store built from log text (JSON lines or text lines), read as Vigil reads files.
    /// By default the store is filled as a load fills it (CloudTrail and flows as rows built from the bytes);
    /// `asEvents` appends every record as an event, as live tailing and the console do.
    static func store(_ lines: [String], year: Int = 2026, asEvents: Bool = false) -> EventStore {
        var batch = IngestBatch()
        if !asEvents { batch.rows = EventRows() }
        let text = Array(lines.joined(separator: "\n").utf8)
        text.withUnsafeBytes { b in
            _ = Ingestor.read(b, source: "test", options: IngestOptions(year: year),
                              referenceTime: Timestamp(milliseconds: 1_767_225_600_000), into: &batch)
        }
        precondition(batch.diagnostics.allSatisfy { $0.severity != .error }, "\(batch.diagnostics)")
        return EventStore.build(batch.events, rows: batch.rows)
    }

    /// Rules parsed and compiled from YAML text. A document that does not parse is recorded as a test failure
    /// (compile errors are left in the set's `errors` for the caller to check).
    static func rules(_ yaml: String, file: String = "test.yml", placeholders: Placeholders = Placeholders(),
                      sourceLocation: SourceLocation = #_sourceLocation) -> RuleSet {
        let (parsed, errors) = SigmaRuleParser.parse(text: yaml, file: file, builtIn: false)
        for error in errors { Issue.record("rule text does not parse: \(error)", sourceLocation: sourceLocation) }
        return RuleSet(rules: parsed, placeholders: placeholders)
    }

    /// Findings of `yaml`'s rules over `lines`.
    static func findings(_ yaml: String, _ lines: [String], intel: ThreatIntel = ThreatIntel(), asEvents: Bool = false) -> [Finding] {
        let set = rules(yaml)
        precondition(set.errors.isEmpty, "\(set.errors)")
        let engine = DetectionEngine(store: store(lines, asEvents: asEvents), rules: set, intel: intel, guardDutyFindings: false)
        engine.processAll()
        return engine.findings
    }

    /// A CloudTrail record as one JSON line.
    static func cloudTrail(_ name: String, source: String = "iam.amazonaws.com", time: String = "2026-03-02T10:00:00Z",
                           user: String = "alice", ip: String = "203.0.113.10", agent: String = "aws-cli/2.15.0",
                           extra: String = "", id: String? = nil) -> String {
        let eventID = id ?? UUID().uuidString.lowercased()
        return """
        {"eventVersion":"1.08","eventTime":"\(time)","eventSource":"\(source)","eventName":"\(name)","awsRegion":"us-east-1",\
        "sourceIPAddress":"\(ip)","userAgent":"\(agent)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/\(user)",\
        "accountId":"111122223333","accessKeyId":"AKIAEXAMPLE\(user.uppercased())","userName":"\(user)"},"eventID":"\(eventID)"\(extra.isEmpty ? "" : "," + extra)}
        """
    }

    /// The repository's root (for files outside the test bundle).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The SigmaHQ AWS rules in ../shared, when present.
    static var sharedSigmaFolder: String? {
        let path = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/sigma-aws").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
