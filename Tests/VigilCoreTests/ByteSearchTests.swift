import Testing
@testable import VigilCore

@Suite("ByteSearch")
struct ByteSearchTests {
    func ci(_ haystack: String, _ needle: String) -> Bool {
        Array(haystack.utf8).withUnsafeBytes { ByteSearch.containsIgnoringCase($0, lowercased: Array(needle.lowercased().utf8)) }
    }

    @Test("finds needles anywhere, ignoring ASCII case", arguments: [
        ("AccessDenied", "accessdenied", true),
        ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxACCESSdenied", "accessdenied", true),
        ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxACCESSdenie", "accessdenied", false),
        ("@ccessDenied", "accessdenied", false),
        ("`ccessdenied", "accessdenied", false),
        ("prod-logs", "prod-", true),
        ("PROD_logs", "prod-", false),
        ("a", "ab", false),
        ("", "a", false),
        ("anything", "", true),
        ("{\"k\":\"Ünïcode\"}", "ünïcode", false),
        ("{\"k\":\"ünïcode\"}", "ünïcode", true),
        (String(repeating: "ab", count: 100) + "abc", "abc", true),
        ("1234567890123456-=", "-=", true),
    ])
    func caseInsensitive(haystack: String, needle: String, expected: Bool) {
        #expect(ci(haystack, needle) == expected, "\(haystack) / \(needle)")
    }

    @Test("agrees with a naive search on random text")
    func randomized() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aAbB-@`[{".utf8)
        for _ in 0..<500 {
            let h = (0..<Int.random(in: 0..<60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let n = (0..<Int.random(in: 1..<4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let lower = n.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            let folded = h.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            let naive = folded.count >= lower.count && (0...(folded.count - lower.count)).contains { Array(folded[$0..<($0 + lower.count)]) == lower }
            #expect(h.withUnsafeBytes { ByteSearch.containsIgnoringCase($0, lowercased: lower) } == naive)
            #expect(h.withUnsafeBytes { ByteSearch.contains($0, n) } == (h.count >= n.count && (0...(h.count - n.count)).contains { Array(h[$0..<($0 + n.count)]) == n }))
        }
    }
}

extension ByteSearchTests {
    func exact(_ haystack: String, _ needle: String) -> Bool {
        Array(haystack.utf8).withUnsafeBytes { ByteSearch.contains($0, Array(needle.utf8)) }
    }

    @Test("anchors skip a needle's structural edges, and stay apart otherwise")
    func anchors() {
        #expect(ByteSearch.anchors(Array("\"bucketName\"".utf8)) == (1, 10))
        #expect(ByteSearch.anchors(Array("accessdenied".utf8)) == (0, 11))
        #expect(ByteSearch.anchors(Array("\", \"".utf8)).0 == ByteSearch.anchors(Array("\", \"".utf8)).1)
        #expect(ByteSearch.anchors(Array("x".utf8)) == (0, 0))
    }

    @Test("needles with quotes at their edges are found where they are, and only there")
    func quotedKeys() {
        let filler = String(repeating: "\"k\":\"v\",", count: 20)
        let key = "\"bucketName\""
        #expect(exact("{" + filler + key + ":\"a\"}", key))
        #expect(exact(key, key))
        #expect(exact(filler + key, key))
        #expect(!exact("{" + filler + "\"bucketname\":\"a\"}", key))
        #expect(!exact("{" + filler + "bucketName:\"a\"}", key))
        #expect(!exact("{" + filler + "\"bucketName:\"a\"}", key))
        #expect(exact("{" + filler + "\", \"" + filler + "}", "\", \""))
        #expect(!exact("{" + filler + "}", "\", \""))
        #expect(ci(filler + "\"BUCKETNAME\"" + filler, "\"bucketname\""))
    }
}
