import Testing
@testable import VigilDetect

@Suite("FoldIndex")
struct FoldIndexTests {
    @Test("finds every key it was given, through growth and overwrites, and nothing else")
    func keepsWhatItIsGiven() {
        var index = FoldIndex()
        // Rule in the high half, principal symbol in the low half, as the engine packs them.
        let keys = (1...5000).map { UInt64($0 % 7) << 32 | UInt64($0) }
        for (k, key) in keys.enumerated() { index.set(key, k) }
        #expect(keys.enumerated().allSatisfy { index[$1] == $0 })
        index.set(keys[10], 99_999)
        #expect(index[keys[10]] == 99_999 && index[keys[11]] == 11)
        #expect(index[UInt64(8) << 32 | 1] == nil)
        #expect(index[UInt64(3) << 32 | 4] == nil)   // 4 % 7 is 4, not 3
    }
}
