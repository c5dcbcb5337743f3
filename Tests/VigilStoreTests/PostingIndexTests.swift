import Testing
@testable import VigilStore

@Suite("PostingIndex")
struct PostingIndexTests {
    @Test("gives back exactly the ids of each symbol, across rebuilds and live additions")
    func roundTrip() {
        var rng = SystemRandomNumberGenerator()
        // Sparse and dense symbols, id 0, and gaps that need four and five varint bytes.
        var rows: [(Int, UInt32)] = [(0, 1), (1, 2), (3, 1), (200_000_000, 1), (3_000_000_000, 2)]
        for e in 4..<20_000 { rows.append((e, UInt32.random(in: 1...50, using: &rng))) }
        rows.sort { $0.0 < $1.0 }
        var index = PostingIndex()
        index.rebuild(eventCount: 3_000_000_001, symbolCount: 51) { emit in for (e, s) in rows { emit(e, s) } }
        var expected: [UInt32: [UInt32]] = [:]
        for (e, s) in rows { expected[s, default: []].append(UInt32(e)) }
        for s in UInt32(1)...50 {
            #expect(index.postings(s) == expected[s, default: []], "symbol \(s)")
            #expect(index.count(s) == expected[s, default: []].count)
        }
        #expect(index.postings(99).isEmpty)
        index.add(event: 3_000_000_005, symbol: 7)
        #expect(index.postings(7).last == 3_000_000_005)
        let counts = Dictionary(uniqueKeysWithValues: index.counts().map { ($0.symbol, $0.count) })
        #expect(counts[7] == expected[7, default: []].count + 1)
        #expect(counts[1] == expected[1]!.count)
        #expect(index.approximateBytes < rows.count * 3)
    }
}
