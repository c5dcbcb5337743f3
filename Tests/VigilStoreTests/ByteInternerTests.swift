import Testing
import VigilCore
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

extension ByteInternerTests {
    @Test("the hash reads a word-long tail in one load, and gives what reading it byte by byte gives")
    func tailHash() {
        func reference(_ b: [UInt8], seed: UInt64) -> UInt32 {
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ seed ^ UInt64(b.count)
            var i = 0
            while i + 8 <= b.count {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(b[i + k]) << UInt64(8 * k) }
                h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 29
                i += 8
            }
            if i < b.count {
                var tail: UInt64 = 0
                for k in i..<b.count { tail |= UInt64(b[k]) << UInt64(8 * (k - i)) }
                h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            }
            h ^= h >> 32
            h = h &* 0xD6E8_FEB8_6659_FD93
            h ^= h >> 32
            return UInt32(truncatingIfNeeded: h)
        }
        for n in 0...41 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(bytes.withUnsafeBytes { ByteInterner.hash($0) } == reference(bytes, seed: System.hashSeed), "\(n) bytes")
            #expect(bytes.withUnsafeBytes { ByteInterner.hash($0, seed: 42) } == reference(bytes, seed: 42), "\(n) bytes")
        }
    }

    @Test("the hash depends on the process's seed, so colliding values cannot be prepared offline")
    func seededHash() {
        // Values that share their low bits under one seed do not under another (the interner's home slot is the
        // hash's low bits).
        let words = (0..<64).map { Array("agent-\($0)".utf8) }
        let underA = words.map { w in w.withUnsafeBytes { ByteInterner.hash($0, seed: 1) } }
        let underB = words.map { w in w.withUnsafeBytes { ByteInterner.hash($0, seed: 2) } }
        #expect(zip(underA, underB).filter { $0 == $1 }.count < 2)
        // Symbols do not depend on the seed: they are numbered in the order values arrive.
        let interner = ByteInterner()
        let symbols = words.map { w in w.withUnsafeBytes { interner.intern($0) } }
        #expect(symbols == (1...64).map(UInt32.init))
    }
}
