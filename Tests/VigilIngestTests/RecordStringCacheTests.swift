import Testing
import VigilCore
@testable import VigilIngest

@Suite("RecordStringCache")
struct RecordStringCacheTests {
    @Test("returns exactly the value, whether cached, evicted or not cacheable")
    func values() {
        var cache = RecordStringCache()
        var rng = SystemRandomNumberGenerator()
        let pool = (0..<3000).map { "arn:aws:iam::111122223333:role/service-role-\($0)" } + ["short", "", "x\\\"escaped\\\"-value-long-enough"]
        for _ in 0..<20_000 {
            let value = pool.randomElement(using: &rng)!
            let json = Array("\"\(value)\"".utf8)
            let got = json.withUnsafeBytes { b -> String? in
                var i = 0
                let ref = try! JSONScanner.scanValue(b, &i)
                return cache.string(b, ref)
            }
            let expected = json.withUnsafeBytes { b -> String in
                var i = 0
                return JSONScanner.decodeString(b, try! JSONScanner.scanValue(b, &i))
            }
            #expect(got == (expected.isEmpty ? "" : expected))
        }
    }
}
