import VigilCore

/// What a key did to a prompt.
public enum PromptResult: Hashable, Sendable {
    /// The text or cursor changed (or a completion was offered): redraw.
    case edited
    /// Enter: the line to act on (also added to the history).
    case submitted(String)
    /// Esc or Ctrl-C: close the prompt.
    case cancelled
    /// The key means nothing here (Tab with no completion, arrows at the ends).
    case ignored
}

/// A single-line editor for `/` search, `f` filter and `:` commands: editing keys, history and completion.
///
/// A value: the reducer keeps it in the app state and feeds it keys.
///
/// ```swift
/// var prompt = Prompt(prefix: ":", candidates: ["filter ", "goto ", "theme light", "quit"])
/// if case .submitted(let line) = prompt.handle(key) { run(line) }
/// ```
///
/// Keys: characters insert; Left/Right, Home/End, Ctrl-A/Ctrl-E move; Backspace/Delete/Ctrl-D delete;
/// Ctrl-U and Ctrl-K cut to the start or end; Ctrl-W cuts a word; Up/Down walk the history; Tab completes
/// from `candidates` (extending to the longest common prefix, then cycling; Shift-Tab cycles back).
public struct Prompt: Hashable, Sendable {
    /// Shown before the text (`:`, `/`, `filter: `).
    public var prefix: String
    /// Shown (muted) while the text is empty.
    public var placeholder: String
    /// Whole lines Tab can complete to, matched as case-insensitive prefixes of the text.
    public var candidates: [String]
    /// Submitted lines, oldest first.
    public private(set) var history: [String]
    public var historyLimit = 100

    private var characters: [Character]
    /// Cursor position as a character index (0…text length).
    public private(set) var cursor: Int
    private var historyIndex: Int?
    private var draft: [Character] = []
    private var completion: Completion?

    private struct Completion: Hashable, Sendable {
        var matches: [String]
        var index: Int
    }

    public init(prefix: String = "", text: String = "", placeholder: String = "", candidates: [String] = [],
                history: [String] = []) {
        self.prefix = prefix
        self.placeholder = placeholder
        self.candidates = candidates
        self.history = history
        self.characters = Array(text)
        self.cursor = characters.count
    }

    /// The text being edited.
    public var text: String {
        get { String(characters) }
        set {
            characters = Array(newValue)
            cursor = characters.count
            completion = nil
        }
    }

    /// Completions being cycled through, and which one is shown (for a completion list under the prompt).
    public var completions: (matches: [String], selected: Int)? {
        completion.map { ($0.matches, $0.index) }
    }

    // MARK: - Keys

    /// Applies one key (see the type's documentation for the bindings).
    public mutating func handle(_ key: Key) -> PromptResult {
        if key != .tab && key != .backTab { completion = nil }
        switch key {
        case .char(let c): insert(c)
        case .enter: return submit()
        case .escape, .ctrl("c"), .ctrl("g"): return .cancelled
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return .ignored }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < characters.count else { return .ignored }
            characters.remove(at: cursor)
        case .left, .ctrl("b"):
            guard cursor > 0 else { return .ignored }
            cursor -= 1
        case .right, .ctrl("f"):
            guard cursor < characters.count else { return .ignored }
            cursor += 1
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = characters.count
        case .ctrl("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("k"): characters.removeSubrange(cursor...)
        case .ctrl("w"): deleteWordBackward()
        case .up: return recall(older: true)
        case .down: return recall(older: false)
        case .tab: return complete(forward: true)
        case .backTab: return complete(forward: false)
        default: return .ignored
        }
        return .edited
    }

    private mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
    }

    private mutating func submit() -> PromptResult {
        let line = text
        if !line.trimmingWhitespace().isEmpty, history.last != line {
            history.append(line)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        historyIndex = nil
        return .submitted(line)
    }

    private mutating func deleteWordBackward() {
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Up shows older lines; Down newer ones and finally the line being typed before Up was pressed.
    private mutating func recall(older: Bool) -> PromptResult {
        guard !history.isEmpty else { return .ignored }
        if older {
            if historyIndex == nil {
                draft = characters
                historyIndex = history.count
            }
            guard let index = historyIndex, index > 0 else { return .ignored }
            historyIndex = index - 1
            characters = Array(history[index - 1])
        } else {
            guard let index = historyIndex else { return .ignored }
            if index + 1 < history.count {
                historyIndex = index + 1
                characters = Array(history[index + 1])
            } else {
                historyIndex = nil
                characters = draft
            }
        }
        cursor = characters.count
        return .edited
    }

    private mutating func complete(forward: Bool) -> PromptResult {
        if var current = completion {
            current.index = (current.index + (forward ? 1 : current.matches.count - 1)) % current.matches.count
            completion = current
            show(current.matches[current.index])
            return .edited
        }
        let typed = text.lowercased()
        let matches = candidates.filter { $0.lowercased().hasPrefix(typed) }
        switch matches.count {
        case 0:
            return .ignored
        case 1:
            show(matches[0])
        default:
            let common = Self.longestCommonPrefix(matches)
            if common.count > characters.count {
                show(common)
            } else {
                let index = forward ? 0 : matches.count - 1
                completion = Completion(matches: matches, index: index)
                show(matches[index])
            }
        }
        return .edited
    }

    private mutating func show(_ line: String) {
        characters = Array(line)
        cursor = characters.count
    }

    static func longestCommonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map(Array.init) else { return "" }
        for string in strings.dropFirst() {
            let other = Array(string)
            var length = 0
            while length < prefix.count, length < other.count,
                  prefix[length].lowercased() == other[length].lowercased() { length += 1 }
            prefix = Array(prefix[..<length])
        }
        return String(prefix)
    }

    // MARK: - Drawing

    /// Draws `prefix`, the text and a reversed cursor cell on the first row of `area`, scrolled sideways so
    /// the cursor is always visible.
    public func draw(into buffer: inout ScreenBuffer, in area: Rect, focused: Bool = true) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        let textStart = buffer.put(prefix, at: line.origin, style: Style(.prompt), clipTo: line)
        let field = Rect(x: textStart, y: line.y, width: line.maxX - textStart, height: 1).intersection(line)
        guard !field.isEmpty else { return }
        if characters.isEmpty && !placeholder.isEmpty {
            buffer.put(placeholder, at: field.origin, style: Style(.muted), clipTo: field)
        }
        let before = TextSanitizer.sanitize(String(characters[..<cursor]))
        let cursorColumn = DisplayWidth.columns(of: before)
        // Keep one column free for the cursor after the last character.
        let scroll = max(0, cursorColumn - (field.width - 1))
        buffer.put(text, at: Point(x: field.x - scroll, y: field.y), style: .plain, clipTo: field)
        guard focused else { return }
        // The cursor restyles the cell under it, so it shows over text, a placeholder or an empty cell.
        // A sanitised control character spans several cells (`\x1B`); the cursor marks the first glyph.
        let cursorX = field.x + cursorColumn - scroll
        let glyph = cursor < characters.count ? TextSanitizer.sanitize(String(characters[cursor])).first ?? " " : " "
        let cursorRect = Rect(x: cursorX, y: field.y, width: Cell.width(of: glyph), height: 1)
        buffer.setRole(.cursor, in: cursorRect.intersection(field))
    }
}
