import CNcursesw
import Glibc

/// Writes one buffer cell into a curses window.
///
/// Our widths (`DisplayWidth`) and the C library's `wcwidth` can disagree on a few characters; when they
/// do, the cell is padded or replaced so curses' idea of the row stays aligned with the buffer.
struct CursesCellWriter {
    private let maxScalars = Int(vigil_ccharw_max()) - 1
    private let replacement: wchar_t = vigil_wcwidth(0xFFFD) == 1 ? 0xFFFD : 0x3F  // � in UTF-8 locales, else ?

    func write(_ cell: Cell, attributes: attr_t, pair: Int32, window: CursesWindow, x: Int, y: Int, maxX: Int) {
        var text: [wchar_t] = []
        var columns = 0
        for scalar in cell.character.unicodeScalars {
            let code = wchar_t(bitPattern: scalar.value)
            let width = vigil_wcwidth(scalar.value)
            if text.isEmpty {
                guard width > 0 else { break }
                text.append(code)
                columns = Int(width)
            } else if width == 0, text.count < maxScalars {
                // Combining marks ride along; further spacing scalars (a flag's second half) cannot.
                text.append(code)
            }
        }
        if text.isEmpty || columns > Int(cell.width) || x + columns > maxX {
            text = [replacement]
            columns = 1
        }
        put(text, attributes: attributes, pair: pair, window: window, x: x, y: y)
        // The buffer reserved two columns but the C library draws one: blank the second so it is not stale.
        if columns < Int(cell.width), x + 1 < maxX {
            put([0x20], attributes: attributes, pair: pair, window: window, x: x + 1, y: y)
        }
    }

    private func put(_ text: [wchar_t], attributes: attr_t, pair: Int32, window: CursesWindow, x: Int, y: Int) {
        var cchar = cchar_t()
        let terminated = text + [0]
        terminated.withUnsafeBufferPointer { buffer in
            _ = vigil_setcchar(&cchar, buffer.baseAddress, attributes, pair)
        }
        // The bottom-right cell reports ERR because the cursor cannot advance past it; it is drawn anyway.
        _ = mvwadd_wch(window, Int32(y), Int32(x), &cchar)
    }
}

/// Colour pairs allocated on first use for each (foreground, background).
struct CursesColorPairs {
    private struct Key: Hashable {
        var foreground: Int
        var background: Int
    }
    private var cache: [Key: Int32] = [:]

    mutating func pair(foreground: TerminalColor, background: TerminalColor, depth: ColorDepth) -> Int32 {
        guard depth != .none else { return 0 }
        let key = Key(foreground: foreground.resolved(for: depth), background: background.resolved(for: depth))
        // Pair 0 is the terminal's own colours (with use_default_colors).
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = cache[key] { return pair }
        // When the terminal's pairs run out, alloc_pair recycles the least recently used one, so numbers
        // remembered here could now mean other colours: start remembering afresh.
        if cache.count >= Int(vigil_color_pairs()) - 1 { cache.removeAll(keepingCapacity: true) }
        let pair = alloc_pair(Int32(key.foreground), Int32(key.background))
        let result = pair < 0 ? 0 : pair
        cache[key] = result
        return result
    }
}

/// Maps curses function-key codes to `Key`.
enum CursesKeys {
    static func key(forFunctionCode code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        default:
            let f0 = vigil_key_f(0)
            if code > f0, code <= f0 + 63 { return .function(Int(code - f0)) }
            return .unknown(Int(code))
        }
    }
}
