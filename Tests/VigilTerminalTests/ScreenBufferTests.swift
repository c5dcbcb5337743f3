import Testing
@testable import VigilTerminal

@Suite("ScreenBuffer")
struct ScreenBufferTests {
    @Test("writes text and trims trailing spaces in renderText")
    func basicPut() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        let next = buffer.put("hello", at: Point(x: 1, y: 0))
        #expect(next == 6)
        #expect(buffer.renderText() == " hello\n")
    }

    @Test("clips at the clip rect and at the buffer edge")
    func clipping() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        buffer.put("abcdefgh", at: Point(x: 0, y: 0), clipTo: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(buffer.renderText() == "  cde")
        buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("abcdefgh", at: Point(x: 2, y: 0))
        #expect(buffer.renderText() == "  abc")
        buffer.put("zz", at: Point(x: -1, y: 0))
        #expect(buffer.renderText() == "z abc")
        buffer.put("off", at: Point(x: 0, y: 3))
        #expect(buffer.renderText() == "z abc")
    }

    @Test("wide characters take two cells", arguments: ["東京", "🔥🔥", "한국"])
    func wideCharacters(text: String) {
        var buffer = ScreenBuffer(width: 6, height: 1)
        let next = buffer.put(text, at: Point(x: 1, y: 0))
        #expect(next == 5)
        #expect(buffer[1, 0].width == 2)
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer[3, 0].width == 2)
        #expect(buffer.renderText() == " " + text)
    }

    /// A wide character that does not fit whole inside the clip becomes a space: never half a glyph.
    @Test("a wide character cut by the right clip edge becomes a space", arguments: [
        ("東京タワー", 5, "東京 "),
        ("a東京", 4, "a東 "),
        ("🔥x", 1, " "),
        ("ab🔥", 3, "ab "),
    ])
    func wideAtRightEdge(text: String, width: Int, expected: String) {
        var buffer = ScreenBuffer(width: 12, height: 1)
        buffer.fill(buffer.bounds, with: "#")
        buffer.put(text, at: Point(x: 1, y: 0), clipTo: Rect(x: 1, y: 0, width: width, height: 1))
        #expect(buffer.text(row: 0, from: 1, to: 1 + width) == expected)
        // Nothing outside the clip changed.
        #expect(buffer.text(row: 0, from: 0, to: 1) == "#")
        #expect(buffer.text(row: 0, from: 1 + width, to: 12) == String(repeating: "#", count: 11 - width))
    }

    @Test("a wide character cut by the left clip edge becomes a space")
    func wideAtLeftEdge() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        buffer.fill(buffer.bounds, with: "#")
        // "東" would cover columns 1–2 but the clip starts at 2: column 1 is outside and keeps its "#".
        buffer.put("東x", at: Point(x: 1, y: 0), clipTo: Rect(x: 2, y: 0, width: 4, height: 1))
        #expect(buffer.renderText() == "## x####")
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("東京", at: .zero)
        buffer.put("a", at: Point(x: 1, y: 0))  // right half of 東
        #expect(buffer.renderText() == " a京")
        buffer.put("b", at: Point(x: 2, y: 0))  // left half of 京
        #expect(buffer.renderText() == " ab")
        #expect(!buffer[3, 0].isContinuation)
        var other = ScreenBuffer(width: 6, height: 1)
        other.put("abcd", at: .zero)
        other.put("東", at: Point(x: 1, y: 0))
        #expect(other.renderText() == "a東d")
    }

    @Test("CJK and emoji inside a box never spill over the border")
    func wideInsideBox() {
        var buffer = ScreenBuffer(width: 9, height: 3)
        let inner = Box("x").draw(into: &buffer, in: buffer.bounds)
        buffer.put("東京🔥リージョン", at: inner.origin, clipTo: inner)
        let lines = buffer.renderText().split(separator: "\n").map(String.init)
        #expect(lines[1] == "│東京🔥 │")
        #expect(buffer[8, 1].character == "│")
    }

    static let hostile: [String] = [
        "\u{1b}[2Jcleared",
        "\u{1b}]0;pwned\u{07}title",
        "safe\u{202E}txt.exe",
        "zero\u{200B}width\u{2060}joiner\u{FEFF}",
        "bell\u{07}\u{08}\u{7f}\u{9b}31m",
        "line\r\nbreak\ttab",
        "\u{1b}P+q\u{1b}\\dcs",
    ]

    @Test("hostile text never reaches cells as control or invisible characters", arguments: hostile)
    func sanitises(text: String) {
        var buffer = ScreenBuffer(width: 80, height: 1)
        buffer.put(text, at: .zero)
        buffer.put(StyledText(text, .jsonString), at: Point(x: 40, y: 0))
        for x in 0..<80 {
            for scalar in buffer[x, 0].character.unicodeScalars {
                let v = scalar.value
                #expect(v >= 0x20 && !(0x7F..<0xA0).contains(v), "control U+\(String(v, radix: 16)) in cell \(x)")
                #expect(!(0x200B...0x200F).contains(v) && !(0x202A...0x202E).contains(v) && v != 0xFEFF && v != 0x2060)
            }
        }
    }

    @Test("escape sequences are shown as visible text")
    func visiblePlaceholders() {
        var buffer = ScreenBuffer(width: 40, height: 3)
        buffer.put("\u{1b}[2J", at: .zero)
        buffer.put("\u{1b}]0;pwned\u{07}", at: Point(x: 0, y: 1))
        buffer.put("a\u{202E}b", at: Point(x: 0, y: 2))
        #expect(buffer.renderText() == "\\x1B[2J\n\\x1B]0;pwned\\x07\na<U+202E>b")
    }

    @Test("fill, setStyle and setRole")
    func fillAndStyle() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        buffer.fill(Rect(x: 1, y: 0, width: 2, height: 2), with: "x", style: Style(.muted))
        #expect(buffer.renderText() == " xx\n xx")
        #expect(buffer[1, 1].style == Style(.muted))
        buffer.put("B", at: .zero, style: Style(.text, .bold))
        buffer.setRole(.selection, in: Rect(x: 0, y: 0, width: 4, height: 1))
        #expect(buffer[0, 0].style == Style(.selection, .bold))
        #expect(buffer[1, 0].style == Style(.selection))
        buffer.setStyle(Style(.error), in: buffer.bounds)
        #expect(buffer[0, 0].style == Style(.error))
        buffer.fill(Rect(x: 0, y: 0, width: 4, height: 1), with: "\u{1b}")
        #expect(buffer.renderText().hasPrefix("\\\\\\\\"))
    }

    @Test("renderStyled marks style changes")
    func styled() {
        var buffer = ScreenBuffer(width: 12, height: 2)
        buffer.put("!!", at: .zero, style: Style(.severityCritical))
        buffer.put(" ok", at: Point(x: 2, y: 0))
        buffer.put("key", at: Point(x: 0, y: 1), style: Style(.jsonKey, [.bold, .underline]))
        #expect(buffer.renderStyled() == "{severity-critical}!!{text} ok\n{json-key+bold+underline}key")
    }

    @Test("out-of-range reads give a blank cell")
    func subscriptOutOfRange() {
        let buffer = ScreenBuffer(width: 2, height: 2)
        #expect(buffer[5, 5] == .blank)
        #expect(buffer[-1, 0] == .blank)
        #expect(ScreenBuffer(width: -1, height: 3).size == Size(width: 0, height: 3))
    }
}

extension ScreenBuffer {
    /// The characters of columns `from..<to` on one row (continuation cells skipped), untrimmed.
    func text(row y: Int, from start: Int, to end: Int) -> String {
        var text = ""
        for x in start..<end where !self[x, y].isContinuation { text.append(self[x, y].character) }
        return text
    }
}
