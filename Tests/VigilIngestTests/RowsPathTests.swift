import Foundation
import Testing
@testable import VigilIngest
import VigilCore
import VigilStore
@testable import VigilSynth

/// The store's fast path (records built straight into `EventRows`) must give the same store as the event path
/// (records made into `Event`s, then appended). These tests read the same bytes both ways and compare every
/// event field, raw bytes included, row by row.
@Suite("Rows path")
struct RowsPathTests {
    /// Reads `text` through the event path and through the rows path; returns both stores and both batches.
    static func bothWays(_ bytes: [UInt8], source: String = "t") -> (events: EventStore, rows: EventStore,
                                                                    eventBatch: IngestBatch, rowBatch: IngestBatch) {
        var eventBatch = IngestBatch()
        var rowBatch = IngestBatch()
        rowBatch.rows = EventRows()
        bytes.withUnsafeBytes { buffer in
            Ingestor.read(buffer, source: source, referenceTime: Timestamp(seconds: 1_700_000_000), into: &eventBatch)
            Ingestor.read(buffer, source: source, referenceTime: Timestamp(seconds: 1_700_000_000), into: &rowBatch)
        }
        let viaEvents = EventStore.build(eventBatch.events)
        let viaRows = EventStore()
        viaRows.append(rowBatch.events)
        viaRows.append(rowBatch.rows!)
        viaRows.buildIndexes()
        return (viaEvents, viaRows, eventBatch, rowBatch)
    }

    /// Every event of a store, in time order, as text that names every field.
    static func dump(_ store: EventStore) -> [String] {
        store.idsInTimeOrder().map { id in
            var e = store.event(id)
            e.details = .none  // compared below through `flow(of:)`, whose description is stable
            return "\(e) \(String(describing: store.flow(of: id))) dst=\(store.value(.destinationIP, of: id) ?? "-")"
        }
    }

