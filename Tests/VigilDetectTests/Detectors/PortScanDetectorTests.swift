import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct PortScanDetectorTests {
    typealias F = DetectorFixtures
    let t0 = DetectorFixtures.day + 36_000

    /// `count` distinct ports on `destination`, one every `every` seconds, from `source`.
    func scan(_ source: String, _ destination: String, ports: [Int], every: Int64 = 4, start: Int64? = nil,
              action: (Int) -> String = { $0 % 3 == 0 ? "ACCEPT" : "REJECT" }) -> [String] {
        ports.enumerated().map { k, port in
            F.flow(source, destination, 40_000 + k, port, at: (start ?? t0) + Int64(k) * every, packets: 1, bytes: 44, action: action(k))
        }
    }

    @Test("25 distinct ports on one destination within five minutes is a scan")
    func perDestination() {
        let findings = F.findings([PortScanDetector()], F.store(scan("198.51.100.77", "10.20.0.10", ports: Array(1...30))))
        #expect(findings.count == 1)
        let finding = findings.first
        #expect(finding?.ruleID == "vigil.network.port-scan")
        #expect(finding?.severity == .medium)
        #expect(finding?.primaryEntity == Entity(.sourceIP, "198.51.100.77"))
        #expect(finding?.evidence.count == 25)
        #expect(finding?.summary?.contains("25 distinct ports on 10.20.0.10") == true)
        #expect(finding?.summary?.contains("accepted") == true)
    }

    @Test("50 distinct ports across destinations within five minutes is a scan")
    func acrossDestinations() {
        var lines: [String] = []
        for host in 1...5 {
            lines += scan("10.20.0.10", "10.20.1.\(host)", ports: Array((host * 100 + 1)...(host * 100 + 10)), every: 1,
                          start: t0 + Int64(host) * 10)
        }
        let findings = F.findings([PortScanDetector()], F.store(lines))
        #expect(findings.count == 1)
        #expect(findings.first?.primaryEntity == Entity(.sourceIP, "10.20.0.10"))
        #expect(findings.first?.summary?.contains("internal address 10.20.0.10 reached 50 distinct ports across destinations") == true)
    }

    @Test("few ports, slow probing, and a server's replies to many clients are not scans")
    func quietCases() {
        var lines = scan("198.51.100.77", "10.20.0.10", ports: Array(1...24))                      // below the bar
        lines += scan("198.51.100.78", "10.20.0.10", ports: Array(1...30), every: 15)               // 20 per 5 min at most
        for k in 0..<60 {                                                                            // replies: 443 → ephemeral
            lines.append(F.flow("10.20.0.10", "198.51.100.\(k % 5 + 100)", 443, 50_000 + k, at: t0 + Int64(k)))
        }
        lines.append(F.flow("10.20.0.10", "10.20.0.11", 0, 0, at: t0))                               // no ports (ICMP-like)
        #expect(F.findings([PortScanDetector()], F.store(lines)).isEmpty)
    }

    @Test("a run counted on two cores reports what flow-by-flow counting does, pair before source at one flow")
    func runMatchesEachFlow() {
        // At the 50th port the pair's second window of 25 and the source's window of 50 fill on the same flow.
        var lines = scan("198.51.100.77", "10.20.0.10", ports: Array(1...60), every: 2)
        lines += scan("198.51.100.79", "10.20.0.12", ports: Array(1000...1030), every: 3)
        lines += scan("198.51.100.80", "10.20.0.13", ports: Array(2000...2010), every: 1)
        let store = F.store(lines)
        F.expectBatchMatchesEach({ PortScanDetector() }, store)
        let findings = F.findings([PortScanDetector()], store)
        #expect(findings.first { $0.primaryEntity == Entity(.sourceIP, "198.51.100.77") }?.count == 3)
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        var lines = scan("198.51.100.77", "10.20.0.10", ports: Array(1...60), every: 2)
        lines += scan("198.51.100.79", "10.20.0.12", ports: Array(1000...1030), every: 3)
        F.expectSameInPieces({ [PortScanDetector()] }, F.store(lines))
    }
}
