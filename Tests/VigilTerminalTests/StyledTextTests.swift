import Testing
@testable import VigilTerminal

@Suite("StyledText")
struct StyledTextTests {
    @Test("append merges neighbours of one style")
    func appendMerges() {
        var line = StyledText("ab")
        line.append("cd")
        line.append("!", .error)
        #expect(line.spans == [Span("abcd"), Span("!", .error)])
        #expect(line.width == 5)
        #expect((line + StyledText("x", .error)).spans.last == Span("!x", .error))
    }

    @Test("width and plain text are measured after sanitising")
    func widthAfterSanitising() {
        let line = StyledText("a\u{1b}b")
        #expect(line.plainText == "a\\x1Bb")
        #expect(line.width == 6)
    }

    @Test("truncates by display width with an ellipsis", arguments: [
        ("abcdef", 4, "abc…"),
        ("abc", 3, "abc"),
        ("東京リージョン", 5, "東京…"),
        ("東京", 3, "東…"),
        ("abc", 0, ""),
    ])
    func truncation(text: String, width: Int, expected: String) {
        let cut = StyledText(text).truncated(to: width)
        #expect(cut.plainText == expected)
        #expect(cut.width <= max(0, width))
    }

    @Test("truncation keeps span styles")
    func truncationStyles() {
        let line = StyledText([Span("ab", .jsonKey), Span("cdef", .jsonString)]).truncated(to: 4)
        #expect(line.spans == [Span("ab", .jsonKey), Span("c…", .jsonString)])
    }

    @Test("pads to exact width, left or right aligned")
    func padding() {
        #expect(StyledText("7").padded(to: 3, alignRight: true).plainText == "  7")
        #expect(StyledText("東").padded(to: 3).plainText == "東 ")
        for width in 1...10 {
            #expect(StyledText("🔥東京abc").padded(to: width).width == width)
        }
    }

    @Test("wraps at spaces and by display width")
    func wrapping() {
        let lines = StyledText("the quick brown fox jumps").wrapped(to: 10).map(\.plainText)
        #expect(lines == ["the quick", "brown fox", "jumps"])
        let cjk = StyledText("東京大阪名古屋").wrapped(to: 5).map(\.plainText)
        #expect(cjk == ["東京", "大阪", "名古", "屋"])
        #expect(StyledText("averyveryverylongword").wrapped(to: 8).map(\.plainText) == ["averyver", "yverylon", "gword"])
        #expect(StyledText("").wrapped(to: 5).count == 1)
        #expect(StyledText("東").wrapped(to: 1).map(\.plainText) == ["東"])
    }

    @Test("highlights matches case-insensitively across spans")
    func highlighting() {
        let line = StyledText([Span("Run", .jsonKey), Span("Instances run", .text)]).highlighting("RUNin")
        #expect(line.spans == [Span("RunIn", .searchMatch), Span("stances run")])
        #expect(StyledText("abc").highlighting("x") == StyledText("abc"))
        #expect(StyledText("abc").highlighting("") == StyledText("abc"))
    }
}
