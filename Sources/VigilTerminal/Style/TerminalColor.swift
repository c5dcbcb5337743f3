/// A colour as a theme names it: the terminal's default, a palette index, or an exact RGB value.
///
/// The backend resolves it to what the terminal can show (`resolved(for:)`): RGB to the nearest xterm-256
/// colour, or to the nearest of the 8 or 16 basic colours on smaller terminals.
public enum TerminalColor: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's own foreground or background (so a dark or light terminal keeps its look).
    case `default`
    /// A palette index: 0–7 the basic colours, 8–15 their bright variants, 16–255 the xterm cube and greys.
    case indexed(UInt8)
    /// An exact colour, mapped to the nearest palette entry when drawn.
    case rgb(UInt8, UInt8, UInt8)

    public static let black = TerminalColor.indexed(0)
    public static let red = TerminalColor.indexed(1)
    public static let green = TerminalColor.indexed(2)
    public static let yellow = TerminalColor.indexed(3)
    public static let blue = TerminalColor.indexed(4)
    public static let magenta = TerminalColor.indexed(5)
    public static let cyan = TerminalColor.indexed(6)
    public static let white = TerminalColor.indexed(7)
    public static let brightBlack = TerminalColor.indexed(8)
    public static let brightRed = TerminalColor.indexed(9)
    public static let brightGreen = TerminalColor.indexed(10)
    public static let brightYellow = TerminalColor.indexed(11)
    public static let brightBlue = TerminalColor.indexed(12)
    public static let brightMagenta = TerminalColor.indexed(13)
    public static let brightCyan = TerminalColor.indexed(14)
    public static let brightWhite = TerminalColor.indexed(15)

    static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses a theme-file colour: a name (`red`, `bright-red`, `default`), an index `0`–`255`, or `#rrggbb`.
    public init?(parsing text: String) {
        let name = text.trimmingWhitespace().lowercased()
        if name == "default" || name == "none" {
            self = .default
        } else if name.hasPrefix("#") {
            guard let rgb = Self.parseHex(name.dropFirst()) else { return nil }
            self = .rgb(rgb.0, rgb.1, rgb.2)
        } else if let index = Int(name) {
            guard (0...255).contains(index) else { return nil }
            self = .indexed(UInt8(index))
        } else if let basic = Self.basicNames.firstIndex(of: name) {
            self = .indexed(UInt8(basic))
        } else if name == "gray" || name == "grey" {
            self = .brightBlack
        } else if let rest = Self.dropBrightPrefix(name), let basic = Self.basicNames.firstIndex(of: rest) {
            self = .indexed(UInt8(basic + 8))
        } else {
            return nil
        }
    }

    /// The theme-file spelling, which `init(parsing:)` reads back.
    public var description: String {
        switch self {
        case .default: return "default"
        case .indexed(let n) where n < 8: return Self.basicNames[Int(n)]
        case .indexed(let n) where n < 16: return "bright-" + Self.basicNames[Int(n) - 8]
        case .indexed(let n): return String(n)
        case .rgb(let r, let g, let b): return "#" + [r, g, b].map(Self.hexByte).joined()
        }
    }

    private static func dropBrightPrefix(_ name: String) -> String? {
        for prefix in ["bright-", "bright_", "bright"] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return nil
    }

    private static func parseHex(_ digits: Substring) -> (UInt8, UInt8, UInt8)? {
        let values = digits.map { $0.hexDigitValue }
        guard values.allSatisfy({ $0 != nil }) else { return nil }
        let v = values.map { UInt8($0!) }
        switch v.count {
        case 6: return (v[0] << 4 | v[1], v[2] << 4 | v[3], v[4] << 4 | v[5])
        case 3: return (v[0] * 17, v[1] * 17, v[2] * 17)
        default: return nil
        }
    }

    private static func hexByte(_ value: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(value >> 4)], digits[Int(value & 0xF)]])
    }
}

/// How many colours the terminal shows.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    case none = 0
    case eight = 8
    case sixteen = 16
    case xterm256 = 256

    /// The depth for curses' `COLORS` (0 when the terminal has no colour).
    public init(colors: Int) {
        switch colors {
        case 256...: self = .xterm256
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .none
        }
    }

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

extension TerminalColor {
    /// The curses colour number for a terminal of `depth`: -1 for the terminal default.
    public func resolved(for depth: ColorDepth) -> Int {
        switch (self, depth) {
        case (_, .none), (.default, _):
            return -1
        case (.indexed(let n), .xterm256):
            return Int(n)
        case (.indexed(let n), .sixteen):
            return n < 16 ? Int(n) : Palette.nearest(to: Palette.rgb(of: Int(n)), among: 0..<16)
        case (.indexed(let n), .eight):
            return n < 8 ? Int(n) : Palette.nearestBasic(to: Palette.rgb(of: Int(n)))
        case (.rgb(let r, let g, let b), .xterm256):
            // Entries 0–15 are left out: terminals redefine them, so only the cube and greys are predictable.
            return Palette.nearest(to: (Int(r), Int(g), Int(b)), among: 16..<256)
        case (.rgb(let r, let g, let b), .sixteen):
            return Palette.nearest(to: (Int(r), Int(g), Int(b)), among: 0..<16)
        case (.rgb(let r, let g, let b), .eight):
            return Palette.nearestBasic(to: (Int(r), Int(g), Int(b)))
        }
    }
}

/// The xterm default palette, for mapping colours to the nearest entry.
enum Palette {
    /// xterm's defaults for the 16 basic colours.
    static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// RGB of a palette index.
    static func rgb(of index: Int) -> (Int, Int, Int) {
        switch index {
        case ..<16: return basic[Swift.max(0, index)]
        case 16..<232:
            let i = index - 16
            return (cubeLevels[i / 36], cubeLevels[i / 6 % 6], cubeLevels[i % 6])
        default:
            let level = 8 + 10 * (Swift.min(index, 255) - 232)
            return (level, level, level)
        }
    }

    /// The closest of the 8 basic colours. Greys go to black or white by lightness: by distance alone a
    /// mid grey lands on yellow, and muted text would turn into a warning colour.
    static func nearestBasic(to color: (Int, Int, Int)) -> Int {
        let high = Swift.max(color.0, color.1, color.2), low = Swift.min(color.0, color.1, color.2)
        if high - low < 48 { return (color.0 + color.1 + color.2) / 3 < 80 ? 0 : 7 }
        return nearest(to: color, among: 0..<8)
    }

    /// The index in `range` closest to `color` (squared Euclidean distance; ties go to the lower index).
    static func nearest(to color: (Int, Int, Int), among range: Range<Int>) -> Int {
        var best = range.lowerBound, bestDistance = Int.max
        for index in range {
            let c = rgb(of: index)
            let dr = c.0 - color.0, dg = c.1 - color.1, db = c.2 - color.2
            let distance = dr * dr + dg * dg + db * db
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }
}
