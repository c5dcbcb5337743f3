import Foundation
import Testing
import VigilCore

/// `vigil scan` and `vigil rules`, run as a user would.
@Suite("vigil scan and vigil rules", .serialized)
struct ScanCommandTests {
    let cli = CommandLineEndToEndTests()

    @Test("scan on the sample data finds the incident and exits 1")
    func sample() throws {
        let run = try cli.vigil(["scan", "sample-data", "--format", "jsonl"])
        #expect(run.status == 1)
        let findings = try run.stdout.split(separator: "\n").map { try JSONValue.parse(String($0)) }
        let rules = Set(findings.compactMap { $0["rule_id"]?.string })
        // The scenario's attack, by the rules' names: StopLogging, the backdoor user and the shared snapshots.
        let titles = findings.compactMap { $0["title"]?.string }
        #expect(titles.contains("CloudTrail trail stopped or deleted"))
        #expect(titles.contains { $0.contains("snapshot") })
        #expect(rules.contains { $0.hasPrefix("guardduty:") })
        // Evidence is given as the records' own ids: CloudTrail eventIDs are UUIDs.
        let stop = try #require(findings.first { $0["title"]?.string == "CloudTrail trail stopped or deleted" })
        let evidence = try #require(stop["evidence"]?.array?.first?.string)
        #expect(evidence.count == 36 && evidence.filter { $0 == "-" }.count == 4)
        #expect(stop["entity"]?["value"]?.string == "arn:aws:iam::111122223333:user/svc-backup-sync")
        // Sorted by severity, then time.
        let order = ["critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0]
        let severities = findings.compactMap { $0["severity"]?.string }.map { order[$0] ?? -1 }
        #expect(severities == severities.sorted(by: >))
    }

    @Test("--min-severity filters and the exit code follows")
    func threshold() throws {
        let run = try cli.vigil(["scan", "sample-data", "--min-severity", "critical", "--format", "jsonl"])
        #expect(run.status == 1)
        #expect(run.stdout.split(separator: "\n").allSatisfy { $0.contains("\"severity\":\"critical\"") })
        let quiet = try cli.vigil(["scan", "sample-data/leaked-access-key/AWSLogs", "--no-builtin-rules", "--no-detectors", "--format", "jsonl"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty)
        let bad = try cli.vigil(["scan", "sample-data", "--min-severity", "urgent"])
        #expect(bad.status == 2)
    }

    @Test("--profile-rules prints each rule's and each detector part's time to standard error, and the same findings")
    func profile() throws {
        let plain = try cli.vigil(["scan", "sample-data", "--format", "jsonl"])
        let run = try cli.vigil(["scan", "sample-data", "--format", "jsonl", "--profile-rules"])
        #expect(run.status == 1)
        #expect(Set(run.stdout.split(separator: "\n")) == Set(plain.stdout.split(separator: "\n")))
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("RULE") && $0.contains("SECONDS") && $0.contains("MATCHES") })
        #expect(lines.contains { $0.hasPrefix("DETECTOR") && $0.contains("PART") })
        // The port-scan detector counts in two halves, each timed on its own.
        #expect(lines.contains { $0.hasPrefix("vigil.network.port-scan") && $0.contains("1 of 2") })
        #expect(lines.contains { $0.hasPrefix("vigil.network.port-scan") && $0.contains("2 of 2") })
        #expect(lines.contains { $0.hasPrefix("vigil.baseline.new-api") })
    }

    @Test("SARIF output is valid JSON with a rule per result")
    func sarif() throws {
        let run = try cli.vigil(["scan", "sample-data", "--format", "sarif"])
        let log = try JSONValue.parse(run.stdout)
        #expect(log["version"]?.string == "2.1.0")
        let runObject = try #require(log["runs"]?[0])
        let ruleIDs = Set(runObject["tool"]?["driver"]?["rules"]?.array?.compactMap { $0["id"]?.string } ?? [])
        let results = runObject["results"]?.array ?? []
        #expect(!results.isEmpty)
        for r in results { #expect(ruleIDs.contains(r["ruleId"]?.string ?? "?")) }
    }

    @Test("hostile rule and log text is escaped in markdown and sanitised in tables")
    func hostile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rule = """
        title: "Evil | title \\u001b]0;pwned\\u0007 [link](x)"
        id: evil-title
        logsource: {product: aws, service: cloudtrail}
        detection: {sel: {eventName: ListUsers}, condition: sel}
        level: high
        """
        try rule.write(to: dir.appendingPathComponent("evil.yml"), atomically: true, encoding: .utf8)
        let log = #"{"eventTime":"2026-03-02T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a\u001b[2Jb\u202e"},"eventID":"x1"}"#
        try log.write(to: dir.appendingPathComponent("log.json"), atomically: true, encoding: .utf8)
        for format in ["table", "markdown"] {
            let run = try cli.vigil(["scan", dir.appendingPathComponent("log.json").path, "--rules", dir.appendingPathComponent("evil.yml").path,
                                     "--no-builtin-rules", "--no-detectors", "--format", format])
            #expect(run.status == 1)
            #expect(!run.stdout.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x202e }, "\(format)")
            if format == "markdown" { #expect(run.stdout.contains("Evil \\| title")) }
        }
    }

    @Test("rules list, show and test")
    func rules() throws {
        let list = try cli.vigil(["rules", "list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("vigil-cloudtrail-logging-stopped"))
        #expect(list.stderr.contains("(0 with errors)"))
        let show = try cli.vigil(["rules", "show", "vigil-cloudtrail-logging-stopped"])
        #expect(show.stdout.contains("techniques:  T1562.008"))
        #expect(show.stdout.contains("\nWhat it means:"))
        let missing = try cli.vigil(["rules", "show", "no-such-rule"])
        #expect(missing.status == 2)
        let test = try cli.vigil(["rules", "test", "vigil-cloudtrail-logging-stopped", "--verbose"])
        #expect(test.status == 0)
        #expect(test.stdout.contains("ok    vigil-cloudtrail-logging-stopped"))
    }

    @Test("rules test fails (exit 1) when a rule's own test fails, naming it")
    func failingRuleTest() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rule = """
        title: wrong test
        id: wrong-test
        logsource: {product: aws, service: cloudtrail}
        detection: {sel: {eventName: StopLogging}, condition: sel}
        vigil:
            tests:
                - {name: should fire, match: true, event: {eventTime: "2026-01-01T00:00:00Z", eventSource: cloudtrail.amazonaws.com, eventName: StartLogging}}
        """
        try rule.write(to: dir.appendingPathComponent("r.yml"), atomically: true, encoding: .utf8)
        let run = try cli.vigil(["rules", "test", "--rules", dir.path, "--no-builtin-rules"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAIL  wrong-test"))
        #expect(run.stdout.contains("should fire: expected a match"))
    }
}
