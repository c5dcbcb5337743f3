import Testing
import VigilCore
@testable import VigilStore

@Suite("FlowRow")
struct FlowRowTests {
    @Test("keeps every numeric field and address, and absent stays absent")
    func roundTrip() {
        let full = FlowFields(version: 5, sourceAddress: IPAddress("2001:db8::7"), destinationAddress: IPAddress("203.0.113.9"),
                              sourcePort: 0, destinationPort: 65_535, ipProtocol: 17, packets: 9_000_000_000, bytes: 0,
                              start: Timestamp(seconds: 1_773_151_200), end: Timestamp(seconds: 1_773_151_260),
                              action: .reject, status: .skipData, tcpFlags: 19, direction: .egress)
        #expect(FlowRow(full).fields == full)
        let sparse = FlowFields(version: 2, action: .none, status: .noData)
        let back = FlowRow(sparse).fields
        #expect(back == sparse)
        #expect(back.sourceAddress == nil && back.sourcePort == nil && back.bytes == nil && back.start == nil)
        #expect(MemoryLayout<FlowRow>.stride <= 80)
    }

    @Test("the store gives flows back with packet addresses and ids")
    func storeRoundTrip() {
        var f = FlowFields(version: 3, interfaceID: "eni-1", sourceAddress: IPAddress("10.0.0.1"), destinationAddress: IPAddress("10.0.0.2"),
                           sourcePort: 1, destinationPort: 2, start: Timestamp(seconds: 10), action: .accept)
        f.packetSourceAddress = IPAddress("198.51.100.1")
        let e = Event(time: Timestamp(seconds: 10), kind: .flow, service: "vpc-flow-logs", action: "ACCEPT",
                      sourceIP: "10.0.0.1", resources: ["eni-1"], flow: f, raw: Array("x".utf8))
        let store = EventStore.build([e])
        let back = store.flow(of: 0)
        #expect(back?.packetSourceAddress == IPAddress("198.51.100.1"))
        #expect(back?.destinationPort == 2)
        #expect(store.resources(of: 0) == ["eni-1"])
    }

    @Test("after a reorder the flow rows are laid out in time order, with their numbers and packet addresses")
    func layoutFollowsTime() {
        func flow(_ port: Int, at seconds: Int64) -> Event {
            var f = FlowFields(version: 5, sourceAddress: IPAddress("10.0.0.\(port)"), destinationAddress: IPAddress("10.0.1.1"),
                               sourcePort: port, destinationPort: 443, start: Timestamp(seconds: seconds), action: .accept)
            if port % 2 == 0 { f.packetSourceAddress = IPAddress("198.51.100.\(port)") }
            return Event(time: Timestamp(seconds: seconds), kind: .flow, service: "vpc-flow-logs", action: "ACCEPT",
                         sourceIP: "10.0.0.\(port)", resources: ["eni-\(port)"], flow: f, raw: Array("flow \(port)".utf8))
        }
        let store = EventStore()
        store.append([flow(1, at: 100), flow(2, at: 200), flow(3, at: 300)])
        store.append([flow(4, at: 50), flow(5, at: 250)])   // older than what is stored: the store is out of order
        #expect(!store.isTimeOrdered)
        store.reorderByTime()
        let ids = store.idsInTimeOrder()
        #expect(ids.map { store.flow(of: $0)?.sourcePort } == [4, 1, 2, 5, 3])
        #expect(ids.map { store.flow(of: $0)?.packetSourceAddress?.description } == ["198.51.100.4", nil, "198.51.100.2", nil, nil])
        #expect(ids.map { store.resources(of: $0) } == [["eni-4"], ["eni-1"], ["eni-2"], ["eni-5"], ["eni-3"]])
        #expect(ids.map { store.detailRow[Int($0)] } == [0, 1, 2, 3, 4])
        store.withColumnReader { reader in
            #expect(ids.map { reader.numbers(of: $0).sourcePortValue } == [4, 1, 2, 5, 3])
            #expect(ids.map { reader.time(of: $0) } == [50_000, 100_000, 200_000, 250_000, 300_000])
            #expect(ids.allSatisfy { reader.isFlow($0) && reader.isSuccess($0) && reader.firstResourceSymbol(of: $0) != 0 })
            #expect(ids.map { store.symbols[reader.sourceSymbol(of: $0)] } == ["10.0.0.4", "10.0.0.1", "10.0.0.2", "10.0.0.5", "10.0.0.3"])
            #expect(ids.map { store.symbols[reader.destinationSymbol(of: $0)] } == Array(repeating: "10.0.1.1", count: 5))
        }
    }
}
