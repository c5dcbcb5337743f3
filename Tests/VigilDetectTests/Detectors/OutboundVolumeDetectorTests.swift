import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct OutboundVolumeDetectorTests {
    typealias F = DetectorFixtures
    let t0 = DetectorFixtures.day  // 00:00

    /// `flows` egress flows of `bytesEach` from 10.20.1.40 to the internet, spread over `hour`.
    func hour(_ hour: Int, flows: Int, bytesEach: Int, from source: String = "10.20.1.40", to destination: String = "203.0.113.9",
              interface: String = "eni-0c5b9d3e7f2a40823") -> [String] {
        (0..<flows).map { k in
            F.flow(source, destination, 40_000 + k, 443, at: t0 + Int64(hour) * 3600 + Int64(k) * (3000 / Int64(flows)), packets: 1000,
                   bytes: bytesEach, interface: interface)
        }
    }

    @Test("an hour far above the interface's usual egress is reported once")
    func reportsSpike() throws {
        var lines: [String] = []
        for h in 0..<4 { lines += hour(h, flows: 5, bytesEach: 10_000_000) }   // 50 MB an hour
        lines += hour(4, flows: 30, bytesEach: 100_000_000)                     // 3 GB
        let findings = F.findings([OutboundVolumeDetector()], F.store(lines))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.ruleID == "vigil.network.outbound-volume")
        #expect(finding.count == 1)
        #expect(finding.primaryEntity == Entity(.sourceIP, "10.20.1.40"))
        #expect(finding.summary?.contains("sent 1.1 GB to public addresses in the hour from 04:00:00") == true)
        #expect(finding.summary?.contains("usual: 50.0 MB/h over 4 active hours") == true)
        #expect(finding.evidence.count == 8)
    }

    @Test("the evidence is the hour's eight largest flows up to the crossing, in whatever order they came")
    func largestFlows() throws {
        var lines: [String] = []
        for h in 0..<4 { lines += hour(h, flows: 5, bytesEach: 10_000_000) }   // 50 MB an hour: the bar is 1 GB
        let megabytes = [30, 10, 90, 50, 70, 20, 100, 40, 80, 60, 600, 5]       // 1.15 GB at the 600 MB flow
        lines += megabytes.enumerated().map { k, size in
            F.flow("10.20.1.40", "203.0.113.9", 41_000 + k, 443, at: t0 + 4 * 3600 + Int64(k) * 60, packets: 1000,
                   bytes: size * 1_000_000, interface: "eni-0c5b9d3e7f2a40823")
        }
        let store = F.store(lines)
        let finding = try #require(F.findings([OutboundVolumeDetector()], store).first)
        let sizes = finding.evidence.compactMap { store.flow(of: $0)?.bytes }.map { Int($0 / 1_000_000) }.sorted()
        #expect(sizes == [40, 50, 60, 70, 80, 90, 100, 600])
    }

    @Test("IPv6 egress counts as IPv4 egress does; internal IPv6 destinations do not")
    func ipv6() {
        let public6 = hour(0, flows: 12, bytesEach: 1_000_000_000, from: "10.20.1.40", to: "2600:1f18::9")
        let findings = F.findings([OutboundVolumeDetector()], F.store(public6))
        #expect(findings.count == 1)
        #expect(findings.first?.summary?.contains("largest flow 1.0 GB to 2600:1f18::9") == true)
        let internal6 = hour(0, flows: 12, bytesEach: 1_000_000_000, from: "10.20.1.40", to: "fd00::9")
        #expect(F.findings([OutboundVolumeDetector()], F.store(internal6)).isEmpty)
    }

    @Test("with no history only a volume over the warm-up bar is reported")
    func warmUp() {
        let heavy = hour(0, flows: 12, bytesEach: 1_000_000_000)   // 12 GB in the first hour
        let findings = F.findings([OutboundVolumeDetector()], F.store(heavy))
        #expect(findings.count == 1)
        #expect(findings.first?.summary?.contains("no baseline yet") == true)
        let moderate = hour(0, flows: 3, bytesEach: 1_000_000_000)  // 3 GB: remarkable only against a baseline
        #expect(F.findings([OutboundVolumeDetector()], F.store(moderate)).isEmpty)
    }

    @Test("steady volume, ingress, internal traffic and idle hours are not reported")
    func quietCases() {
        var lines: [String] = []
        for h in 0..<8 { lines += hour(h, flows: 6, bytesEach: 500_000_000) }   // a steady 3 GB an hour
        // A nightly backup: 5 GB once, ten idle hours, 5 GB again — idle hours do not lower the bar.
        lines += hour(0, flows: 5, bytesEach: 1_000_000_000, from: "10.20.1.50", interface: "eni-0backup00000000001")
        lines += hour(1, flows: 5, bytesEach: 1_000_000_000, from: "10.20.1.50", interface: "eni-0backup00000000001")
        lines += hour(2, flows: 5, bytesEach: 1_000_000_000, from: "10.20.1.50", interface: "eni-0backup00000000001")
        lines += hour(13, flows: 5, bytesEach: 1_000_000_000, from: "10.20.1.50", interface: "eni-0backup00000000001")
        // Downloads (public → internal) and traffic between subnets.
        lines += (0..<20).map { F.flow("203.0.113.9", "10.20.1.60", 443, 40_000 + $0, at: t0 + 7200 + Int64($0), bytes: 1_000_000_000) }
        lines += (0..<20).map { F.flow("10.20.1.60", "10.20.2.30", 40_000 + $0, 5432, at: t0 + 7200 + Int64($0), bytes: 1_000_000_000) }
        #expect(F.findings([OutboundVolumeDetector()], F.store(lines)).isEmpty)
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        var lines: [String] = []
        for h in 0..<5 { lines += hour(h, flows: 4, bytesEach: 20_000_000) }
        lines += hour(5, flows: 20, bytesEach: 200_000_000)
        lines += hour(6, flows: 20, bytesEach: 200_000_000, from: "10.20.1.41", interface: "eni-0other000000000001")
        lines += hour(6, flows: 20, bytesEach: 800_000_000, from: "10.20.1.42", interface: "eni-0other000000000002")
        let store = F.store(lines)
        F.expectSameInPieces({ [OutboundVolumeDetector()] }, store)
        F.expectBatchMatchesEach({ OutboundVolumeDetector() }, store)
    }
}
