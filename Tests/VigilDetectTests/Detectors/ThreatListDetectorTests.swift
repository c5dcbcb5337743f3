import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct ThreatListDetectorTests {
    typealias F = DetectorFixtures
    let t0 = DetectorFixtures.day + 50_000

    static var intel: ThreatIntel {
        var intel = ThreatIntel()
        intel.add(name: "bad-hosts", text: "# scanners and c2\n203.0.113.0/24\n198.51.100.142\nevil.example\n2001:db8:bad::/48\n")
        intel.add(name: "another", text: "198.51.100.142 2026-03-01\n")
        return intel
    }

    var store: EventStore {
        let flows = [
            F.flow("10.20.1.40", "198.51.100.142", 45_812, 3333, at: t0),
            F.flow("198.51.100.142", "10.20.1.40", 3333, 45_812, at: t0),
            F.flow("10.20.1.40", "198.51.100.50", 45_813, 443, at: t0),
        ]
        let calls = [
            F.userCall("GetCallerIdentity", service: "sts.amazonaws.com", at: t0 + 10, ip: "203.0.113.77", agent: "TruffleHog"),
            F.userCall("DescribeInstances", at: t0 + 20, ip: "192.0.2.34"),
            F.userCall("DescribeInstances", at: t0 + 30, ip: "AWS Internal"),
        ]
        let lookups = [
            F.dns("c2.EVIL.example", at: t0 + 40, answers: ["192.0.2.99"]),
            F.dns("cdn.ok.example", at: t0 + 50, answers: ["203.0.113.5"]),
            F.dns("notevil.example", at: t0 + 60, answers: ["192.0.2.98"]),
        ]
        return F.store(flows, calls, lookups)
    }

    @Test("listed addresses in flows, CloudTrail and DNS answers, and listed domains, are reported per indicator")
    func reportsListedIndicators() {
        let findings = F.findings([ThreatListDetector(intel: Self.intel)], store)
        let byEntity = Dictionary(uniqueKeysWithValues: findings.map { ($0.primaryEntity!, $0) })
        #expect(Set(byEntity.keys) == [Entity(.sourceIP, "198.51.100.142"), Entity(.sourceIP, "203.0.113.77"),
                                       Entity(.domain, "evil.example"), Entity(.sourceIP, "203.0.113.5")])
        #expect(findings.allSatisfy { $0.severity == .high && $0.ruleID == "vigil.intel.threat-list" })
        let pool = byEntity[Entity(.sourceIP, "198.51.100.142")]
        #expect(pool?.count == 2)
        // On two lists: the first by name wins, as ThreatIntel.listName says.
        #expect(pool?.summary?.contains("list 'another'") == true)
        #expect(byEntity[Entity(.sourceIP, "203.0.113.77")]?.summary?.contains("GetCallerIdentity") == true)
        #expect(byEntity[Entity(.domain, "evil.example")]?.summary?.contains("c2.EVIL.example") == true)
    }

    @Test("with no lists loaded the detector looks at nothing and the standard set leaves it out")
    func noLists() {
        let detector = ThreatListDetector(intel: ThreatIntel())
        #expect(detector.kinds.isEmpty)
        #expect(F.findings([detector], store).isEmpty)
        #expect(!StandardDetectors.make(intel: ThreatIntel()).contains { $0 is ThreatListDetector })
        #expect(StandardDetectors.make(intel: Self.intel).contains { $0 is ThreatListDetector })
    }

    @Test("the compiled lists agree with ThreatIntel's own lookups")
    func matcherAgreesWithIntel() {
        let intel = Self.intel
        let matcher = IntelMatcher(intel)
        for text in ["203.0.113.1", "203.0.114.1", "198.51.100.142", "198.51.100.143", "2001:db8:bad::1", "2001:db8:bae::1", "10.0.0.1"] {
            let address = IPAddress(text)!
            let index = matcher.list(containing: address)
            #expect((index >= 0 ? matcher.names[Int(index)] : nil) == intel.listName(containing: address), "\(text)")
        }
        for name in ["evil.example", "a.b.evil.example", "EVIL.example.", "notevil.example", "example"] {
            #expect(matcher.list(containing: DomainName(name)).map { matcher.names[Int($0.list)] } == intel.listName(containing: name), "\(name)")
        }
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        F.expectSameInPieces({ [ThreatListDetector(intel: Self.intel)] }, store, intel: Self.intel)
        F.expectBatchMatchesEach({ ThreatListDetector(intel: Self.intel) }, store)
    }
}
