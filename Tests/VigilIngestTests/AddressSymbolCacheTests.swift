import Testing
import VigilCore
@testable import VigilIngest
@testable import VigilStore

@Suite("Address symbol cache")
struct AddressSymbolCacheTests {
    static func symbol(_ cache: AddressSymbolCache, _ text: String, _ symbols: ByteInterner) -> UInt32 {
        let address = UInt32(truncatingIfNeeded: IPAddress(text)!.low)
        return Array(text.utf8).withUnsafeBytes { cache.symbol(of: address, text: $0, in: symbols) }
    }

    @Test("gives the interner's symbol of the address's text, through collisions and a change of interner")
    func symbols() {
        let cache = AddressSymbolCache(bits: 2)   // four slots: most of these addresses collide
        let first = ByteInterner()
        cache.use(first)
        let texts = (0..<40).map { "10.0.\($0 % 3).\($0)" } + ["0.0.0.0", "255.255.255.255"]
        for _ in 0..<3 {
            for text in texts {
                let expected = Array(text.utf8).withUnsafeBytes { first.intern($0) }
                #expect(Self.symbol(cache, text, first) == expected, "\(text)")
            }
        }
        let second = ByteInterner()
        Array("other".utf8).withUnsafeBytes { _ = second.intern($0) }   // symbols differ from the first interner's
        cache.use(second)
        let expected = Array("10.0.1.1".utf8).withUnsafeBytes { second.intern($0) }
        #expect(Self.symbol(cache, "10.0.1.1", second) == expected)
        #expect(second.string(expected) == "10.0.1.1")
    }

    @Test("a bulk load gives every flow the addresses an event-by-event load gives it")
    func bulkMatchesEvents() throws {
        let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        let addresses = ["10.0.0.1", "10.0.0.2", "2001:db8::1", "::ffff:10.0.0.1", "203.0.113.7", "-"]
        var lines = [header]
        for k in 0..<60 {
            let source = addresses[k % addresses.count], destination = addresses[(k * 7 + 1) % addresses.count]
            lines.append("2 123456789010 eni-\(k % 4) \(source) \(destination) \(40000 + k) 443 6 3 300 \(1_700_000_000 + k) \(1_700_000_060 + k) ACCEPT OK")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let dir = ScratchFolder()
        let path = dir.write("flows.log", Array(text.utf8))
        let bulk = Ingestor.load(paths: [path], options: IngestOptions(concurrency: 1)).store
        var batch = IngestBatch()
        var reader = FlowLogReader(source: path)
        var copy = text
        copy.withUTF8 { reader.read(UnsafeRawBufferPointer($0), firstLineNumber: 1, into: &batch) }
        let events = EventStore.build(batch.events)
        func pairs(_ store: EventStore) -> [String] {
            store.idsInTimeOrder().map { "\(store.value(.sourceIP, of: $0) ?? "-") > \(store.value(.destinationIP, of: $0) ?? "-")" }
        }
        #expect(bulk.count == 60)
        #expect(pairs(bulk) == pairs(events))
        for query in ["ip:10.0.0.1", "ip:\"::ffff:10.0.0.1\"", "dst:10.0.0.2", "ip:2001:db8::/32"] {
            #expect(bulk.search(try Query(query)).count == events.search(try Query(query)).count, "\(query)")
            #expect(!bulk.search(try Query(query)).isEmpty, "\(query)")
        }
    }
}
