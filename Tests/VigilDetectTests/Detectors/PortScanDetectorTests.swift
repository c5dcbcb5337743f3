import Testing
import VigilCore
import VigilStore
import VigilSynth
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

    /// Half an hour of traffic, four flows a second: clients on a few service ports, probers that reach up to 40
    /// ports on a few hosts (some crossing 25 on one host within five minutes, some not), and scanners sweeping
    /// thousands of ports across hosts.
    func mixedTraffic(seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        var lines: [String] = []
        for k in 0..<7200 {
            let at = t0 + Int64(k / 4)
            let (source, destination, port): (String, String, Int)
            switch rng.int(in: 0..<10) {
            case 0..<6:
                (source, destination, port) = ("10.1.0.\(rng.int(in: 1...40))", "10.2.0.\(rng.int(in: 1...60))", rng.pick([443, 80, 22, 5432, 6379]))
            case 6..<9:
                (source, destination, port) = ("10.3.0.\(rng.int(in: 1...4))", "10.4.0.\(rng.int(in: 1...3))", rng.int(in: 1...40))
            default:
                (source, destination, port) = ("198.51.100.\(rng.int(in: 1...3))", "10.5.0.\(rng.int(in: 1...8))", rng.int(in: 1...2000))
            }
            lines.append(F.flow(source, destination, 40_000 + rng.int(in: 0..<20_000), port, at: at,
                                action: rng.int(in: 0..<3) == 0 ? "ACCEPT" : "REJECT"))
        }
        return lines
    }

    @Test("holding a source's flows until it reaches the per-destination bar finds what counting every pair does")
    func heldHistoriesMatchCountingEveryPair() {
        for seed: UInt64 in 1...3 {
            let store = F.store(mixedTraffic(seed: seed))
            // With no room for a history, every source is counted per pair from its first flow.
            let everyPair = F.signature(F.findings([PortScanDetector(maximumHistory: 0)], store))
            #expect(everyPair.contains { $0.contains("distinct ports on 10.4.0.") }, "seed \(seed): the traffic needs per-destination scans")
            #expect(everyPair.contains { $0.contains("across destinations") }, "seed \(seed)")
            #expect(F.signature(F.findings([PortScanDetector()], store)) == everyPair, "seed \(seed)")
            // Histories that fill up hand their sources over to per-pair counting early; nothing changes.
            #expect(F.signature(F.findings([PortScanDetector(maximumHistory: 6)], store)) == everyPair, "seed \(seed)")
            #expect(F.signature(F.findings([PortScanDetector(maximumHistoryTotal: 40)], store)) == everyPair, "seed \(seed)")
        }
    }

    @Test("a bar above the 24 ports a history names inline still finds what counting every pair does")
    func barAboveInlinePorts() {
        let store = F.store(mixedTraffic(seed: 7))
        let everyPair = F.signature(F.findings([PortScanDetector(portsPerDestination: 30, portsOverall: 60, maximumHistory: 0)], store))
        #expect(everyPair.contains { $0.contains("30 distinct ports on 10.4.0.") })
        #expect(F.signature(F.findings([PortScanDetector(portsPerDestination: 30, portsOverall: 60)], store)) == everyPair)
    }

    @Test("mixed traffic: a run taken source by source reports what flow-by-flow counting does, in pieces too")
    func groupedRunMatchesEachFlow() {
        let store = F.store(mixedTraffic(seed: 11))
        F.expectBatchMatchesEach({ PortScanDetector() }, store)
        F.expectSameInPieces({ [PortScanDetector()] }, store)
    }
}
