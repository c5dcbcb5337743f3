import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct MiningPoolDetectorTests {
    typealias F = DetectorFixtures
    let t0 = DetectorFixtures.day + 54_718  // 15:11:58

    @Test("accepted egress to stratum ports is reported per instance, with the pool's DNS name when it was resolved")
    func reportsPoolTraffic() throws {
        let dns = [F.dns("pool.supportxmr.example", at: t0, answers: ["198.51.100.142"])]
        let flows = [
            F.flowV5Header,
            F.flowV5("172.31.18.44", "198.51.100.142", 45_812, 3333, at: t0 + 60),
            F.flowV5("198.51.100.142", "172.31.18.44", 3333, 45_812, at: t0 + 60, direction: "ingress"),  // the reply
            F.flowV5("172.31.18.44", "198.51.100.142", 45_990, 14_444, at: t0 + 600),
            F.flowV5("172.31.18.44", "198.51.100.150", 38_000, 45_560, at: t0 + 700),  // high pool port from a lower one
        ]
        let findings = F.findings([MiningPoolDetector()], F.store(dns, flows))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.ruleID == "vigil.network.mining-pool")
        #expect(finding.severity == .high)
        #expect(finding.primaryEntity == Entity(.instance, "i-0a7f3c9e21b4d5f68"))
        #expect(finding.count == 3)
        #expect(finding.summary?.contains("198.51.100.142:3333") == true)
        #expect(finding.summary?.contains("pool.supportxmr.example resolved to this address at 15:11:58") == true)
    }

    @Test("port 8888 counts only when a pool name resolved to the address")
    func corroboratedPort() {
        let flows = [
            F.flowV5Header,
            F.flowV5("172.31.18.44", "198.51.100.160", 45_000, 8888, at: t0 + 60),
            F.flowV5("172.31.18.44", "198.51.100.161", 45_002, 8888, at: t0 + 60),
        ]
        let dns = [F.dns("xmr-eu1.nanopool.example", at: t0, answers: ["198.51.100.161"])]
        let findings = F.findings([MiningPoolDetector()], F.store(dns, flows))
        #expect(findings.count == 1)
        #expect(findings.first?.count == 1)
        #expect(findings.first?.summary?.contains("198.51.100.161:8888") == true)
    }

    @Test("rejected, internal, reply and ordinary flows are not mining")
    func quietCases() {
        let flows = [
            F.flow("10.20.1.40", "198.51.100.142", 45_812, 3333, at: t0, action: "REJECT"),
            F.flow("10.20.1.40", "10.20.2.30", 45_812, 3333, at: t0),                  // internal destination
            F.flow("10.20.1.40", "203.0.113.9", 443, 5555, at: t0),                    // our server answering a client's port 5555
            F.flow("10.20.1.40", "203.0.113.9", 8080, 9999, at: t0),                   // likewise, from an unprivileged server port
            F.flow("203.0.113.9", "10.20.1.40", 52_000, 3333, at: t0),                 // an inbound connection to us
            F.flow("10.20.1.40", "198.51.100.160", 45_000, 8888, at: t0),              // 8888 with no pool lookup
            F.flow("10.20.1.40", "198.51.100.50", 45_000, 443, at: t0),
        ]
        #expect(F.findings([MiningPoolDetector()], F.store(flows)).isEmpty)
    }

    @Test("without an instance id the finding is on the source address")
    func addressEntity() {
        let findings = F.findings([MiningPoolDetector()], F.store([F.flow("10.20.1.40", "198.51.100.142", 45_812, 3333, at: t0)]))
        #expect(findings.map(\.primaryEntity) == [Entity(.sourceIP, "10.20.1.40")])
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        var flows = [F.flowV5Header]
        for k in 0..<10 {
            flows.append(F.flowV5("172.31.18.44", k % 2 == 0 ? "198.51.100.142" : "198.51.100.143", 45_000 + k, k % 3 == 0 ? 4444 : 3333,
                                  at: t0 - 300 + Int64(k) * 120))
        }
        let dns = [F.dns("pool.supportxmr.example", at: t0, answers: ["198.51.100.142"]),
                   F.dns("xmr-asia1.nanopool.example", at: t0 + 400, answers: ["198.51.100.143"])]
        let store = F.store(dns, flows)
        F.expectSameInPieces({ [MiningPoolDetector()] }, store)
        F.expectBatchMatchesEach({ MiningPoolDetector() }, store)
    }
}
