import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct BruteForceDetectorTests {
    typealias F = DetectorFixtures
    let t0 = DetectorFixtures.day + 57_000  // 15:50

    static func both() -> [any Detector] { [BruteForceDetector(stage: .attempts), BruteForceDetector(stage: .success)] }

    /// Short SSH connections (a failed password exchange each) from `source`, one every `every` seconds.
    func attempts(_ count: Int, from source: String = "198.51.100.23", to destination: String = "10.20.0.10",
                  port: Int = 22, every: Int64 = 20, start: Int64? = nil) -> [String] {
        (0..<count).map { k in
            F.flow(source, destination, 40_000 + k * 66, port, at: (start ?? t0) + Int64(k) * every, packets: 15 + k % 10, bytes: 1500 + k * 100)
        }
    }

    func session(at seconds: Int64, from source: String = "198.51.100.23", clientPort: Int = 43_026, port: Int = 22) -> String {
        F.flow(source, "10.20.0.10", clientPort, port, at: seconds, packets: 53, bytes: 51_993)
    }

    @Test("a burst of short SSH flows is an attempt; a longer session after it a likely success")
    func flowBurstThenSession() {
        let lines = attempts(25) + [session(at: t0 + 600), session(at: t0 + 660)]
        let findings = F.findings(Self.both(), F.store(lines))
        let attempt = findings.first { $0.ruleID == "vigil.network.brute-force" }
        let success = findings.first { $0.ruleID == "vigil.network.brute-force-success" }
        #expect(findings.count == 2)
        #expect(attempt?.severity == .medium)
        #expect(attempt?.primaryEntity == Entity(.sourceIP, "198.51.100.23"))
        #expect(attempt?.count == 20)
        #expect(success?.severity == .high)
        #expect(success?.primaryEntity == Entity(.sourceIP, "198.51.100.23"))
        #expect(success?.count == 1)  // one connection, however many flow records it spans
        #expect(success?.summary?.contains("10.20.0.10:22") == true)
    }

    @Test("RDP rejects count as attempts")
    func rdpRejects() {
        let lines = (0..<20).map { k in
            F.flow("203.0.113.66", "10.20.0.30", 50_000 + k, 3389, at: t0 + Int64(k) * 10, packets: 1, bytes: 52, action: "REJECT")
        }
        let findings = F.findings(Self.both(), F.store(lines))
        #expect(findings.map(\.ruleID) == ["vigil.network.brute-force"])
    }

    @Test("few attempts, slow attempts, a sweep across hosts and a session alone are not brute force")
    func quietFlows() {
        var lines = attempts(15) + [session(at: t0 + 400)]
        lines += attempts(25, from: "198.51.100.24", every: 60)                       // 11 per 10 minutes at most
        lines += (1...40).map { F.flow("10.20.0.10", "10.20.1.\($0)", 50_000 + $0, 22, at: t0 + Int64($0), packets: 3, bytes: 180) }
        lines.append(session(at: t0 + 100, from: "192.0.2.41", clientPort: 50_802))
        #expect(F.findings(Self.both(), F.store(lines)).isEmpty)
    }

    /// Failed passwords for several users from the attacker, 30 seconds apart.
    func failedLogins(_ count: Int, from source: String = "198.51.100.23", start: Int64? = nil) -> [String] {
        let users = ["root", "admin", "ubuntu", "deploy", "test"]
        return (0..<count).map { k in
            let user = users[k % users.count]
            let message = k % 2 == 0 ? "Failed password for \(user) from \(source) port \(41_000 + k) ssh2"
                                      : "Failed password for invalid user \(user)x from \(source) port \(41_000 + k) ssh2"
            return F.sshd(message, at: (start ?? t0) + Int64(k) * 30, pid: 2100 + k)
        }
    }

    @Test("sshd failures followed by an accepted login from the same address are a likely success, with the login as evidence")
    func sshdFailuresThenLogin() throws {
        let lines = failedLogins(12) + [F.sshd("Accepted password for deploy from 198.51.100.23 port 43026 ssh2", at: t0 + 1364)]
        let store = F.store(lines)
        let findings = F.findings(Self.both(), store)
        let success = try #require(findings.first { $0.ruleID == "vigil.network.brute-force-success" })
        #expect(success.severity == .high)
        #expect(success.primaryEntity == Entity(.sourceIP, "198.51.100.23"))
        #expect(success.summary?.contains("deploy") == true)
        #expect(success.summary?.contains("after 12 failures") == true)
        #expect(success.evidence.contains { store.value(.action, of: $0) == "AcceptedPassword" })
        #expect(success.entities.contains(Entity(.user, "deploy")))
        let attempt = findings.first { $0.ruleID == "vigil.network.brute-force" }
        #expect(attempt?.count == 10)
    }

    @Test("a mistyped password, an old burst, and routine 'Failed none' lines are not a break-in")
    func quietLogins() {
        var lines = failedLogins(3, from: "192.0.2.41") + [F.sshd("Accepted password for priya from 192.0.2.41 port 50412 ssh2", at: t0 + 200)]
        lines += failedLogins(12, from: "198.51.100.61") + [F.sshd("Accepted password for deploy from 198.51.100.61 port 50000 ssh2", at: t0 + 9000)]
        lines += (0..<12).map { F.sshd("Failed none for invalid user x\($0) from 198.51.100.62 port \(30_000 + $0) ssh2", at: t0 + Int64($0)) }
        lines.append(F.sshd("Accepted publickey for ops from 198.51.100.62 port 30100 ssh2", at: t0 + 60))
        let findings = F.findings(Self.both(), F.store(lines))
        // The old burst from .61 is still a burst of attempts, but not followed by a login within the hour.
        #expect(findings.map(\.ruleID) == ["vigil.network.brute-force"])
        #expect(findings.first?.primaryEntity == Entity(.sourceIP, "198.51.100.61"))
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        let flows = attempts(45) + [session(at: t0 + 950), session(at: t0 + 1010, clientPort: 43_100)]
        let logins = failedLogins(25) + [F.sshd("Accepted password for deploy from 198.51.100.23 port 43026 ssh2", at: t0 + 800)]
        let store = F.store(flows, logins)
        F.expectSameInPieces(Self.both, store)
        F.expectBatchMatchesEach({ BruteForceDetector(stage: .attempts) }, store)
        F.expectBatchMatchesEach({ BruteForceDetector(stage: .success) }, store)
    }
}
