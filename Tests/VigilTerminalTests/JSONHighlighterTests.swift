import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("JSONHighlighter")
struct JSONHighlighterTests {
    let highlighter = JSONHighlighter()

    @Test("pretty-prints nested JSON with styled keys, strings, numbers and literals")
    func nested() {
        let json = #"{"eventName":"RunInstances","n":-1.5e3,"ok":true,"none":null,"tags":[],"obj":{},"items":[{"id":1},"x",[false]]}"#
        let lines = highlighter.lines(for: json)
        #expect(lines.map(\.plainText) == [
            "{",
            #"  "eventName": "RunInstances","#,
            #"  "n": -1.5e3,"#,
            #"  "ok": true,"#,
            #"  "none": null,"#,
            #"  "tags": [],"#,
            #"  "obj": {},"#,
            #"  "items": ["#,
            "    {",
            #"      "id": 1"#,
            "    },",
            #"    "x","#,
            "    [",
            "      false",
            "    ]",
            "  ]",
            "}",
        ])
        #expect(lines[1].spans == [
            Span("  "), Span(#""eventName""#, .jsonKey), Span(": ", .jsonPunctuation),
            Span(#""RunInstances""#, .jsonString), Span(",", .jsonPunctuation),
        ])
        #expect(lines[2].spans[3] == Span("-1.5e3", .jsonNumber))
        #expect(lines[3].spans[3] == Span("true", .jsonLiteral))
    }

    @Test("draws into a buffer (snapshot)")
    func snapshot() {
        let json = #"{"userIdentity":{"type":"IAMUser","userName":"東京-admin"},"sourceIPAddress":"203.0.113.7","requestParameters":{"bucketName":"evidence","ports":[22,3389]}}"#
        var buffer = ScreenBuffer(width: 40, height: 14)
        TextView(lines: highlighter.lines(for: json)).draw(into: &buffer, in: buffer.bounds, state: TextViewState())
        assertSnapshot(buffer, named: "json-detail")
        assertSnapshot(buffer, named: "json-detail-styled", styled: true)
    }

    @Test("invalid JSON is shown as plain sanitised text", arguments: [
        #"{"a": 1"#, #"{"a" 1}"#, "not json at all", #"{"a": tru}"#, #"[1, 2,]"#, #"{"a": "unterminated}"#,
        "", "   ", #"{"a": 01x}"#,
    ])
    func invalid(text: String) {
        let lines = highlighter.lines(for: text)
        #expect(lines.map(\.plainText) == text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        #expect(lines.allSatisfy { $0.spans.allSatisfy { $0.style == .plain } })
    }

    @Test("hostile strings are sanitised and escapes stay visible")
    func hostile() {
        let raw = "{\"ua\":\"curl\u{202E}gpj.exe\",\"p\":\"\\u001b]0;pwned\\u0007\"}"
        let lines = highlighter.lines(for: raw)
        #expect(lines[1].plainText == #"  "ua": "curl<U+202E>gpj.exe","#)
        #expect(lines[2].plainText == #"  "p": "\u001b]0;pwned\u0007""#)
        let plain = highlighter.lines(for: "bad\u{1b}[2J\r\nline")
        #expect(plain.map(\.plainText) == ["bad\\x1B[2J\\r", "line"])
    }

    @Test("several top-level values (JSON lines) follow one another")
    func jsonLines() {
        let lines = highlighter.lines(for: "{\"a\":1}\n{\"b\":2}\n")
        #expect(lines.map(\.plainText) == ["{", #"  "a": 1"#, "}", "{", #"  "b": 2"#, "}"])
    }

    @Test("nesting deeper than the limit falls back to plain text")
    func deepNesting() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let lines = highlighter.lines(for: deep)
        #expect(lines.count == 1 && lines[0].plainText == deep)
        let ok = JSONHighlighter(maxDepth: 400).lines(for: deep)
        #expect(ok.count > 1)
    }

    @Test("bytes and invalid UTF-8 are accepted")
    func bytes() {
        let lines = highlighter.lines(for: [UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\"")])
        #expect(lines.map(\.plainText) == ["\"\u{FFFD}\""])
        #expect(lines[0].spans[0].style == Style(.jsonString))
    }
}
