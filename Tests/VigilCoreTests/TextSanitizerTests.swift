import Testing
@testable import VigilCore

@Suite("TextSanitizer")
struct TextSanitizerTests {
    @Test("turns hostile characters into visible placeholders", arguments: [
        ("\u{1B}]0;pwned\u{07}", "\\x1B]0;pwned\\x07"),
        ("\u{1B}[2J\u{1B}[H", "\\x1B[2J\\x1B[H"),
        ("line\nbreak\r\ttab", "line\\nbreak\\r\\ttab"),
        ("evil\u{202E}txt.exe", "evil<U+202E>txt.exe"),
        ("zero\u{200B}width", "zero<U+200B>width"),
        ("\u{9B}31m", "\\x9B31m"),
        ("del\u{7F}", "del\\x7F"),
        ("iso\u{2066}late\u{2069}", "iso<U+2066>late<U+2069>"),
        ("\u{FEFF}bom", "<U+FEFF>bom"),
    ])
    func escapes(input: String, expected: String) {
        #expect(TextSanitizer.sanitize(input) == expected)
        #expect(!TextSanitizer.isSafe(input))
    }

    @Test("leaves ordinary text alone, including CJK and emoji", arguments: [
        "aws-cli/2.15.0 Python/3.11.6", "東京リージョン", "🔥 alert", "café", "",
    ])
    func passes(input: String) {
        #expect(TextSanitizer.sanitize(input) == input)
        #expect(TextSanitizer.isSafe(input))
    }

    @Test("the sanitised form never contains a control or bidi character")
    func exhaustiveLowRange() {
        var all = ""
        for v in 0..<0x3000 { if let s = Unicode.Scalar(v) { all.unicodeScalars.append(s) } }
        all.unicodeScalars.append(contentsOf: [Unicode.Scalar(0xFEFF)!, Unicode.Scalar(0xE0041)!])
        let out = TextSanitizer.sanitize(all)
        for scalar in out.unicodeScalars {
            #expect(scalar.value >= 0x20 && !(0x7F..<0xA0).contains(scalar.value))
            #expect(!TextSanitizer.isInvisibleFormat(scalar.value))
        }
    }
}
