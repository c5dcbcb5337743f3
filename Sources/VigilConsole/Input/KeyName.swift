import VigilTerminal

/// Reads key names as the config file and help overlay write them (`Key.description`'s form):
/// `q`, `G`, `Space`, `Enter`, `Esc`, `Tab`, `S-Tab`, `C-d`, `PgDn`, `F5`, `Up`…
enum KeyName {
    private static let named: [String: Key] = [
        "space": .char(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab,
        "s-tab": .backTab, "backtab": .backTab, "backspace": .backspace, "delete": .delete, "del": .delete,
        "up": .up, "down": .down, "left": .left, "right": .right, "home": .home, "end": .end,
        "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
    ]

    /// The key a name stands for, or nil when it is not one.
    static func parse(_ text: String) -> Key? {
        if text.count == 1, let c = text.first {
            return c.isWhitespace ? nil : .char(c)
        }
        let lower = text.lowercased()
        if let key = named[lower] { return key }
        if lower.hasPrefix("c-"), text.count == 3, let c = lower.last, c.isLetter || "@[\\]^_ ".contains(c) {
            return .ctrl(c)
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) { return .function(n) }
        return nil
    }
}
