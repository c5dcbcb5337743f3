import Testing
@testable import VigilStore

@Suite("ByteInterner")
struct ByteInternerTests {
    func intern(_ interner: inout ByteInterner, _ text: String) -> UInt32 {
        Array(text.utf8).withUnsafeBytes { interner.intern($0) }
    }

    @Test("equal bytes get one symbol, different bytes different ones, empty gets 0")
    func symbols() {
        var interner = ByteInterner()
        let a = intern(&interner, "eni-0a1")
        let b = intern(&interner, "eni-0a2")
        #expect(a != 0 && b != 0 && a != b)
        #expect(intern(&interner, "eni-0a1") == a)
        #expect(intern(&interner, "") == 0)
        #expect(interner.string(a) == "eni-0a1")
        #expect(interner.count == 3)
    }

    @Test("keeps every value through table growth, long and short, with colliding prefixes")
    func growth() {
        var interner = ByteInterner()
        var symbols: [String: UInt32] = [:]
        for k in 0..<20_000 {
            let text = k % 3 == 0 ? "10.0.\(k / 256).\(k % 256)" : String(repeating: "ua/\(k % 97) ", count: 1 + k % 9) + "\(k)"
            symbols[text] = intern(&interner, text)
        }
        #expect(Set(symbols.values).count == symbols.count)
        for (text, symbol) in symbols {
            #expect(intern(&interner, text) == symbol)
            #expect(interner.string(symbol) == text)
        }
    }
}

@Suite("TimeOrder")
struct TimeOrderTests {
    @Test("sorts by time, ties in row order, across negative and wide spans")
    func order() {
        var rng = SystemRandomNumberGenerator()
        for span in [Int64(0), 1, 255, 70_000, 1 << 40] {
            let time = (0..<5_000).map { _ in Int64.random(in: -span...span, using: &rng) }
            let expected = Array(0..<time.count).sorted { time[$0] == time[$1] ? $0 < $1 : time[$0] < time[$1] }
            #expect(TimeOrder.order(time) == expected, "span \(span)")
        }
        #expect(TimeOrder.order([]) == [])
        #expect(TimeOrder.order([Int64.min, Int64.max, 0]) == [0, 2, 1])
    }
}
