import Foundation
import Testing
import VigilCore
import VigilIngest
import VigilStore
@testable import VigilDetect

/// All standard detectors over the bundled `leaked-access-key` scenario (see its `scenario.md`).
@Suite(.serialized) struct SampleDataDetectorTests {
    static var sampleFolder: String {
        // Tests/VigilDetectTests/Detectors/this-file → the repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sample-data/leaked-access-key").path
    }

    static let store: EventStore = {
        let loaded = Ingestor.load(paths: [sampleFolder], options: IngestOptions(year: 2026))
        precondition(loaded.errorCount == 0, "the sample data should load cleanly")
        return loaded.store
    }()

    static func run(_ detectors: [any Detector]) -> [Finding] {
        let engine = DetectionEngine(store: store, rules: RuleSet(), detectors: detectors, guardDutyFindings: false)
        engine.processAll()
        return engine.findings
    }

    static func key(_ f: Finding) -> String { "\(f.ruleID) \(f.primaryEntity?.description ?? "-")" }

    @Test("the scenario's intrusions are detected, and nothing else")
    func intendedDetections() throws {
        let findings = Self.run(StandardDetectors.make(intel: ThreatIntel()))
        let byKey = Dictionary(uniqueKeysWithValues: findings.map { (Self.key($0), $0) })

        // The SSH intrusion: 198.51.100.23 brute-forces the bastion, then "Accepted password for deploy" at 16:12:44.
        let breakIn = try #require(byKey["vigil.network.brute-force-success ip:198.51.100.23"])
        #expect(breakIn.severity == .high)
        let login = breakIn.evidence.first { Self.store.kind(of: $0) == .auth && Self.store.value(.action, of: $0) == "AcceptedPassword" }
        let loginID = try #require(login)
        #expect(Self.store.value(.user, of: loginID) == "deploy")
        #expect(Self.store.time(of: loginID) == Timestamp(seconds: 1_773_159_164))  // 2026-03-10T16:12:44Z
        #expect(breakIn.entities.contains(Entity(.user, "deploy")))
        #expect(byKey["vigil.network.brute-force ip:198.51.100.23"]?.severity == .medium)

        // The miner: i-0a7f3c9e21b4d5f68 keeps stratum connections to 198.51.100.142, resolved from pool.supportxmr.example.
        let pool = try #require(byKey["vigil.network.mining-pool instance:i-0a7f3c9e21b4d5f68"])
        #expect(pool.severity == .high)
        #expect(pool.summary?.contains("198.51.100.142:3333") == true)
        #expect(pool.summary?.contains("pool.supportxmr.example resolved to this address") == true)
        #expect(pool.count >= 50)
        let lookups = try #require(byKey["vigil.dns.mining-pool-domain instance:i-0a7f3c9e21b4d5f68"])
        #expect(lookups.severity == .high)
        #expect(lookups.count == 55)  // 54 lookups of pool.supportxmr.example, 1 of xmr-asia1.nanopool.example

        // Also true: the failed second wave from 198.51.100.61 at 16:30 (GuardDuty reported both waves).
        let intended: Set<String> = [
            "vigil.network.brute-force-success ip:198.51.100.23", "vigil.network.brute-force ip:198.51.100.23",
            "vigil.network.brute-force ip:198.51.100.61", "vigil.network.mining-pool instance:i-0a7f3c9e21b4d5f68",
            "vigil.dns.mining-pool-domain instance:i-0a7f3c9e21b4d5f68",
        ]
        // Bound on false positives: none. The day's background — office and VPN users, CI runners, ECS tasks calling
        // through a NAT, instances calling through endpoints, AWS Config sweeps, internet port probes of under ten
        // ports per source, one mistyped password, AWS and GitHub lookups — is all under every threshold, and the
        // 24-hour learning period of the new-terms detectors covers the whole day of data.
        let unexpected = findings.filter { !intended.contains(Self.key($0)) }.map { "\(Self.key($0)): \($0.summary ?? "")" }
        #expect(unexpected.isEmpty, "\(unexpected)")
        #expect(Set(byKey.keys) == intended)
    }

    @Test("with a six-hour learning period the new-terms detectors catch the attacker's return")
    func shortLearning() throws {
        let findings = Self.run(FirstSeenDetector.Dimension.allCases.map { FirstSeenDetector(dimension: $0, learningPeriod: 6 * 3_600_000) })
        // svc-backup-sync, the attacker's user, used from 203.0.113.201 at 03:10 on 11 March.
        let returned = try #require(findings.first { Self.key($0) == "vigil.baseline.new-source-ip principal:arn:aws:iam::111122223333:user/svc-backup-sync" })
        #expect(returned.summary?.contains("203.0.113.201") == true)
        // Bound: a short baseline on one day of data leaves little history, so a few late-day novelties of real users
        // are expected (priya's first GuardDuty calls in the evening); no more than three findings in all.
        #expect(findings.count <= 3, "\(findings.map(Self.key))")
    }
}
