import Foundation
import Testing
import VigilCore
import VigilIngest
import VigilStore
import VigilSynth
@testable import VigilDetect

// TEMPORARY: throughput measurement, removed after the numbers are taken.
// VIGIL_TIMING_DATA = sample | bench | adversarial (comma list), VIGIL_TIMING_SET = all | each | <name> (comma list)
@Suite(.serialized) struct TimingDetectorTests {
    func time(_ label: String, _ store: EventStore, _ ids: [EventStore.EventID], repeats: Int = 1, _ make: () -> [any Detector]) -> Double {
        var best = Double.infinity
        var findings = 0
        for _ in 0..<repeats {
            let engine = DetectionEngine(store: store, rules: RuleSet(), detectors: make(), guardDutyFindings: false)
            let t0 = System.monotonic()
            engine.process(ids)
            best = min(best, System.monotonic() - t0)
            findings = engine.findings.count
        }
        print(String(format: "TIMING %-44@ %10.0f events/s  (%.3f s for %d events, %d findings)", label as NSString, Double(ids.count) / best, best, ids.count, findings))
        return best
    }

    static var intel: ThreatIntel {
        var intel = ThreatIntel()
        var text = ""
        for k in 0..<2000 { text += "185.\(k % 250).\(k / 250).\(k % 7)\n" }
        intel.add(name: "tor-exits", text: text)
        intel.add(name: "blocks", text: "203.0.113.0/25\n198.51.100.128/26\nevil.example\n")
        return intel
    }

    static var sets: [(String, () -> [any Detector])] { [
        ("none", { [] }),
        ("all", { StandardDetectors.make(intel: ThreatIntel()) }),
        ("all+intel", { StandardDetectors.make(intel: intel) }),
        ("firstseen", { FirstSeenDetector.Dimension.allCases.map { FirstSeenDetector(dimension: $0) } }),
        ("instance", { [InstanceCredentialsOutsideDetector()] }),
        ("portscan", { [PortScanDetector()] }),
        ("brute", { [BruteForceDetector(stage: .attempts), BruteForceDetector(stage: .success)] }),
        ("mining", { [MiningPoolDetector()] }),
        ("outbound", { [OutboundVolumeDetector()] }),
        ("dns", { DNSAnalyticsDetector.Check.allCases.map { DNSAnalyticsDetector(check: $0) } }),
        ("threat", { [ThreatListDetector(intel: intel)] }),
    ] }

    func data(_ name: String) throws -> EventStore {
        switch name {
        case "sample": return SampleDataDetectorTests.store
        case "bench":
            let dir = "/tmp/vigil-detector-bench-flows"
            if !FileManager.default.fileExists(atPath: dir) { _ = try BenchDataGenerator(seed: 7).writeFlowLogs(to: dir, lines: 1_000_000) }
            let t0 = System.monotonic()
            let loaded = Ingestor.load(paths: [dir])
            let ingest = System.monotonic() - t0
            print(String(format: "TIMING ingest of %d bench flow lines: %.3f s = %.0f lines/s", loaded.store.count, ingest, Double(loaded.store.count) / ingest))
            return loaded.store
        default:
            // 1M flows from 20k internet sources hitting random ports of 500 hosts over 20 minutes.
            var rng = SeededRandom(state: 42)
            var text: [UInt8] = []
            text.reserveCapacity(120_000_000)
            let base: Int64 = 1_773_100_800
            for k in 0..<1_000_000 {
                let src = "198.51.\(rng.next(80)).\(1 + rng.next(250))"
                let dst = "10.20.\(rng.next(2)).\(1 + rng.next(250))"
                let port = rng.next(10) < 3 ? 22 : 1 + rng.next(30000)
                let line = "2 111122223333 eni-0a1b2c3d4e5f6\(k % 100) \(src) \(dst) \(40000 + k % 20000) \(port) 6 \(1 + rng.next(30)) 1500 \(base + Int64(k / 833)) \(base + Int64(k / 833) + 55) \(k % 2 == 0 ? "REJECT" : "ACCEPT") OK\n"
                text += line.utf8
            }
            var batch = IngestBatch()
            text.withUnsafeBytes { b in _ = Ingestor.read(b, source: "adv", referenceTime: Timestamp(seconds: base), into: &batch) }
            return EventStore.build(batch.events)
        }
    }

    @Test func measure() throws {
        let env = ProcessInfo.processInfo.environment
        let dataNames = (env["VIGIL_TIMING_DATA"] ?? "sample,bench,adversarial").split(separator: ",").map(String.init)
        let setNames = (env["VIGIL_TIMING_SET"] ?? "each").split(separator: ",").map(String.init)
        let repeats = Int(env["VIGIL_TIMING_REPEATS"] ?? "") ?? 3
        for dataName in dataNames {
            let store = try data(dataName)
            let ids = store.idsInTimeOrder()
            for (name, make) in Self.sets where setNames.contains("each") || setNames.contains(name) {
                _ = time("\(dataName): \(name)", store, ids, repeats: dataName == "sample" ? 50 : repeats, make)
            }
        }
    }
}

struct SeededRandom {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