    static func expectSame(_ bytes: [UInt8], _ comment: Comment? = nil) {
        let r = bothWays(bytes)
        #expect(r.rowBatch.rows!.count > 0, "the rows path was not taken")
        #expect(r.rowBatch.diagnostics == r.eventBatch.diagnostics, comment)
        #expect(r.rows.count == r.events.count, comment)
        #expect(r.rows.duplicatesDropped == r.events.duplicatesDropped, comment)
        let a = dump(r.events), b = dump(r.rows)
        for (x, y) in zip(a, b) where x != y {
            Issue.record("event path: \(x)\nrows path:  \(y)")
            break
        }
        // Sorting a batch by time first (as loads do, raw records included) changes nothing either.
        var sorted = r.rowBatch.rows!
        sorted.sortByTime()
        let viaSorted = EventStore()
        viaSorted.append(r.rowBatch.events)
        viaSorted.append(sorted)
        viaSorted.buildIndexes()
        #expect(dump(viaSorted) == b, "rows sorted by time first")
        // A bulk load defers copying raw records until the reader settles them, once, in time order.
        var deferredBatch = IngestBatch()
        deferredBatch.rows = EventRows()
        deferredBatch.rows!.defersRawRecords = true
        bytes.withUnsafeBytes { buffer in
            Ingestor.read(buffer, source: "t", referenceTime: Timestamp(seconds: 1_700_000_000), into: &deferredBatch)
        }
        #expect(deferredBatch.rows!.hasDeferredRaw == false, "the reader left raw records unsettled")
        #expect(deferredBatch.rows!.count == r.rowBatch.rows!.count)
        let viaDeferred = EventStore()
        viaDeferred.append(deferredBatch.events)
        viaDeferred.append(deferredBatch.rows!)
        viaDeferred.buildIndexes()
        #expect(dump(viaDeferred) == b, "raw records deferred, then copied once")
        for field in IndexedField.allCases {
            #expect(r.rows.valueCounts(field).map { "\($0.value)=\($0.count)" } == r.events.valueCounts(field).map { "\($0.value)=\($0.count)" },
                    "value counts of \(field)")
        }
    }

    @Test("CloudTrail fixtures give the same store both ways")
    func cloudTrailFixtures() {
        Self.expectSame(Array(CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records).utf8))
    }

    @Test("awkward CloudTrail records give the same store both ways")
    func awkwardCloudTrail() {
        let records = [
            // Escapes, a numeric account id, an assumed role without a user name, a null source address.
            #"{"eventTime":"2026-03-10T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/sess\u00e9ion","accountId":111122223333},"sourceIPAddress":null,"userAgent":"curl \"7\" \ttab","requestParameters":{"bucketName":"b\u002d1","key":"k"},"eventID":"e1"}"#,
            // Root, failed console sign-in with MFA, out of time order.
            #"{"eventTime":"2026-03-10T09:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root","accountId":"1"},"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"Yes"},"errorMessage":"Failed authentication","eventType":"AwsConsoleSignIn","eventID":"e2"}"#,
            // A service principal with no ARN, no account (the recipient stands in), resources and `name` keys.
            #"{"eventTime":"2026-03-10T11:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","userIdentity":{"type":"AWSService","invokedBy":"config.amazonaws.com"},"recipientAccountId":"999","requestParameters":{"name":"main-trail","items":[{"instanceId":"i-1"},{"instanceId":"i-1"}],"flowLogIds":["fl-1",""]},"resources":[{"ARN":"arn:aws:cloudtrail:us-east-1:999:trail/main-trail"},{"ARN":""}],"eventID":"e3"}"#,
            // `name` in a service where it is not a resource; an inventory call whose response is not read.
            #"{"eventTime":"2026-03-10T11:00:01Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","userName":"","principalId":"AID1","accessKeyId":""},"requestParameters":{"name":"x"},"responseElements":{"instanceId":"i-2"},"errorCode":"","sessionCredentialFromConsole":"true","eventID":"e4"}"#,
            // A duplicate of e1, a record without eventName and one with a bad time (both errors), an unknown type.
            #"{"eventTime":"2026-03-10T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/sess\u00e9ion","accountId":111122223333},"eventID":"e1"}"#,
            #"{"eventTime":"2026-03-10T10:00:00Z","eventSource":"s3.amazonaws.com"}"#,
            #"{"eventTime":"yesterday","eventName":"X"}"#,
            #"{"eventTime":"2026-03-10T12:00:00.123Z","eventName":"Odd","userIdentity":{"type":"SomethingNew","principalId":"P1","sessionContext":{"attributes":{"mfaAuthenticated":"true"}}},"errorCode":"AccessDenied","eventID":7}"#,
        ]
        Self.expectSame(Array(CloudTrailFixtures.s3Delivery(records).utf8))
        // The same records as JSON lines.
        Self.expectSame(Array(records.joined(separator: "\n").utf8))
    }

    @Test("generated CloudTrail (the benchmark's busy account) gives the same store both ways")
    func generatedCloudTrail() {
        Self.expectSame(BenchDataGenerator(seed: 5).cloudTrailDocument(records: 3_000, fileIndex: 2))
    }

    @Test("flow logs of every shape give the same store both ways")
    func flowLogs() {
        let v2 = """
        2 111122223333 eni-0a1 10.0.1.5 203.0.113.9 44321 22 6 10 840 1710000000 1710000060 ACCEPT OK
        2 111122223333 eni-0a1 203.0.113.9 10.0.1.5 22 44321 6 12 1200 1709999990 1710000050 REJECT OK
        2 111122223333 eni-0a2 - - - - - - - 1710000000 1710000060 - NODATA
        2 111122223333 eni-0a2 2001:DB8:0:0::1 2001:db8::2 443 51000 6 3 300 1710000001 1710000061 ACCEPT OK
        2 111122223333 eni-0a2 not-an-address 10.0.0.1 1 2 6 1 1 1710000000 1710000001 ACCEPT OK
        """
        Self.expectSame(Array(v2.utf8), "version 2")
        let v5 = """
        version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status region flow-direction
        5 vpc-1 subnet-1 i-1 eni-1 111122223333 IPv4 10.0.0.5 10.0.0.9 3389 50000 10.0.0.5 192.0.2.1 6 100 2 1710000100 1710000160 ACCEPT 2 OK us-east-1 egress
        5 vpc-1 subnet-1 - eni-1 111122223333 IPv4 10.0.0.6 10.0.0.9 22 50001 - - 6 100 2 1710000000 1710000160 REJECT 2 OK us-east-1 ingress
        """
        Self.expectSame(Array(v5.utf8), "version 5 with a header")
    }

    @Test("generated flow logs give the same store both ways")
    func generatedFlowLogs() throws {
        let folder = NSTemporaryDirectory() + "vigil-rows-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try BenchDataGenerator(seed: 8).writeFlowLogs(to: folder, lines: 5_000, linesPerFile: 5_000)
        let files = InputFile.expand([folder]).files
        #expect(files.count == 1)
        let bytes = try #require(FileManager.default.contents(atPath: files[0]))
        Self.expectSame([UInt8](bytes))
    }

    @Test("a parallel load equals the event path on the bundled sample data")
    func loadMatchesEventPath() {
        let sample = SampleDataTests.committedSampleData
        let loaded = Ingestor.load(paths: [sample])
        var events: [Event] = []
        for file in InputFile.expand([sample]).files { events += Ingestor.readFile(file).1.events }
        let reference = EventStore.build(events)
        #expect(loaded.store.count == reference.count)
        let a = Self.dump(reference).sorted(), b = Self.dump(loaded.store).sorted()
        for (x, y) in zip(a, b) where x != y {
            Issue.record("event path: \(x)\nloaded:     \(y)")
            break
        }
    }

    @Test("appending rows to an indexed store keeps the indexes current and time order known")
    func liveAppend() {
        let store = EventStore()
        store.buildIndexes()
        var first = IngestBatch()
        first.rows = EventRows()
        var second = IngestBatch()
        second.rows = EventRows()
        Array("2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1710000100 1710000160 ACCEPT OK\n".utf8).withUnsafeBytes {
            Ingestor.read($0, source: "a", referenceTime: Timestamp(seconds: 0), into: &first)
        }
        Array("2 1 eni-1 10.0.0.3 10.0.0.2 1 22 6 1 1 1710000000 1710000060 REJECT OK\n".utf8).withUnsafeBytes {
            Ingestor.read($0, source: "b", referenceTime: Timestamp(seconds: 0), into: &second)
        }
        #expect(store.append(first.rows!) == 1)
        #expect(store.isTimeOrdered)
        #expect(store.append(second.rows!) == 1)
        #expect(!store.isTimeOrdered)
        let port22 = store.postings(.destinationPort, symbol: 23)
        #expect(port22.count == 2)
        let rejected = store.vocabulary(.errorCode).map(\.value)
        #expect(rejected == ["REJECT"])
        #expect(store.idsInTimeOrder().map { store.value(.sourceIP, of: $0) } == ["10.0.0.3", "10.0.0.1"])
    }

    @Test("a record in two files is kept once, from the file first by path, however many cores read them")
    func duplicatesAcrossFiles() throws {
        let folder = NSTemporaryDirectory() + "vigil-dup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The same record (same eventID) twice, told apart by a member only one copy has; plus one of its own each.
        func record(_ id: String, _ time: String, _ marker: String) -> String {
            #"{"eventTime":"\#(time)","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"},"eventID":"\#(id)","copy":"\#(marker)"}"#
        }
        for (name, marker) in [("b.json", "second"), ("a.json", "first"), ("c.json", "third")] {
            let text = CloudTrailFixtures.s3Delivery([record("shared", "2026-03-10T10:00:00Z", marker),
                                                       record("own-\(marker)", "2026-03-10T10:00:0\(name.count)Z", marker)])
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        for workers in [1, 2, 3] {
            let loaded = Ingestor.load(paths: [folder], options: IngestOptions(concurrency: workers))
            #expect(loaded.store.count == 4, "\(workers) workers")
            #expect(loaded.store.duplicatesDropped == 2, "\(workers) workers")
            let shared = loaded.store.idsInTimeOrder().filter { loaded.store.recordID(of: $0) == "shared" }
            #expect(shared.count == 1)
            let raw = String(decoding: shared.first.map { loaded.store.rawBytes(of: $0) } ?? [], as: UTF8.self)
            #expect(raw.contains(#""copy":"first""#), "\(workers) workers kept \(raw)")
        }
    }
}

