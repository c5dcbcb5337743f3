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
}
