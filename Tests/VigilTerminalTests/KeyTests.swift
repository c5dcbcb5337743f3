import Testing
@testable import VigilTerminal

@Suite("Keys")
struct KeyTests {
    @Test("character codes map to keys", arguments: [
        (UInt32(0x0D), Key.enter), (0x0A, .enter), (0x09, .tab), (0x1B, .escape), (0x7F, .backspace),
        (0x08, .backspace), (0x04, .ctrl("d")), (0x15, .ctrl("u")), (0x01, .ctrl("a")), (0x1A, .ctrl("z")),
        (0x00, .ctrl(" ")), (0x1F, .ctrl("_")), (0x71, .char("q")), (0x47, .char("G")),
        (0x6771, .char("東")), (0x1F525, .char("🔥")), (0x9B, .unknown(0x9B)),
    ])
    func decode(code: UInt32, key: Key) {
        #expect(KeyDecoder.key(forCharacterCode: code) == key)
    }

    @Test("keys have readable names", arguments: [
        (Key.char("q"), "q"), (.char(" "), "Space"), (.ctrl("d"), "C-d"), (.backTab, "S-Tab"),
        (.function(5), "F5"), (.pageDown, "PgDn"), (.mouse(.click(Point(x: 3, y: 4))), "Mouse(click (3, 4))"),
    ])
    func names(key: Key, name: String) {
        #expect(key.description == name)
    }

    @Test("mouse events carry their point")
    func mousePoint() {
        #expect(MouseEvent.wheelDown(Point(x: 1, y: 2)).point == Point(x: 1, y: 2))
    }
}
