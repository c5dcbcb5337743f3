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
}
