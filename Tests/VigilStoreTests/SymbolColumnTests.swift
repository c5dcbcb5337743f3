import Testing
@testable import VigilStore

@Suite("SymbolColumn")
struct SymbolColumnTests {
    @Test("stays narrow while it can, widens without losing a value, permutes")
    func widening() {
        var column = SymbolColumn()
        for s in [0, 1, 65_535] as [UInt32] { column.append(s) }
        #expect(column.bytes <= column.count * 2 + 64)
        column.append(70_000)
        column.append(2)
        #expect((0..<column.count).map { column[$0] } == [0, 1, 65_535, 70_000, 2])
        let permuted = column.permuted([4, 3, 2, 1, 0])
        #expect((0..<permuted.count).map { permuted[$0] } == [2, 70_000, 65_535, 1, 0])
        var narrow = SymbolColumn()
        narrow.append(9)
        #expect(narrow.permuted([0])[0] == 9)
    }

    @Test("appends a batch's cells through the symbol map, widening when a batch needs it")
    func batchAppend() {
        // Two rows of three cells; the column takes cell 1 of the rows listed, mapped.
        let cells: [UInt32] = [7, 1, 7, 7, 2, 7, 7, 3, 7]
        let narrowMap: [UInt32] = [0, 10, 20, 30]
        var column = SymbolColumn()
        column.append(5)
        column.append(cells: cells, stride: 3, offset: 1, rows: [2, 0], remap: narrowMap)
        #expect((0..<column.count).map { column[$0] } == [5, 30, 10])
        #expect(column.bytes < 64)   // still two bytes a row
        let wideMap: [UInt32] = [0, 10, 100_000, 30]
        column.append(cells: cells, stride: 3, offset: 1, rows: [1, 2], remap: wideMap)
        #expect((0..<column.count).map { column[$0] } == [5, 30, 10, 100_000, 30])
        column.append(cells: cells, stride: 3, offset: 1, rows: [0], remap: narrowMap)
        #expect(column[5] == 10 && column.count == 6)
    }

    @Test("gathers flat lists into a new order")
    func gatherLists() {
        // Lists: [1, 2], [], [3], [4, 5, 6]
        let (starts, items) = EventStore.gatherLists(starts: [0, 2, 2, 3, 6], items: [1, 2, 3, 4, 5, 6], [3, 1, 0, 2])
        #expect(starts == [0, 3, 3, 5, 6])
        #expect(items == [4, 5, 6, 1, 2, 3])
        #expect(EventStore.gatherLists(starts: [0], items: [], []) == ([0], []))
    }
}
