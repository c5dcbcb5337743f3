import Testing
@testable import VigilIngest
import VigilCore
@testable import VigilStore

/// Bulk loads merge every file's rows straight into time order (``EventStore/absorbInTimeOrder(_:)``); the
/// store must equal the one absorbing the batches one by one and reordering afterwards makes, symbol numbers,
/// duplicates, flow side tables and indexes included.
@Suite("Merge in time order")
struct MergeInOrderTests {
    /// Reads each text into its own batch; batches at the same `interner` index share one interner, as the
    /// files one worker reads do.
    static func batches(_ texts: [(interner: Int, text: String)]) -> [EventRows] {
        let interners = (0..<3).map { _ in ByteInterner() }
        return texts.enumerated().map { k, input in
            var batch = IngestBatch()
            batch.rows = EventRows(symbols: interners[input.interner])
            _ = Array(input.text.utf8).withUnsafeBytes {
                Ingestor.read($0, source: "f\(k)", referenceTime: Timestamp(seconds: 1_700_000_000), into: &batch)
            }
            return batch.rows!
        }
    }

    /// Everything a query or detector can see of a store, as text, row by row in id order.
    static func contents(_ store: EventStore) -> [String] {
        var lines = (0..<store.symbols.count).map { "symbol \($0) \(store.symbols[UInt32($0)])" }
        for id in 0..<EventStore.EventID(store.rowCount) {
            var e = store.event(id)
            e.details = .none
            let set = store.attributeSet(of: id)
            lines.append("\(id) \(e) \(String(describing: store.flow(of: id))) dst=\(store.symbol(.destinationIP, of: id)) set=\(set) "
                         + RecordAttribute.allCases.map { "\(store.attribute($0, inSet: set))" }.joined(separator: ","))
        }
        for field in IndexedField.allCases {
            for entry in store.vocabulary(field) {
                lines.append("\(field) \(entry.value) \(store.postings(field, symbol: entry.symbol))")
            }
        }
        lines.append("dropped \(store.duplicatesDropped) ordered \(store.isTimeOrdered)")
        return lines
    }

