import Testing
import VigilCore
import VigilSynth
@testable import VigilDetect

/// The helpers the detectors share: address scope, domain names, label shape, bounded tables.
@Suite struct SupportDetectorTests {
    @Test("internal and public addresses", arguments: [
        ("10.1.2.3", true), ("172.16.0.1", true), ("172.31.255.255", true), ("172.32.0.1", false), ("192.168.1.1", true),
        ("127.0.0.1", true), ("169.254.169.254", true), ("100.64.0.1", true), ("100.127.255.255", true), ("100.128.0.1", false),
        ("0.1.2.3", true), ("224.0.0.251", true), ("255.255.255.255", true), ("198.18.0.1", true), ("198.20.0.1", false),
        ("192.0.0.9", true), ("192.0.2.10", false), ("198.51.100.23", false), ("203.0.113.77", false), ("8.8.8.8", false),
        ("::1", true), ("::", true), ("fe80::1", true), ("fd00::1", true), ("fc12::1", true), ("ff02::1", true),
        ("::ffff:10.0.0.1", true), ("::ffff:8.8.8.8", false), ("2001:db8:4::18", false), ("2600:1f18::1", false),
    ])
    func addressScope(text: String, isInternal: Bool) {
        #expect(AddressScope.isInternal(IPAddress(text)!) == isInternal)
    }

    @Test("domain names: normalised, split, registrable part approximated")
    func domainNames() {
        let name = DomainName("Pool.SupportXMR.example.")
        #expect(name.text == "pool.supportxmr.example")
        #expect(name.labels.count == 3)
        #expect(name.registrableDomain == "supportxmr.example")
        #expect(DomainName("a.b.example.co.uk").registrableDomain == "example.co.uk")
        #expect(DomainName("example").registrableDomain == "example")
        #expect(DomainName("x.s3.amazonaws.com").isInfrastructure)
        #expect(!DomainName("notamazonaws.com").isInfrastructure)
        #expect(DomainName("ip-10-0-0-1.ec2.internal").isInfrastructure)
        #expect(DomainName("a.b.example").hash(from: 2) == DomainName("b.example").hash())
    }

    @Test("log2 without Foundation is accurate")
    func log2() {
        for (x, expected) in [(1.0, 0.0), (2.0, 1.0), (8.0, 3.0), (12.0, 3.584_962_500_721_156), (0.5, -1.0), (1000.0, 9.965_784_284_662_087)] {
            #expect(abs(LabelShape.log2(x) - expected) < 1e-9, "\(x)")
        }
    }

    @Test("a recency table evicts the least recently used entries, deterministically")
    func recencyTable() {
        var table = RecencyTable<Int, Int>(capacity: 8)
        for k in 0..<8 { table.update(k, orInsert: { 0 }) { $0 += 1 } }
        table.update(0, orInsert: { 0 }) { $0 += 1 }   // 0 is now the most recent
        table.update(8, orInsert: { 0 }) { $0 += 1 }   // full: the least recently used eighth (here 1) makes room
        #expect(table.count == 8)
        #expect(table.peek(1) == nil && table.peek(2) == 1)
        #expect(table.peek(0) == 2)
        table.shrink(to: 3)
        #expect(Set((0...8).filter { table.peek($0) != nil }) == [0, 7, 8])
        #expect(table.sum { $0 } == 4)
    }

    @Test("a key updated again and again is found each time, also after its slot is freed or reused")
    func recencyTableRepeatedKey() {
        var table = RecencyTable<Int, Int>(capacity: 4)
        for _ in 0..<5 { table.update(7, orInsert: { 0 }) { $0 += 1 } }
        #expect(table.peek(7) == 5)
        table.removeAll { $0 == 5 }                        // frees 7's slot
        #expect(table.updateIfPresent(7) { $0 } == nil)    // not found through a stale memo
        table.update(9, orInsert: { 100 }) { _ in }        // reuses the slot
        #expect(table.updateIfPresent(7) { $0 } == nil)
        #expect(table.update(7, orInsert: { 0 }) { v -> Int in v += 1; return v } == 1)
        for k in 10..<14 { table.update(k, orInsert: { k }) { _ in } }   // past capacity: the oldest go
        #expect(table.updateIfPresent(9) { $0 } == nil && table.peek(13) == 13)
        #expect(table.updateIfPresent(13) { v -> Int in v += 1; return v } == 14)
    }

    @Test("a symbol memo computes each answer once, for symbols in any order")
    func symbolMemo() {
        var memo = SymbolMemo<Int>()
        var computed = 0
        for symbol: UInt32 in [5, 0, 300, 5, 1, 300, 0] {
            let answer = memo.value(symbol) { computed += 1; return Int(symbol) * 2 }
            #expect(answer == Int(symbol) * 2)
        }
        #expect(computed == 4)
    }

