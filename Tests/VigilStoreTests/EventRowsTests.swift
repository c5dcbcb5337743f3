import Testing
import VigilCore
@testable import VigilStore

@Suite("Event rows")
struct EventRowsTests {
    /// Adds a row at `second` whose raw record is `text`, copied now or left in place (deferred).
    static func addRow(_ rows: inout EventRows, second: Int64, action: String, raw: UnsafeRawBufferPointer, inPlace: Bool) {
        rows.beginRow(time: Timestamp(seconds: second), kind: .cloudTrail)
        Array(action.utf8).withUnsafeBytes { rows.set(.action, $0) }
        if inPlace { rows.endRow(rawInPlace: raw) } else { rows.endRow(raw: raw) }
    }

    /// Each stored event's action and raw record, in time order.
    static func contents(_ rows: consuming EventRows) -> [String] {
        let store = EventStore.build([], rows: rows)
        return store.idsInTimeOrder().map { "\(store.value(.action, of: $0) ?? "-")=\(String(decoding: store.rawBytes(of: $0), as: UTF8.self))" }
    }

    @Test("deferred raw records are copied once, each to its row, in time order or as added")
    func deferredRaw() {
        let buffer = Array("{\"a\":3}{\"a\":1}{\"a\":2}".utf8)
        let expected = ["one={\"a\":1}", "two={\"a\":2}", "three={\"a\":3}"]
        for sorting in [true, false] {
            var rows = EventRows()
            rows.defersRawRecords = true
            buffer.withUnsafeBytes { b in
                Self.addRow(&rows, second: 30, action: "three", raw: UnsafeRawBufferPointer(rebasing: b[0..<7]), inPlace: true)
                Self.addRow(&rows, second: 10, action: "one", raw: UnsafeRawBufferPointer(rebasing: b[7..<14]), inPlace: true)
                Self.addRow(&rows, second: 20, action: "two", raw: UnsafeRawBufferPointer(rebasing: b[14..<21]), inPlace: true)
                #expect(rows.hasDeferredRaw)
                #expect(rows.averageRawRecordBytes == 7)
                rows.settleDeferredRaw(sortingByTime: sorting)
            }
            #expect(!rows.hasDeferredRaw)
            #expect(!rows.defersRawRecords)
            #expect(rows.isTimeOrdered == sorting)
            #expect(Self.contents(rows) == expected, "sorting: \(sorting)")
        }
    }

    @Test("rows copied before deferring began keep their records; the deferred ones follow")
    func copiedThenDeferred() {
        let buffer = Array("{\"b\":5}{\"b\":4}".utf8)
        var rows = EventRows()
        let early = Array("{\"b\":9}".utf8)
        early.withUnsafeBytes { Self.addRow(&rows, second: 90, action: "nine", raw: $0, inPlace: false) }
        rows.defersRawRecords = true
        buffer.withUnsafeBytes { b in
            Self.addRow(&rows, second: 50, action: "five", raw: UnsafeRawBufferPointer(rebasing: b[0..<7]), inPlace: true)
            Self.addRow(&rows, second: 40, action: "four", raw: UnsafeRawBufferPointer(rebasing: b[7..<14]), inPlace: true)
            rows.settleDeferredRaw(sortingByTime: true)
        }
        #expect(Self.contents(rows) == ["four={\"b\":4}", "five={\"b\":5}", "nine={\"b\":9}"])
    }

    @Test("without deferring, in-place rows are copied at once")
    func notDeferring() {
        var rows = EventRows()
        Array("{\"c\":1}".utf8).withUnsafeBytes { Self.addRow(&rows, second: 1, action: "x", raw: $0, inPlace: true) }
        #expect(!rows.hasDeferredRaw)
        #expect(Self.contents(rows) == ["x={\"c\":1}"])
    }
}

@Suite("Event rows, columns kept only once used")
struct LazyRowColumnsTests {
    /// A batch: rows without a record id or attributes, then rows with them, then without again.
    static func batch(ids: [String?], from second: Int64) -> EventRows {
        var rows = EventRows()
        for (k, id) in ids.enumerated() {
            rows.beginRow(time: Timestamp(seconds: second + Int64(k)), kind: .cloudTrail)
            Array("A\(k)".utf8).withUnsafeBytes { rows.set(.action, $0) }
            if let id {
                Array(id.utf8).withUnsafeBytes { rows.setRecordID($0) }
                Array("by-\(id)".utf8).withUnsafeBytes { rows.setAttribute(.invokedBy, $0) }
            }
            Array("{\"n\":\(k)}".utf8).withUnsafeBytes { rows.endRow(raw: $0) }
        }
        return rows
    }

    @Test("rows without ids or attributes store neither; once one has them, every row reads its own")
    func lazyColumns() {
        let plain = Self.batch(ids: [nil, nil, nil], from: 0)
        #expect(plain.fingerprints.isEmpty && plain.attributeSet.isEmpty)
        #expect((0..<3).allSatisfy { plain.fingerprint($0) == 0 && plain.attributeSet($0) == 0 })
        let mixed = Self.batch(ids: [nil, nil, "x", nil, "y"], from: 0)
        #expect(mixed.fingerprints.count == 5 && mixed.attributeSet.count == 5)
        #expect([0, 1, 3].allSatisfy { mixed.fingerprint($0) == 0 && mixed.attributeSet($0) == 0 })
        #expect(mixed.fingerprint(2) != 0 && mixed.fingerprint(4) != 0 && mixed.attributeSet(2) != mixed.attributeSet(4))
    }

    @Test("merged with and without such columns, duplicates are dropped and attributes kept, in either path")
    func mergeAndAppend() {
        let batches = [Self.batch(ids: [nil, "x", nil], from: 0), Self.batch(ids: [nil, nil], from: 10),
                       Self.batch(ids: ["x", "z"], from: 20)]
        let merged = EventStore()
        merged.absorbInTimeOrder(batches)
        let appended = EventStore()
        for b in batches { appended.absorb(b) }
        for store in [merged, appended] {
            #expect(store.count == 6)    // the second "x" is a duplicate
            let withAttributes = store.idsInTimeOrder().filter { store.attributeSet(of: $0) != 0 }
            #expect(withAttributes.map { store.value(.action, of: $0) } == ["A1", "A1"])   // x in the first batch, z in the last
        }
    }
}
