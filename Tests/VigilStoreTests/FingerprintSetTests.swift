import Testing
@testable import VigilStore
import VigilCore

@Suite("Fingerprint set")
struct FingerprintSetTests {
    /// A deterministic stream of odd 64-bit values (fingerprints are never 0).
    static func values(_ n: Int, seed: UInt64) -> [UInt64] {
        var x = seed
        return (0..<n).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return (x ^ (x >> 29)) | 1
        }
    }

    @Test("inserting reports new values once, across growth, and keeps every value")
    func insert() {
        var set = FingerprintSet()
        let values = Self.values(50_000, seed: 7)
        for v in values {
            let inserted = set.insert(v)
            #expect(inserted)
        }
        #expect(set.count == values.count)
        for v in values.prefix(1000) {
            let inserted = set.insert(v)
            #expect(!inserted)
        }
        #expect(set.count == values.count)
        #expect(set.elements.sorted() == values.sorted())
        set.removeAll()
        #expect(set.isEmpty)
        let again = set.insert(values[0])
        #expect(again)
    }

    @Test("values that share their low bits still land apart and are all found")
    func clusteredValues() {
        var set = FingerprintSet()
        let values = (0..<20_000).map { UInt64($0) << 40 | 1 }
        for v in values {
            let inserted = set.insert(v)
            #expect(inserted)
        }
        for v in values {
            let inserted = set.insert(v)
            #expect(!inserted)
        }
        #expect(set.count == values.count)
    }

    @Test("the radix sort sorts like the standard sort, small and large, duplicates and extremes included")
    func radixSort() {
        for n in [0, 1, 2, 100, 4095, 4096, 70_000] {
            var values = Self.values(n, seed: UInt64(n) + 3)
            if n > 10 { values += [0, .max, values[3], values[3]] }
            var sorted = values
            sorted.radixSort()
            #expect(sorted == values.sorted(), "n = \(n)")
        }
    }
}

@Suite("Record keys")
struct RecordKeyTests {
    @Test("ids differing in any byte, or in length, get different fingerprints; text and bytes agree")
    func distinct() {
        var ids: [String] = []
        for length in 0...40 {
            let base = String(repeating: "7", count: length)
            ids.append(base)
            for position in 0..<length {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "8")
                ids.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        var seen: [UInt64: String] = [:]
        for id in ids {
            let text = RecordKey.fingerprint(kind: .cloudTrail, id: id)
            let bytes = Array(id.utf8).withUnsafeBytes { RecordKey.fingerprint(kind: .cloudTrail, bytes: $0) }
            #expect(text == bytes, "\(id)")
            if let other = seen[text] { Issue.record("\(id) and \(other) collide") }
            seen[text] = id
        }
        #expect(RecordKey.fingerprint(kind: .cloudTrail, id: "x") != RecordKey.fingerprint(kind: .finding, id: "x"))
    }
}
