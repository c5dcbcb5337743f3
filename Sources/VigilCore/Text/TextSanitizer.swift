/// Makes attacker-controlled text safe to show in a terminal or a report.
///
/// Log fields such as user agents and request parameters are written by whoever made the request. Shown raw they
/// could move the cursor, change the window title (OSC), hide text with bidi overrides or zero-width characters,
/// or ring the bell. Every such character becomes a visible placeholder instead:
/// C0/C1 controls and DEL as `\xNN` (with `\n`, `\r`, `\t` spelled out), bidi controls and invisible formatting
/// characters as `<U+XXXX>`. Printable text, including CJK and emoji, passes unchanged.
public enum TextSanitizer {
    /// Returns `text` with every unsafe scalar replaced by a visible escape.
    public static func sanitize(_ text: String) -> String {
        if isSafe(text) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                let hex = String(v, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default:
                if isInvisibleFormat(v) {
                    let hex = String(v, radix: 16, uppercase: true)
                    out += "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// True when nothing in `text` needs escaping (the common case, checked without allocating).
    public static func isSafe(_ text: String) -> Bool {
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F { return false }
            if byte >= 0x80 {
                // Non-ASCII: check scalars properly.
                for scalar in text.unicodeScalars {
                    let v = scalar.value
                    if v < 0x20 || (v >= 0x7F && v < 0xA0) || isInvisibleFormat(v) { return false }
                }
                return true
            }
        }
        return true
    }

    /// Bidi embeddings, overrides and isolates; zero-width and other invisible formatting characters; the BOM.
    @inline(__always)
    public static func isInvisibleFormat(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD,                 // soft hyphen
             0x061C,                 // Arabic letter mark
             0x180E,                 // Mongolian vowel separator
             0x200B...0x200F,        // zero-width space/joiners, LRM, RLM
             0x2028, 0x2029,         // line and paragraph separators
             0x202A...0x202E,        // bidi embeddings and overrides
             0x2060...0x2064,        // word joiner, invisible operators
             0x2066...0x2069,        // bidi isolates
             0x206A...0x206F,        // deprecated formatting
             0xFEFF,                 // BOM / zero-width no-break space
             0xFFF9...0xFFFB,        // interlinear annotation
             0xE0000...0xE007F:      // tag characters
            return true
        default:
            return false
        }
    }
}
