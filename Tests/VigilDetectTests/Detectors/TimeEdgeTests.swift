import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

/// Flow times come from the log as numbers: the readers accept up to the end of the year 9999, and every detector
/// must do its window arithmetic there (and at the epoch) without trapping.
@Suite struct TimeEdgeTests {
    typealias F = DetectorFixtures

    @Test("flows at the epoch and at the last second of 9999 go through every standard detector")
    func edgesOfTime() {
        for start in [Int64(0), Timestamp.latestSeconds - 120] {
            var lines: [String] = []
            for k in 0..<60 {
                // A port scan, SSH attempts and a large upload, so every flow detector keeps state.
                lines.append(F.flow("198.51.100.7", "10.0.0.9", 40_000 + k, k + 1, at: start + Int64(k), action: "REJECT"))
                lines.append(F.flow("198.51.100.8", "10.0.0.9", 40_000 + k, 22, at: start + Int64(k), packets: 12, bytes: 2_000, action: "REJECT"))
                lines.append(F.flow("10.0.0.9", "203.0.113.50", 40_000 + k, 443, at: start + Int64(k), packets: 90_000, bytes: 200_000_000))
            }
            let store = F.store(lines)
            #expect(store.count == 180)
            let findings = F.findings(StandardDetectors.make(intel: ThreatIntel()), store)
            let rules = Set(findings.map(\.ruleID))
            #expect(rules.contains("vigil.network.port-scan"), "start \(start)")
            #expect(rules.contains("vigil.network.brute-force"), "start \(start)")
            #expect(findings.allSatisfy { $0.firstSeen.seconds >= start && $0.lastSeen.seconds <= Timestamp.latestSeconds })
        }
    }
}
