import Testing
import VigilCore
@testable import VigilStore

@Suite("FlowTable")
struct FlowTableTests {
    static let start = Timestamp(seconds: 1_773_151_200)

    /// Rows that fit the narrow columns, with every field or few.
    static let narrowRows: [FlowFields] = [
        FlowFields(version: 5, sourceAddress: IPAddress("10.0.0.1"), destinationAddress: IPAddress("203.0.113.9"),
                   sourcePort: 0, destinationPort: 65_535, ipProtocol: 17, packets: 4_294_967_295, bytes: 9_000_000_000,
                   start: start, end: Timestamp(milliseconds: start.milliseconds + 60_000),
                   action: .reject, status: .ok, tcpFlags: 19, direction: .egress),
        FlowFields(version: 2, end: nil, action: .none, status: .noData),
        FlowFields(version: 3, sourceAddress: IPAddress("255.255.255.255"), sourcePort: 443, start: start, action: .accept),
        // An end a little before the start (clock skew) is still an offset.
        FlowFields(version: 2, start: start, end: Timestamp(milliseconds: start.milliseconds - 1_000), action: .accept),
    ]

    /// Rows that do not: IPv6 addresses, too many packets, an end without a start or far from it.
    static let wideRows: [FlowFields] = [
        FlowFields(version: 5, sourceAddress: IPAddress("2001:db8::7"), destinationAddress: IPAddress("10.0.0.2"),
                   sourcePort: 1, destinationPort: 22, bytes: 40, start: start, action: .accept),
        FlowFields(version: 5, sourceAddress: IPAddress("10.0.0.2"), destinationAddress: IPAddress("2001:db8::1"),
                   destinationPort: 80, start: start, action: .reject),
        FlowFields(version: 2, packets: 4_294_967_296, start: start, action: .accept),
        FlowFields(version: 2, end: start, action: .accept, status: .skipData),
        FlowFields(version: 2, start: start, end: Timestamp(milliseconds: start.milliseconds + Int64(Int32.max) + 1), action: .accept),
        FlowFields(version: 2, start: Timestamp(milliseconds: Int64.min + 5), end: Timestamp(milliseconds: Int64.max - 5), action: .accept),
    ]

    @Test("gives back every row as it was given, narrow or wide")
    func roundTrip() {
        var table = FlowTable()
        let all = Self.narrowRows + Self.wideRows
        for f in all { table.append(FlowRow(f)) }
        #expect((0..<table.count).map { table[$0].fields } == all)
        #expect(table.wide.count == Self.wideRows.count)
        table.withReader { reader in
            #expect((0..<table.count).map { reader.row($0).fields } == all)
            #expect((0..<table.count).map { reader.isWide($0) } == all.indices.map { $0 >= Self.narrowRows.count })
        }
    }

    @Test("reads single fields of narrow and wide rows")
    func singleFields() {
        var table = FlowTable()
        let all = Self.narrowRows + Self.wideRows
        for f in all { table.append(FlowRow(f)) }
        table.withReader { reader in
            for (i, f) in all.enumerated() {
                #expect(reader.ports(i).source == f.sourcePort && reader.ports(i).destination == f.destinationPort, "row \(i)")
                #expect(reader.bytes(i) == f.bytes, "row \(i)")
                #expect(reader.action(i) == f.action, "row \(i)")
                let v4: UInt32? = if case .some(let a) = f.destinationAddress, a.isV4 { UInt32(truncatingIfNeeded: a.low) } else { nil }
                #expect(reader.destinationV4(i) == v4, "row \(i)")
            }
        }
    }

    @Test("a new order moves wide rows with their index; a table built in parts equals an appended one")
    func gatherAndBuild() {
        var table = FlowTable()
        let all = Self.narrowRows + Self.wideRows
        for f in all { table.append(FlowRow(f)) }
        let order = Array(all.indices.reversed())
        let gathered = table.gathered(order)
        #expect((0..<gathered.count).map { gathered[$0].fields } == order.map { all[$0] })

        // Written in two parts, back to front, as the merge's jobs write them.
        let built = FlowTable.build(count: all.count) { writer in
            var wide: [UInt32: FlowRow] = [:]
            for half in [all.count / 2..<all.count, 0..<all.count / 2] {
                for i in half.reversed() {
                    let narrow = FlowTable.encode(FlowRow(all[i]))
                    writer.write(narrow, at: i)
                    if narrow.isWide { wide[UInt32(i)] = FlowRow(all[i]) }
                }
            }
            return wide
        }
        #expect((0..<built.count).map { built[$0].fields } == all)
        #expect(built.footprint < all.count * MemoryLayout<FlowRow>.stride + built.wide.count * 100)
    }

    @Test("a batch's narrow form gives the row back, and marks what does not fit")
    func narrowForm() {
        for f in Self.narrowRows { #expect(FlowRow(narrow: FlowTable.encode(FlowRow(f))).fields == f) }
        for f in Self.wideRows {
            let mark = FlowTable.encode(FlowRow(f))
            #expect(mark.isWide && FlowRow(narrow: mark).action == f.action && FlowRow(narrow: mark).status == f.status)
        }
        #expect(MemoryLayout<FlowTable.Narrow>.stride == 48)
    }

    @Test("a narrow row takes 44 bytes")
    func narrowSize() {
        var table = FlowTable()
        table.reserveCapacity(1_000)
        for k in 0..<1_000 {
            table.append(FlowRow(FlowFields(version: 2, sourceAddress: IPAddress(v4: UInt32(k)), sourcePort: k, start: Self.start, action: .accept)))
        }
        #expect(table.wide.isEmpty)
        #expect(table.footprint <= 44 * 1_100)
    }
}

@Suite("Flow store memory")
struct FlowStoreMemoryTests {
    @Test("a store of flows keeps no principal, user, key or agent column, and 44-byte flow rows")
    func flowOnlyColumns() {
        let events = (0..<2_000).map { k in
            StoreFixtures.flow(Int64(k), src: "10.0.\(k % 7).1", dst: "10.1.0.\(k % 5)", dport: 443, bytes: Int64(k))
        }
        let store = EventStore.build(events)
        for field in [IndexedField.principal, .user, .accessKey, .userAgent] {
            #expect(store.columns[field.rawValue].bytes == 0, "\(field)")
            #expect(store.symbol(field, of: 1_999) == 0)
        }
        #expect(store.columns[IndexedField.sourceIP.rawValue].bytes > 0)
        let flowRows = store.memoryBreakdown.first { $0.name == "flow rows" }?.bytes ?? 0
        #expect(flowRows < 2_000 * MemoryLayout<FlowRow>.stride)
        #expect(store.flow(of: 1_999)?.bytes == 1_999)
    }
}
