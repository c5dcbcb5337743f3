/// A key press or other input event, as the console's key bindings see it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (Shift is already applied: `G`, `?`).
    case char(Character)
    /// Ctrl with a letter (lowercase: `.ctrl("d")`) or with one of `@ [ \ ] ^ _` and space.
    case ctrl(Character)
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case delete
    case up, down, left, right
    case home, end
    case pageUp, pageDown
    case function(Int)
    /// The terminal changed size: lay out again.
    case resize
    case mouse(MouseEvent)
    /// Anything else the terminal sent (the backend's raw code, for logging).
    case unknown(Int)

    /// A readable name, as key-binding files and help screens write it: `q`, `C-d`, `Enter`, `F5`, `S-Tab`.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "C-\(c)"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let n): "F\(n)"
        case .resize: "Resize"
        case .mouse(let event): "Mouse(\(event))"
        case .unknown(let code): "Unknown(\(code))"
        }
    }
}

/// A mouse action at a cell.
public enum MouseEvent: Hashable, Sendable, CustomStringConvertible {
    case click(Point)
    case wheelUp(Point)
    case wheelDown(Point)

    public var point: Point {
        switch self {
        case .click(let p), .wheelUp(let p), .wheelDown(let p): p
        }
    }

    public var description: String {
        switch self {
        case .click(let p): "click \(p)"
        case .wheelUp(let p): "wheel up \(p)"
        case .wheelDown(let p): "wheel down \(p)"
        }
    }
}

/// Turns a character code read from the terminal into a `Key` (the backend maps curses' function-key codes).
enum KeyDecoder {
    /// The key for a character code (what `wget_wch` returns when it is not a function key).
    static func key(forCharacterCode code: UInt32) -> Key {
        switch code {
        case 0x0D, 0x0A: return .enter      // Enter sends CR; LF is Ctrl-J, which terminals also send for Enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace  // DEL from most terminals, BS (Ctrl-H) from some
        case 0x00: return .ctrl(" ")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(code + 0x60)!))
        case 0x1C...0x1F: return .ctrl(Character(Unicode.Scalar(code + 0x40)!))
        case 0x80..<0xA0: return .unknown(Int(code))  // C1 controls are never printable
        default:
            guard let scalar = Unicode.Scalar(code) else { return .unknown(Int(code)) }
            return .char(Character(scalar))
        }
    }
}
