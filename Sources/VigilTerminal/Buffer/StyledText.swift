import VigilCore

/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public init(_ text: String, _ role: Role) {
        self.init(text, Style(role))
    }
}

/// One line of text made of differently styled spans (a JSON line, a row with a coloured severity).
///
/// Text is sanitised when drawn, so spans may hold raw log values.
public struct StyledText: Hashable, Sendable, ExpressibleByStringInterpolation {
    public var spans: [Span]

    public init(_ spans: [Span] = []) {
        self.spans = spans
    }

    public init(_ text: String, _ style: Style = .plain) {
        self.spans = text.isEmpty ? [] : [Span(text, style)]
    }

    public init(_ text: String, _ role: Role) {
        self.init(text, Style(role))
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// Plain text from an interpolated literal: `Box(title: "Findings (\(count))")`.
    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(String(stringInterpolation: stringInterpolation))
    }

    /// The text without styles, as drawn (sanitised).
    public var plainText: String { spans.map { TextSanitizer.sanitize($0.text) }.joined() }

    /// Columns the line takes when drawn.
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.columns(of: TextSanitizer.sanitize($1.text)) } }

    public var isEmpty: Bool { spans.allSatisfy { $0.text.isEmpty } }

    public mutating func append(_ text: String, _ style: Style = .plain) {
        guard !text.isEmpty else { return }
        // Merging neighbours of one style keeps lines short and snapshots tidy.
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text += text
        } else {
            spans.append(Span(text, style))
        }
    }

    public mutating func append(_ text: String, _ role: Role) {
        append(text, Style(role))
    }

    public mutating func append(_ other: StyledText) {
        for span in other.spans { append(span.text, span.style) }
    }

    public static func + (lhs: StyledText, rhs: StyledText) -> StyledText {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// The line with spans in the plain `text` role given `role` instead, keeping explicit roles (a title
    /// takes the title role, a status segment the bar's).
    func withDefaultRole(_ role: Role) -> StyledText {
        StyledText(spans.map { $0.style.role == .text ? Span($0.text, Style(role, $0.style.attributes)) : $0 })
    }

    /// The same text with every span in `style` (a selected row drawn in the selection style).
    public func restyled(_ style: Style) -> StyledText {
        StyledText(plainText, style)
    }
}

// MARK: - Fitting text to columns

extension StyledText {
    /// Sanitised characters with their styles and widths, the unit all fitting operations work on.
    private var glyphs: [(character: Character, style: Style, width: Int)] {
        var result: [(Character, Style, Int)] = []
        for span in spans {
            for character in TextSanitizer.sanitize(span.text) {
                let width = Cell.width(of: character)
                if width > 0 { result.append((character, span.style, width)) }
            }
        }
        return result
    }

    private init(glyphs: ArraySlice<(character: Character, style: Style, width: Int)>) {
        var line = StyledText()
        for glyph in glyphs { line.append(String(glyph.character), glyph.style) }
        self = line
    }

    /// The line cut to at most `width` columns, ending in `…` (in the style of the cut text) when cut.
    public func truncated(to width: Int) -> StyledText {
        guard width > 0 else { return StyledText() }
        let sanitized = spans.map { (text: TextSanitizer.sanitize($0.text), style: $0.style) }
        let widths = sanitized.map { DisplayWidth.columns(of: $0.text) }
        if widths.reduce(0, +) <= width { return self }
        let limit = width - 1  // room for the ellipsis
        var result = StyledText()
        var used = 0
        for (index, span) in sanitized.enumerated() {
            if used + widths[index] <= limit {
                result.append(span.text, span.style)
                used += widths[index]
                continue
            }
            var kept = ""
            for character in span.text {
                let w = Cell.width(of: character)
                if used + w > limit { break }
                kept.append(character)
                used += w
            }
            result.append(kept, span.style)
            result.append("…", span.style)
            break
        }
        return result
    }

    /// The line truncated or padded with spaces to exactly `width` columns.
    public func padded(to width: Int, alignRight: Bool = false, padStyle: Style = .plain) -> StyledText {
        let cut = truncated(to: width)
        let fill = String(repeating: " ", count: Swift.max(0, width - cut.width))
        if fill.isEmpty { return cut }
        return alignRight ? StyledText(fill, padStyle) + cut : cut + StyledText(fill, padStyle)
    }

    /// The line broken into lines of at most `width` columns, at spaces where possible.
    public func wrapped(to width: Int) -> [StyledText] {
        guard width > 0 else { return [] }
        let all = glyphs
        guard !all.isEmpty else { return [StyledText()] }
        var lines: [StyledText] = []
        var start = 0
        while start < all.count {
            var end = start, used = 0
            while end < all.count, used + all[end].width <= width {
                used += all[end].width
                end += 1
            }
            if end < all.count, end > start {
                // Break after the last space in the line if there is one, so words stay whole.
                if let space = all[start..<end].lastIndex(where: { $0.character == " " }), space > start {
                    end = space + 1
                }
            } else if end == start {
                end = start + 1  // a wide character in a one-column width: emit it rather than loop forever
            }
            var line = StyledText(glyphs: all[start..<end])
            while let last = line.spans.last, last.text.hasSuffix(" ") {
                let trimmed = String(last.text.dropLast())
                if trimmed.isEmpty { line.spans.removeLast() } else { line.spans[line.spans.count - 1].text = trimmed }
            }
            lines.append(line)
            start = end
            while start < all.count, all[start].character == " " { start += 1 }
        }
        return lines
    }

    /// The line with every case-insensitive occurrence of `term` in `style` (search matches).
    public func highlighting(_ term: String, style: Style = Style(.searchMatch)) -> StyledText {
        // Compared character by character, lowercased as strings: a lowercased character may be longer.
        let needle = TextSanitizer.sanitize(term).map { $0.lowercased() }
        guard !needle.isEmpty else { return self }
        let all = glyphs
        let haystack = all.map { $0.character.lowercased() }
        guard haystack.count >= needle.count else { return self }
        var marked = [Bool](repeating: false, count: all.count)
        var index = 0
        var found = false
        while index + needle.count <= haystack.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) {
                for i in index..<index + needle.count { marked[i] = true }
                index += needle.count
                found = true
            } else {
                index += 1
            }
        }
        guard found else { return self }
        var result = StyledText()
        for (i, glyph) in all.enumerated() {
            result.append(String(glyph.character), marked[i] ? style : glyph.style)
        }
        return result
    }
}