    static func expectSameAsTwoSteps(_ texts: [(interner: Int, text: String)]) {
        let merged = EventStore()
        merged.absorbInTimeOrder(batches(texts))
        merged.buildIndexes()
        let stepwise = EventStore()
        var maps: [ObjectIdentifier: RowSymbolMap] = [:]
        for rows in batches(texts) { stepwise.absorb(rows, map: &maps[ObjectIdentifier(rows.symbols), default: RowSymbolMap()]) }
        stepwise.restoreTimeOrder()
        stepwise.buildIndexes()
        let a = contents(stepwise), b = contents(merged)
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) where x != y {
            Issue.record("two steps: \(x)\nmerged:    \(y)")
            break
        }
    }

    @Test("flow files overlapping in time, sharing interners, with ties, gaps, IPv6 and packet addresses")
    func flows() {
        let first = """
        2 111122223333 eni-0a1 10.0.1.5 203.0.113.9 44321 22 6 10 840 1710000100 1710000160 ACCEPT OK
        2 111122223333 eni-0a1 203.0.113.9 10.0.1.5 22 44321 6 12 1200 1709999990 1710000050 REJECT OK
        2 111122223333 eni-0a2 - - - - - - - 1710000000 1710000060 - NODATA
        """
        let second = """
        2 111122223333 eni-0a2 2001:DB8:0:0::1 2001:db8::2 443 51000 6 3 300 1710000000 1710000061 ACCEPT OK
        2 444455556666 eni-0b9 10.0.1.5 010.0.0.1 1 2 6 1 1 1710000100 1710000001 REJECT OK
        2 444455556666 eni-0b9 10.0.1.6 10.0.0.1 1 2 6 1 1 1709999000 1710000001 ACCEPT SKIPDATA
        """
        let v5 = """
        version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status region flow-direction
        5 vpc-1 subnet-1 i-1 eni-1 111122223333 IPv4 10.0.0.5 10.0.0.9 3389 50000 10.0.0.5 192.0.2.1 6 100 2 1710000100 1710000160 ACCEPT 2 OK us-east-1 egress
        5 vpc-1 subnet-1 - eni-1 111122223333 IPv4 10.0.0.6 10.0.0.9 22 50001 - - 6 100 2 1710000000 1710000160 REJECT 2 OK us-east-1 ingress
        """
        Self.expectSameAsTwoSteps([(0, first), (1, second), (0, v5), (1, first)])
        Self.expectSameAsTwoSteps([(2, v5)])
    }

    @Test("CloudTrail files with a record in two files and one twice in a file keep the first copy")
    func cloudTrailDuplicates() {
        func record(_ id: String, _ time: String, _ marker: String) -> String {
            #"{"eventTime":"\#(time)","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"},"eventID":"\#(id)","copy":"\#(marker)","errorCode":"AccessDenied"}"#
        }
        let a = CloudTrailFixtures.s3Delivery([record("shared", "2026-03-10T10:00:00Z", "a"), record("own-a", "2026-03-10T09:00:00Z", "a"),
                                               record("own-a", "2026-03-10T09:00:00Z", "again")])
        let b = CloudTrailFixtures.s3Delivery([record("own-b", "2026-03-10T10:00:00Z", "b"), record("shared", "2026-03-10T08:00:00Z", "b")])
        Self.expectSameAsTwoSteps([(0, a), (1, b), (0, b)])
        // Flow batches leave the principal, user and agent columns empty; a CloudTrail batch among them fills them.
        let flows = "2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1773136800 1773136860 ACCEPT OK\n"
        Self.expectSameAsTwoSteps([(0, flows), (1, a), (0, flows)])
    }

    @Test("flow rows with packet addresses among CloudTrail rows, on both sides of where the layout is cut")
    func mixedWithPackets() {
        let record = #"{"eventTime":"2024-03-09T16:01:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","eventID":"x"}"#
        let trail = CloudTrailFixtures.s3Delivery([record, record.replacingOccurrences(of: "\"x\"", with: "\"y\"")])
        let header = "version interface-id srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action log-status"
        let lines = (0..<9).map { k in
            "5 eni-\(k % 3) 10.0.0.\(k) 10.0.1.\(k) \(1000 + k) 443 \(k % 2 == 0 ? "192.0.2.\(k)" : "-") - 6 10 1 \(1_710_000_000 + k * 20) 1710000400 ACCEPT OK"
        }
        let early = ([header] + lines.prefix(5)).joined(separator: "\n")
        let late = ([header] + lines.suffix(4)).joined(separator: "\n")
        Self.expectSameAsTwoSteps([(0, late), (1, trail), (0, early)])
        Self.expectSameAsTwoSteps([(1, trail), (2, early), (2, late), (1, trail)])
    }

    @Test("times from 1970 to 9999 over more rows than a packed sort key has room for take the general sort")
    func wideSpan() {
        // 48 bits of milliseconds and 17 of row number do not fit one 64-bit key.
        let texts = (0..<2).map { file in
            (0..<33_000).map { k in
                let start = k == 0 ? (file == 0 ? 0 : 253_402_300_799) : 1_710_000_000 + (k * 7 + file) % 5_000
                return "2 1 eni-\(k % 3) 10.0.0.\(k % 200) 10.1.0.1 \(1000 + k % 50) 443 6 1 1 \(start) \(start) ACCEPT OK"
            }.joined(separator: "\n")
        }
        // Rows compared by time and raw line (the whole dump of 66,000 rows and their postings takes seconds).
        let merged = EventStore()
        merged.absorbInTimeOrder(Self.batches([(0, texts[0]), (1, texts[1])]))
        let stepwise = EventStore()
        var maps: [ObjectIdentifier: RowSymbolMap] = [:]
        for rows in Self.batches([(0, texts[0]), (1, texts[1])]) {
            stepwise.absorb(rows, map: &maps[ObjectIdentifier(rows.symbols), default: RowSymbolMap()])
        }
        stepwise.restoreTimeOrder()
        func rows(_ store: EventStore) -> [String] {
            (0..<EventStore.EventID(store.rowCount)).map { "\(store.time(of: $0).milliseconds) \(String(decoding: store.rawBytes(of: $0), as: UTF8.self))" }
        }
        #expect(merged.rowCount == 66_000)
        #expect(rows(merged) == rows(stepwise))
        #expect(merged.time(of: 0).milliseconds == 0 && merged.time(of: 65_999).milliseconds == 253_402_300_799_000)
    }

    @Test("many interleaved flow files, and no files at all")
    func interleaved() {
        let store = EventStore()
        store.absorbInTimeOrder([])
        #expect(store.rowCount == 0)
        let texts = (0..<4).map { file in
            (0..<50).map { k in
                "2 1 eni-\(k % 7) 10.0.\(file).\(k % 11) 10.1.0.\(k % 5) \(1000 + k) \(k % 3 == 0 ? 22 : 443) 6 1 1 \(1_710_000_000 + (k * 37 + file * 11) % 300) 1710000400 \(k % 4 == 0 ? "REJECT" : "ACCEPT") OK"
            }.joined(separator: "\n")
        }
        Self.expectSameAsTwoSteps(texts.enumerated().map { ($0.offset % 2, $0.element) })
    }
}
