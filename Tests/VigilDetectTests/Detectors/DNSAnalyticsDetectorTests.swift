import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct DNSAnalyticsDetectorTests {
    typealias F = DetectorFixtures
    let t0 = DetectorFixtures.day + 54_718

    static func all() -> [any Detector] { DNSAnalyticsDetector.Check.allCases.map { DNSAnalyticsDetector(check: $0) } }

    func findings(_ lines: [String], _ check: DNSAnalyticsDetector.Check) -> [Finding] {
        F.findings([DNSAnalyticsDetector(check: check)], F.store(lines))
    }

    @Test("lookups of mining-pool names are reported on the instance, high")
    func miningPool() {
        let lines = [
            F.dns("pool.supportxmr.example", at: t0, answers: ["198.51.100.142"]),
            F.dns("xmr-asia1.nanopool.example", at: t0 + 60, answers: ["198.51.100.143"]),
            F.dns("gulf.moneroocean.stream", at: t0 + 120, instance: nil),
        ]
        let result = findings(lines, .miningPool)
        #expect(result.count == 2)
        let instance = result.first { $0.primaryEntity == Entity(.instance, "i-0a7f3c9e21b4d5f68") }
        #expect(instance?.count == 2)
        #expect(instance?.severity == .high)
        #expect(instance?.ruleID == "vigil.dns.mining-pool-domain")
        #expect(instance?.summary == "i-0a7f3c9e21b4d5f68 looked up pool.supportxmr.example → 198.51.100.142")
        #expect(result.contains { $0.primaryEntity == Entity(.sourceIP, "172.31.18.44") })
    }

    @Test("ordinary names that merely contain pool-like words are not mining pools")
    func notMiningPools() {
        let names = ["minecraft.example", "spooling.example.com", "xmrdocs.example", "api.github.com", "pool.ntp.org",
                     "carpool.example", "stratus.example", "archiveonline.example"]
        #expect(findings(names.map { F.dns($0, at: t0) }, .miningPool).isEmpty)
    }

    @Test("registered names that look machine-generated are reported, medium")
    func generatedNames() {
        let lines = [F.dns("xjwqkzhvbnmpq.com", at: t0, rcode: "NXDOMAIN"), F.dns("www.kq3hx9v7z2mwp0tr.net", at: t0 + 1, rcode: "NXDOMAIN")]
        let result = findings(lines, .generatedName)
        #expect(result.count == 1)
        #expect(result.first?.count == 2)
        #expect(result.first?.severity == .medium)
        #expect(result.first?.summary?.contains("xjwqkzhvbnmpq.com") == true)
    }

    @Test("brand names, CDN and AWS hostnames, and random subdomains are not DGA-like")
    func notGeneratedNames() {
        let names = ["harborlight.example", "stackoverflow.com", "cloudflareinsights.com", "d1a2b3c4e5f6g7.cloudfront.net",
                     "orders-db.cluster-c9x8y7z6w5v4.us-east-1.rds.amazonaws.com", "a3f9c2e1b7d4.ingest.sentry.io",
                     "supercalifragilistic.example", "internationalisation.example", "xn--bcher-kva8445foa.example",
                     "23.100.51.198.in-addr.arpa", "strengthsfinder.com", "worldsthrill.example"]
        #expect(findings(names.map { F.dns($0, at: t0) }, .generatedName).isEmpty)
    }

    @Test("many unique names under one domain, or very long labels, look like tunnelling")
    func tunnelling() {
        var lines = (0..<60).map { k in F.dns("\(String(k * 7919, radix: 16))a0b1c2.exfil.example", at: t0 + Int64(k) * 5, type: "TXT") }
        lines.append(F.dns(String(repeating: "4a6f", count: 12) + ".t.example", at: t0 + 500, instance: "i-0b5a1c2d3e4f50607"))
        let result = findings(lines, .tunnelling)
        let unique = result.first { $0.primaryEntity == Entity(.instance, "i-0a7f3c9e21b4d5f68") }
        #expect(unique?.summary?.contains("50 different names under exfil.example") == true)
        #expect(unique?.evidence.count == 50)
        let long = result.first { $0.primaryEntity == Entity(.instance, "i-0b5a1c2d3e4f50607") }
        #expect(long?.summary?.contains("48-character label under t.example") == true)
    }

    @Test("provider domains, modest variety and slow variety are not tunnelling")
    func notTunnelling() {
        var lines = (0..<60).map { F.dns("bucket-\($0).s3.us-east-1.amazonaws.com", at: t0 + Int64($0)) }
        lines += (0..<40).map { F.dns("host\($0).corp.example", at: t0 + Int64($0)) }
        lines += (0..<60).map { F.dns("item\($0).slow.example", at: t0 + Int64($0) * 60) }
        lines += (0..<60).map { F.dns("\($0).0.20.10.zen.spamhaus.org", at: t0 + Int64($0)) }
        #expect(findings(lines, .tunnelling).isEmpty)
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        var lines = (0..<120).map { k in F.dns("q\(k)x.exfil.example", at: t0 + Int64(k) * 3) }
        lines += [F.dns("pool.supportxmr.example", at: t0 + 10, answers: ["198.51.100.142"]),
                  F.dns("xjwqkzhvbnmpq.com", at: t0 + 20), F.dns(String(repeating: "ab", count: 25) + ".t.example", at: t0 + 30)]
        F.expectSameInPieces(Self.all, F.store(lines))
    }
}
