import VigilCore

/// One screen cell: a grapheme, how many columns it takes, and its style.
///
/// A wide character (CJK, most emoji) sits in its first cell with `width` 2; the cell to its right is a
/// continuation (`width` 0) that the backend skips, because the terminal draws the character over both.
public struct Cell: Hashable, Sendable {
    public var character: Character
    /// 1 or 2 for a cell that starts a character, 0 for the right half of a wide one.
    public var width: UInt8
    public var style: Style

    public init(_ character: Character, width: UInt8 = 1, style: Style = .plain) {
        self.character = character
        self.width = width
        self.style = style
    }

    /// An empty cell in plain text style.
    public static let blank = Cell(" ")

    /// True for the right half of a wide character.
    public var isContinuation: Bool { width == 0 }

    /// Columns a grapheme takes: the sum of its scalars' widths, at most 2 (a flag's two regional
    /// indicators or a Hangul syllable spelled in jamo are still one double-width glyph).
    public static func width(of character: Character) -> Int {
        if character.utf8.count == 1 { return 1 }  // ASCII fast path: sanitised text has no controls
        var total = 0
        for scalar in character.unicodeScalars { total += DisplayWidth.columns(of: scalar) }
        return Swift.min(2, total)
    }
}
