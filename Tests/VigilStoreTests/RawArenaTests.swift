import Testing
@testable import VigilStore

@Suite("RawArena")
struct RawArenaTests {
    static func record(_ k: Int, length: Int) -> [UInt8] { (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k) } }

    @Test("records longer than 64 KB widen the length table and read back byte for byte")
    func longRecords() {
        var arena = RawArena()
        let lengths = [10, 70_000, 5, 0, 65_535, 65_536]
        for (k, n) in lengths.enumerated() { arena.append(Self.record(k, length: n)) }
        #expect(lengths.indices.map { arena.bytes($0) } == lengths.enumerated().map { Self.record($0, length: $1) })
        arena.withReader { reader in
            #expect(lengths.indices.map { Array(reader!.bytes($0)) } == lengths.enumerated().map { Self.record($0, length: $1) })
        }
        arena.permute([5, 4, 3, 2, 1, 0])
        #expect(arena.bytes(0) == Self.record(5, length: 65_536) && arena.bytes(5) == Self.record(0, length: 10))
    }

    @Test("short records in one page keep two-byte pages and lengths")
    func narrowTable() {
        var arena = RawArena()
        arena.reserveCapacity(10_000)
        arena.reserveBytes(10_000 * 20)
        for k in 0..<10_000 { arena.append(Self.record(k, length: 20)) }
        // Four bytes of offset and two of length; every record is on the first page, whose number takes none.
        #expect(arena.overheadBytes <= 10_000 * 6 + 1_024)
    }

    @Test("records gathered from other arenas keep their bytes, across pages and widths")
    func gathering() {
        var a = RawArena(), b = RawArena()
        a.append(Self.record(1, length: 3)); a.append(Self.record(2, length: 80_000))
        b.append(Self.record(3, length: 7)); b.append(Self.record(4, length: 9))
        var store = RawArena()
        store.append(Self.record(0, length: 4))
        let shifts = [store.absorbPages(of: &a), store.absorbPages(of: &b)]
        let before = [a, b]   // emptied of pages, still holding their tables
        store.appendRecords(gathering: [1 << 32 | 1, 0 << 32 | 1, 0 << 32 | 0, 1 << 32 | 0], from: before, pageShifts: shifts)
        #expect((0..<store.count).map { store.bytes($0) }
            == [Self.record(0, length: 4), Self.record(4, length: 9), Self.record(2, length: 80_000), Self.record(1, length: 3), Self.record(3, length: 7)])
    }

    @Test("empty records take no page and no table bytes, and stay empty when gathered, permuted or absorbed")
    func emptyRecords() {
        var a = RawArena()
        a.reserveCapacity(1_000)
        for _ in 0..<1_000 { a.append([UInt8]()) }
        #expect(a.pages.isEmpty && a.overheadBytes == 0)
        var b = RawArena()
        b.append(Self.record(7, length: 12))
        b.appendEmpty()
        var store = RawArena()
        store.append(Self.record(0, length: 5))
        let shifts = [store.absorbPages(of: &a), store.absorbPages(of: &b)]
        store.appendRecords(gathering: [0 << 32 | 3, 1 << 32 | 0, 1 << 32 | 1], from: [a, b], pageShifts: shifts)
        #expect((0..<store.count).map { store.bytes($0) } == [Self.record(0, length: 5), [], Self.record(7, length: 12), []])
        #expect(store.pageOf[1] == 0 && store.pageOf[3] == 0)
        store.permute([3, 2, 1, 0])
        store.withReader { reader in
            #expect((0..<4).map { Array(reader!.bytes($0)) } == [[], Self.record(7, length: 12), [], Self.record(0, length: 5)])
        }
    }

    @Test("a page reserved for a file is made only for a record with bytes, and cut to what was filled")
    func reservedOnFirstRecord() {
        var derived = RawArena()
        derived.reserveBytesOnFirstRecord(1 << 20)
        for _ in 0..<100 { derived.appendEmpty() }
        derived.releaseUnusedSpace()
        #expect(derived.pages.isEmpty)

        var mostlyDerived = RawArena()
        mostlyDerived.reserveBytesOnFirstRecord(1 << 20)
        for k in 0..<100 { mostlyDerived.append(k % 10 == 0 ? Self.record(k, length: 100) : []) }
        #expect(mostlyDerived.slackBytes >= (1 << 20) - 1_000)
        mostlyDerived.releaseUnusedSpace()
        #expect(mostlyDerived.storedBytes == 1_000 && mostlyDerived.slackBytes < 64)
        #expect(mostlyDerived.bytes(90) == Self.record(90, length: 100) && mostlyDerived.bytes(91).isEmpty)

        var full = RawArena()
        full.reserveBytesOnFirstRecord(10_000)
        for k in 0..<100 { full.append(Self.record(k, length: 100)) }
        full.releaseUnusedSpace()
        #expect(full.pages.count == 1 && full.storedBytes == 10_000)
    }
}
