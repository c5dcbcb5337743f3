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

@Suite("SymbolColumn, blank")
struct BlankSymbolColumnTests {
    @Test("a column of zeros stores nothing until it gets another symbol, then keeps the zeros before it")
    func blankThenMaterialized() {
        var column = SymbolColumn()
        for _ in 0..<1_000 { column.append(0) }
        #expect(column.count == 1_000 && column.bytes == 0)
        #expect(column[999] == 0)
        column.withReader { reader in #expect(reader[0] == 0 && reader[999] == 0) }
        column.append(7)
        #expect(column.count == 1_001 && column[1_000] == 7 && column[0] == 0)
        column.withReader { reader in #expect(reader[1_000] == 7 && reader[500] == 0) }
        #expect(SymbolColumn(blank: 5).permuted([4, 3, 2, 1, 0]).count == 5)
    }

    @Test("a column made of values, or appended to in bulk, is as narrow as they allow")
    func fromValues() {
        #expect(SymbolColumn([0, 0, 0]).bytes == 0)
        let narrow = SymbolColumn([1, 65_535])
        #expect(narrow[1] == 65_535 && narrow.bytes <= 2 * 2 + 32)
        var column = SymbolColumn([0, 0])
        column.append(contentsOf: [0, 0])
        #expect(column.count == 4 && column.bytes == 0)
        column.append(contentsOf: [3])
        #expect((0..<column.count).map { column[$0] } == [0, 0, 0, 0, 3])
        column.append(contentsOf: [70_000, 1])
        #expect((0..<column.count).map { column[$0] } == [0, 0, 0, 0, 3, 70_000, 1])
        var fresh = SymbolColumn()
        fresh.append(contentsOf: [2, 80_000])
        #expect(fresh[1] == 80_000)
    }

    @Test("a blank column takes a batch's cells")
    func blankBatchAppend() {
        var column = SymbolColumn(blank: 2)
        column.append(cells: [0, 4], stride: 2, offset: 1, rows: [0], remap: [0, 0, 0, 0, 9])
        #expect((0..<column.count).map { column[$0] } == [0, 0, 9])
    }
}
