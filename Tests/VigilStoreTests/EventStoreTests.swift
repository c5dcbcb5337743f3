import Testing
import VigilCore
@testable import VigilStore

@Suite("EventStore")
struct EventStoreTests {
    typealias F = StoreFixtures

    @Test("sorts a batch by time, keeping arrival order for ties")
    func sorts() {
        let store = EventStore.build([
            F.call(30, user: "c", action: "C"), F.call(10, user: "a", action: "A"),
            F.call(20, user: "b1", action: "B1"), F.call(20, user: "b2", action: "B2"),
        ])
        #expect(store.isTimeOrdered)
        #expect(store.idsInTimeOrder().map { store.value(.action, of: $0)! } == ["A", "B1", "B2", "C"])
    }

    @Test("drops records seen twice by eventID, per kind")
    func dedupes() {
        let store = EventStore.build([
            F.call(10, user: "a", action: "A", id: "e1"), F.call(10, user: "a", action: "A", id: "e1"),
            F.call(11, user: "a", action: "B", id: "e2"), F.call(12, user: "a", action: "C"), F.call(12, user: "a", action: "C"),
        ])
        #expect(store.count == 4)  // events without an id are never merged
        #expect(store.duplicatesDropped == 1)
        store.append([F.call(13, user: "a", action: "A", id: "e1")])
        #expect(store.count == 4)
        #expect(store.duplicatesDropped == 2)
    }

    @Test("a finding seen again with a higher count replaces the old row")
    func findingUpdates() {
        let store = EventStore.build([F.finding(10, id: "f1", type: "Recon:EC2/Portscan", score: 5, count: 1)])
        store.append([F.finding(50, id: "f1", type: "Recon:EC2/Portscan", score: 5, count: 7)])
        store.append([F.finding(60, id: "f1", type: "Recon:EC2/Portscan", score: 5, count: 3)])
        #expect(store.count == 1)
        let visible = store.idsInTimeOrder()
        #expect(visible.count == 1)
        #expect(store.finding(of: visible[0])?.count == 7)
        #expect(store.search(try! Query("kind:finding")).count == 1)
    }

    @Test("round-trips an event through the columns")
    func roundTrip() {
        let original = F.call(5, user: "alice", action: "PutBucketPolicy", service: "s3.amazonaws.com", key: "AKIA1",
                              error: "AccessDenied", resources: ["prod-logs", "arn:aws:s3:::prod-logs"], id: "x1")
        let store = EventStore.build([original])
        let e = store.event(0)
        #expect(e.time == original.time)
        #expect(e.service == "s3.amazonaws.com")
        #expect(e.action == "PutBucketPolicy")
        #expect(e.outcome == .failure(code: "AccessDenied", message: "denied"))
        #expect(e.principal?.userName == "alice")
        #expect(e.principal?.type == .iamUser)
        #expect(e.accessKeyID == "AKIA1")
        #expect(e.resources == ["prod-logs", "arn:aws:s3:::prod-logs"])
        #expect(e.raw == original.raw)
        #expect(e.eventID == "x1")
    }

    @Test("posting lists stay right across live appends and rebuilds")
    func postingsAcrossAppends() {
        let store = EventStore.build((0..<100).map { F.call(Int64($0), user: $0 % 2 == 0 ? "even" : "odd", action: "A") })
        store.append((100..<200).map { F.call(Int64($0), user: $0 % 2 == 0 ? "even" : "odd", action: "B") })
        let even = store.symbols.lookup("even")!
        let ids = store.postings(.user, symbol: even)
        #expect(ids.count == 100)
        #expect(ids == ids.sorted())
        #expect(ids.allSatisfy { store.value(.user, of: $0) == "even" })
        store.buildIndexes()
        #expect(store.postings(.user, symbol: even) == ids)
    }

    @Test("out-of-order live appends are still returned in time order")
    func lateEvents() {
        let store = EventStore.build([F.call(10, user: "a", action: "A"), F.call(30, user: "a", action: "C")])
        store.append([F.call(20, user: "a", action: "B")])
        #expect(!store.isTimeOrdered)
        #expect(store.idsInTimeOrder().map { store.value(.action, of: $0)! } == ["A", "B", "C"])
        #expect(store.search(try! Query("user:a")).map { store.value(.action, of: $0)! } == ["A", "B", "C"])
        #expect(store.search(try! Query("time>=2026-03-10T14:00:15Z")).map { store.value(.action, of: $0)! } == ["B", "C"])
    }

