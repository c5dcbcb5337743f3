import Testing
@testable import VigilCore

@Suite("DisplayWidth")
struct DisplayWidthTests {
    @Test("counts terminal columns", arguments: [
        ("abc", 3), ("東京", 4), ("🔥x", 3), ("e\u{301}", 1), ("", 0), ("한국어", 6), ("ｆｕｌｌ", 8), ("a\u{200B}b", 2),
    ])
    func columns(text: String, width: Int) {
        #expect(DisplayWidth.columns(of: text) == width)
    }

    @Test("truncates and pads by columns, never splitting a wide character")
    func truncation() {
        #expect(DisplayWidth.truncate("東京リージョン", to: 5) == "東京…")
        #expect(DisplayWidth.columns(of: DisplayWidth.truncate("東京リージョン", to: 5)) <= 5)
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
        #expect(DisplayWidth.pad("東", to: 4) == "東  ")
        #expect(DisplayWidth.pad("7", to: 3, alignRight: true) == "  7")
        for width in 1...12 {
            #expect(DisplayWidth.columns(of: DisplayWidth.pad("🔥東京abc", to: width)) == width)
        }
    }
}
