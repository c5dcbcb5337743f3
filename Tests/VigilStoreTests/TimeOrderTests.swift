import Testing
@testable import VigilStore

@Suite("Time order")
struct TimeOrderTests {
    /// The order a stable comparison sort gives.
    static func reference(_ time: [Int64]) -> [Int] {
        Array(time.indices).sorted { time[$0] == time[$1] ? $0 < $1 : time[$0] < time[$1] }
    }

    /// Deterministic times: few distinct values (many ties), a wide span with negatives, and runs in order.
    static func times(_ n: Int, seed: UInt64, shape: Int) -> [Int64] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        return (0..<n).map { i in
            switch shape {
            case 0: Int64(next() % 7) * 1000                                        // ties everywhere
            case 1: Int64(bitPattern: next() << 11) / 3                            // the whole range, negatives too
            case 2: 1_772_000_000_000 + Int64(i / 3) * 1000 - Int64(next() % 5000)  // nearly in order
            default: 1_772_000_000_000 + Int64(next() % 86_400_000)               // a day of milliseconds
            }
        }
    }

    @Test("matches a stable sort, on one core and split over two", arguments: [0, 1, 2, 3])
    func stable(shape: Int) {
        for n in [0, 1, 2, 3, 17, 1000, 4099] {
            let time = Self.times(n, seed: UInt64(n * 31 + shape), shape: shape)
            let expected = Self.reference(time)
            #expect(TimeOrder.order(time, parallelFrom: .max) == expected, "n \(n) one core")
            #expect(TimeOrder.order(time, parallelFrom: 2) == expected, "n \(n) two halves")
        }
    }

    @Test("packed keys give the same order and the times in it, or decline when row and span do not fit 64 bits",
          arguments: [0, 1, 2, 3])
    func packed(shape: Int) {
        for n in [0, 1, 2, 3, 17, 1000, 4099] {
            let time = Self.times(n, seed: UInt64(n * 17 + shape), shape: shape)
            let expected = Self.reference(time)
            for threshold in [Int.max, 2] {
                guard let (rows, times) = TimeOrder.packedOrder(time, parallelFrom: threshold) else {
                    // Only the whole-range shape spans more than 64 bits less the row bits.
                    #expect(shape == 1 && n > 1, "n \(n) declined")
                    continue
                }
                #expect(rows.map(Int.init) == expected, "n \(n) threshold \(threshold)")
                #expect(times == expected.map { time[$0] }, "n \(n) threshold \(threshold)")
            }
        }
    }

    @Test("sorts by time, ties in row order, across negative and wide spans")
    func spans() {
        var rng = SystemRandomNumberGenerator()
        for span in [Int64(0), 1, 255, 70_000, 1 << 40] {
            let time = (0..<5_000).map { _ in Int64.random(in: -span...span, using: &rng) }
            let expected = Self.reference(time)
            #expect(TimeOrder.order(time) == expected, "span \(span)")
            #expect(TimeOrder.order(time, parallelFrom: 2) == expected, "span \(span), two halves")
        }
        #expect(TimeOrder.order([]) == [])
        #expect(TimeOrder.order([Int64.min, Int64.max, 0]) == [0, 2, 1])
        #expect(TimeOrder.order([Int64.min, Int64.max, 0], parallelFrom: 2) == [0, 2, 1])
    }

    @Test("equal times keep their rows' order across the halves")
    func tiesAcrossHalves() {
        let time: [Int64] = [5, 5, 1, 5, 5, 1, 5, 1]
        #expect(TimeOrder.order(time, parallelFrom: 2) == [2, 5, 7, 0, 1, 3, 4, 6])
    }
}