    @Test("reordering by time renumbers rows and keeps every column, index and finding link")
    func reorder() throws {
        let store = EventStore()
        store.append([F.call(30, user: "c", action: "C", resources: ["r3"]), F.finding(35, id: "f", type: "T", score: 5, count: 1)])
        store.append([F.call(10, user: "a", action: "A", resources: ["r1", "r1b"]), F.flow(20, src: "10.0.0.1", dst: "10.0.0.2", dport: 22, bytes: 5)])
        store.append([F.finding(40, id: "f", type: "T", score: 5, count: 2)])
        #expect(!store.isTimeOrdered)
        store.reorderByTime()
        #expect(store.isTimeOrdered)
        let ids = Array(0..<UInt32(store.rowCount))
        #expect(ids.map { store.time(of: $0).milliseconds } == [10, 20, 30, 35, 40].map { F.at($0).milliseconds })
        #expect(ids.map { store.value(.action, of: $0) ?? "" } == ["A", "ACCEPT", "C", "T", "T"])
        #expect(store.resources(of: 0) == ["r1", "r1b"])
        #expect(store.resources(of: 2) == ["r3"])
        #expect(store.flow(of: 1)?.destinationPort == 22)
        #expect(store.superseded == [3])
        #expect(store.finding(of: 4)?.count == 2)
        #expect(String(decoding: store.rawBytes(of: 2), as: UTF8.self).contains("\"C\""))
        #expect(store.search(try Query("user:a OR user:c")) == [0, 2])
        #expect(store.search(try Query("kind:finding")) == [4])
        // A later copy of the finding still supersedes the right row.
        store.append([F.finding(50, id: "f", type: "T", score: 5, count: 3)])
        #expect(store.superseded == [3, 4])
    }

    @Test("compressed raw records read back byte for byte and take less memory")
    func compressedRaw() throws {
        let events = (0..<6000).map { i in
            F.call(Int64(i), user: "user\(i % 7)", action: "GetObject", resources: ["bucket-\(i % 3)"], id: "c\(i)",
                   raw: "{\"eventName\":\"GetObject\",\"eventID\":\"c\(i)\",\"requestParameters\":{\"bucketName\":\"bucket-\(i % 3)\",\"key\":\"reports/2026/03/\(i).csv\"},\"userAgent\":\"aws-sdk-java/2.20 Linux/5.10 OpenJDK_64-Bit_Server_VM/17\"}")
        }
        let plain = EventStore.build(events)
        let packed = EventStore(compressRawRecords: true)
        packed.append(events)
        packed.buildIndexes()
        #expect(packed.memoryFootprint.raw * 3 < plain.memoryFootprint.raw)
        for id in [0, 1, 2999, 5998, 5999] as [UInt32] { #expect(packed.rawBytes(of: id) == plain.rawBytes(of: id)) }
        let query = try Query("requestParameters.key:*/59*.csv user:user3")
        #expect(packed.search(query) == plain.search(query))
        #expect(!plain.search(query).isEmpty)
    }

    @Test("counts values per field and over time")
    func facets() {
        let store = EventStore.build([
            F.call(0, user: "alice", action: "A"), F.call(60, user: "alice", action: "B"),
            F.call(120, user: "bob", action: "A"), F.call(7200, user: "alice", action: "A"),
        ])
        #expect(store.valueCounts(.user).map(\.value) == ["alice", "bob"])
        #expect(store.valueCounts(.user).map(\.count) == [3, 1])
        #expect(store.valueCounts(.action, among: [1, 2, 3]).map { "\($0.value)=\($0.count)" } == ["A=2", "B=1"])
        let h = store.histogram(ids: store.idsInTimeOrder(), buckets: 4)
        // 7,201 s over 4 bars needs bars of at least 1,801 s: the next round width is an hour.
        #expect(h.bucketSeconds == 3600)
        #expect(h.counts == [3, 0, 1])
        #expect(h.counts.reduce(0, +) == 4)
    }

    @Test("keeps index memory per event within budget on a realistic mix")
    func memory() {
        var events: [Event] = []
        for i in 0..<20_000 {
            events.append(F.call(Int64(i), user: "user\(i % 300)", action: "Action\(i % 150)", ip: "203.0.113.\(i % 250)",
                                 key: "AKIA\(i % 400)", resources: ["bucket-\(i % 1000)"], id: "id-\(i)"))
        }
        let store = EventStore.build(events)
        let footprint = store.memoryFootprint
        #expect(footprint.index / store.count < 160, "index bytes per event: \(footprint.index / store.count)")
    }
}

@Suite("Flow ids from resources")
struct FlowIdentifierTests {
    @Test("a flow's interface, instance, VPC and subnet ids come back from the store")
    func ids() {
        var flow = FlowFields(version: 5, interfaceID: "eni-0a1b", instanceID: "i-0abc", sourcePort: 1, destinationPort: 2)
        flow.vpcID = "vpc-01"
        flow.subnetID = "subnet-02"
        let event = Event(time: Timestamp(milliseconds: 1_000), kind: .flow, service: "vpc-flow-logs", action: "ACCEPT",
                          resources: ["eni-0a1b", "i-0abc", "vpc-01", "subnet-02"], flow: flow)
        let store = EventStore.build([event])
        let back = store.flow(of: 0)
        #expect(back?.interfaceID == "eni-0a1b")
        #expect(back?.instanceID == "i-0abc")
        #expect(back?.vpcID == "vpc-01")
        #expect(back?.subnetID == "subnet-02")
    }
}
