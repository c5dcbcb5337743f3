import Foundation
import Testing
import VigilCore
import VigilIngest
@testable import VigilDetect

/// The bundled incident (sample-data/leaked-access-key, scenario.md) yields the findings its story intends —
/// with the whole built-in pack, the detectors and GuardDuty — and little else.
@Suite("Sample scenario")
struct SampleScenarioTests {
    static let findings: [Finding] = {
        let root = DetectFixtures.repositoryRoot.appendingPathComponent("sample-data/leaked-access-key").path
        let loaded = Ingestor.load(paths: [root])
        let engine = DetectionEngine(store: loaded.store, rules: RuleSet.load(includeBuiltIn: true),
                                     detectors: StandardDetectors.make(intel: ThreatIntel()))
        engine.processAll()
        return engine.findings
    }()

    static func names(_ findings: [Finding]) -> Set<String> { Set(findings.map { $0.ruleName ?? $0.ruleID }) }

    @Test("each step of the attack is found", arguments: [
        "vigil-cloudtrail-logging-stopped",          // StopLogging at 15:20:05
        "vigil-iam-new-user-with-admin-policy",      // svc-backup-sync created and made admin
        "vigil-iam-access-key-created-for-other-user",
        "vigil-iam-login-profile-created-for-other-user",
        "vigil-ebs-snapshot-shared",                 // snapshots shared with 444455556666
        "vigil-sts-secret-scanner-key-check",        // TruffleHog's GetCallerIdentity
        "vigil-access-denied-enumeration",           // the leaked key's discovery burst
        "vigil.network.mining-pool",                 // i-0a7f3c9e21b4d5f68 → 198.51.100.142:3333
        "vigil.dns.mining-pool-domain",              // pool.supportxmr.example
        "vigil.network.brute-force-success",         // 198.51.100.23 then Accepted password for deploy
    ])
    func attackFound(name: String) {
        #expect(Self.names(Self.findings).contains(name), "missing \(name); found \(Self.names(Self.findings).sorted())")
    }

    @Test("the findings are about the attacker's principals, addresses and the hosts they touched")
    func fewOthers() {
        let attack = ["jordan.reyes", "svc-backup-sync", "AKIAQ3EXAMPLE7LEAKXZ", "AKIAQ3EXAMPLEBKDR7YV", "203.0.113.",
                      "198.51.100.23", "198.51.100.61", "198.51.100.142", "i-0a7f3c9e21b4d5f68", "i-0b5a1c2d3e4f50607",
                      "sg-0c1d2e3f4a5b6c7d8",
                      // The scenario's decoy: a legitimate share of a snapshot to the disaster-recovery account.
                      "AWSReservedSSO_AdministratorAccess"]
        let unrelated = Self.findings.filter { f in
            let entity = f.primaryEntity?.value ?? ""
            return !attack.contains { entity.contains($0) }
        }
        #expect(unrelated.map { "\($0.ruleName ?? $0.ruleID) \($0.primaryEntity?.description ?? "-")" } == [])
        #expect(Self.findings.count <= 35)
    }

    @Test("every finding has evidence, a severity and first/last seen in order")
    func wellFormed() {
        for f in Self.findings {
            #expect(!f.evidence.isEmpty, "\(f.title)")
            #expect(f.firstSeen <= f.lastSeen, "\(f.title)")
            #expect(f.count >= 1)
        }
    }
}