    @Test("a recency table finds every key after growth, eviction and sweeps")
    func recencyTableIndex() {
        var table = RecencyTable<UInt64, Int>(capacity: 1000)
        // Keys that share their low bits, so probing runs long and the index is rebuilt several times.
        let keys = (0..<900).map { UInt64($0) << 40 | 7 }
        for (k, key) in keys.enumerated() { table.update(key, orInsert: { k }) { _ in } }
        #expect(keys.enumerated().allSatisfy { table.peek($1) == $0 })
        table.removeAll { $0 % 3 == 0 }
        #expect(table.count == 600)
        #expect(keys.enumerated().allSatisfy { k, key in table.peek(key) == (k % 3 == 0 ? nil : k) })
        for k in 0..<300 { table.update(UInt64(5_000 + k), orInsert: { -k }) { _ in } }   // reuses freed slots
        #expect(table.count == 900)
        #expect(table.peek(UInt64(5_299)) == -299 && table.peek(keys[1]) == 1)
        #expect(table.updateIfPresent(keys[0]) { $0 } == nil)
    }

    @Test("the eviction cut-off is found by selection, as a sort would")
    func selection() {
        var rng = SystemRandomNumberGenerator()
        for n in [1, 2, 3, 10, 1000] {
            let values = (0..<n).map { _ in UInt64.random(in: 0..<UInt64(n * 3), using: &rng) }
            let sorted = values.sorted()
            for rank in Set([0, n / 2, n - 1]) {
                var scratch = values
                #expect(RecencyTable<Int, Int>.select(&scratch, rank: rank) == sorted[rank])
            }
        }
    }

    @Test("recent events answer 'N within T'")
    func recentEvents() {
        var ring = RecentEvents(capacity: 3)
        ring.append(time: 0, id: 1)
        ring.append(time: 10, id: 2)
        #expect(!ring.isFull(within: 100, of: 10))
        ring.append(time: 20, id: 3)
        #expect(ring.isFull(within: 20, of: 20))
        ring.append(time: 50, id: 4)
        #expect(ring.eventIDs == [2, 3, 4])
        #expect(!ring.isFull(within: 30, of: 50))
        #expect(ring.isFull(within: 40, of: 50))
    }

    @Test("summaries spell sizes and durations plainly")
    func wording() {
        #expect(DetectorText.bytes(512) == "512 B")
        #expect(DetectorText.bytes(3_400) == "3.4 KB")
        #expect(DetectorText.bytes(1_234_000_000) == "1.2 GB")
        #expect(DetectorText.bytes(250_000_000) == "250 MB")
        #expect(DetectorText.duration(milliseconds: 90_000) == "90 s")
        #expect(DetectorText.duration(milliseconds: 600_000) == "10 min")
        #expect(DetectorText.duration(milliseconds: 86_400_000) == "24 h")
        #expect(FlowEntities.isInstanceID("i-0a7f3c9e21b4d5f68"))
        #expect(FlowEntities.isInstanceID("i-0a7f3c9e"))
        #expect(!FlowEntities.isInstanceID("i-deploy"))
    }

    @Test("grouping by source keeps each source's items in their order, and brings a source's items together")
    func sourceGrouping() {
        var rng = SeededGenerator(seed: 5)
        for (largest, count): (UInt32, Int) in [(9, 20_000), (60_000, 20_000), (3_000_000, 20_000), (3_000_000, 300)] {
            let items = (0..<count).map { (key: UInt32(rng.int(in: 0...Int(largest))), order: $0) }
            var grouped = items, scratch: [(key: UInt32, order: Int)] = []
            SourceGrouping.group(&grouped, scratch: &scratch) { $0.key }
            #expect(grouped.map(\.order).sorted() == Array(0..<count), "a permutation, keys up to \(largest)")
            // Each key's items in their original order.
            var last: [UInt32: Int] = [:]
            #expect(grouped.allSatisfy { item in
                defer { last[item.key] = item.order }
                return (last[item.key] ?? -1) < item.order
            }, "keys up to \(largest)")
            // Keys below 65,536 (and any keys in a short run) each form one contiguous run, in increasing order.
            if largest < 65_536 || count < 1024 {
                let expected = items.sorted { ($0.key, $0.order) < ($1.key, $1.order) }
                #expect(grouped.map(\.order) == expected.map(\.order), "keys up to \(largest)")
            }
        }
        var one = [(key: UInt32(4), order: 0)], scratch: [(key: UInt32, order: Int)] = []
        SourceGrouping.group(&one, scratch: &scratch) { $0.key }
        #expect(one.count == 1)
    }
}
