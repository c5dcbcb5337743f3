import Testing
@testable import VigilTerminal

@Suite("TerminalColor")
struct TerminalColorTests {
    @Test("parses names, indices and hex", arguments: [
        ("default", TerminalColor.default),
        ("red", .red),
        ("Bright-Red", .brightRed),
        ("bright_blue", .brightBlue),
        ("brightwhite", .brightWhite),
        ("grey", .brightBlack),
        ("0", .indexed(0)),
        ("255", .indexed(255)),
        ("#ff8000", .rgb(255, 128, 0)),
        ("#F80", .rgb(255, 136, 0)),
        (" cyan ", .cyan),
    ])
    func parses(text: String, expected: TerminalColor) {
        #expect(TerminalColor(parsing: text) == expected)
    }

    @Test("rejects bad colours", arguments: ["256", "-1", "#12345", "#gg0000", "purple", "", "bright-pink", "#"])
    func rejects(text: String) {
        #expect(TerminalColor(parsing: text) == nil)
    }

    @Test("description reads back", arguments: [
        TerminalColor.default, .red, .brightCyan, .indexed(67), .rgb(1, 171, 255),
    ])
    func roundTrip(color: TerminalColor) {
        #expect(TerminalColor(parsing: color.description) == color)
    }

    @Test("hex maps to the nearest xterm-256 colour", arguments: [
        ("#000000", 16), ("#ffffff", 231), ("#ff0000", 196), ("#5f87af", 67), ("#808080", 244),
        ("#767676", 243), ("#eeeeee", 255), ("#ff8700", 208), ("#0072b2", 25), ("#e69f00", 178),
        ("#010101", 16), ("#080808", 232),
    ])
    func hexTo256(hex: String, expected: Int) throws {
        let color = try #require(TerminalColor(parsing: hex))
        #expect(color.resolved(for: .xterm256) == expected)
    }

    @Test("on 8-colour terminals colours map to the nearest basic colour", arguments: [
        (TerminalColor.rgb(250, 10, 10), 1), (.rgb(10, 10, 10), 0), (.rgb(240, 240, 240), 7),
        (.rgb(0, 200, 220), 6), (.indexed(196), 1), (.indexed(231), 7), (.brightRed, 1), (.brightBlack, 7),
        (.indexed(4), 4), (.indexed(24), 6), (.indexed(236), 0), (.indexed(245), 7), (.rgb(0x80, 0x80, 0x80), 7),
    ])
    func toEight(color: TerminalColor, expected: Int) {
        #expect(color.resolved(for: .eight) == expected)
    }

    @Test("16-colour terminals keep bright colours; default is always -1; no colour gives -1")
    func otherDepths() {
        #expect(TerminalColor.brightRed.resolved(for: .sixteen) == 9)
        #expect(TerminalColor.rgb(255, 0, 0).resolved(for: .sixteen) == 9)
        #expect(TerminalColor.indexed(196).resolved(for: .sixteen) == 9)
        for depth in ColorDepth.allCases { #expect(TerminalColor.default.resolved(for: depth) == -1) }
        #expect(TerminalColor.red.resolved(for: .none) == -1)
        #expect(TerminalColor.indexed(200).resolved(for: .xterm256) == 200)
    }

    @Test("colour depth from curses' COLORS", arguments: [(0, ColorDepth.none), (2, .none), (8, .eight), (16, .sixteen), (88, .sixteen), (256, .xterm256), (16_777_216, .xterm256)])
    func depth(colors: Int, expected: ColorDepth) {
        #expect(ColorDepth(colors: colors) == expected)
    }
}
