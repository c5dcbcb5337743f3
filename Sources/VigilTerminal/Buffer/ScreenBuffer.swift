import VigilCore

/// A grid of cells that views draw into; only the terminal backend turns it into terminal output.
///
/// Every write sanitises its text (so no control character or escape sequence from a log can reach the
/// terminal) and clips by display width (so a wide character never spills over a pane's edge: one that does
/// not fit whole becomes a space).
public struct ScreenBuffer: Equatable, Sendable {
    public private(set) var size: Size
    private var cells: [Cell]

    public init(size: Size, style: Style = .plain) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        self.cells = Array(repeating: Cell(" ", style: style), count: self.size.width * self.size.height)
    }

    public init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    /// The whole buffer as a rect at (0, 0).
    public var bounds: Rect { Rect(origin: .zero, size: size) }

    /// The cell at a position (a blank cell outside the buffer).
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
        return cells[y * size.width + x]
    }

    public subscript(point: Point) -> Cell { self[point.x, point.y] }

    // MARK: - Writing

    /// Writes text from `point` rightwards on one row, clipped to `clip` (and the buffer).
    ///
    /// - Returns: the column after the text, as if nothing were clipped (to place the next span).
    @discardableResult
    public mutating func put(_ text: String, at point: Point, style: Style = .plain, clipTo clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard point.y >= area.y, point.y < area.maxY else {
            return point.x + DisplayWidth.columns(of: TextSanitizer.sanitize(text))
        }
        let safe = TextSanitizer.sanitize(text)
        if let end = putPrintableASCII(safe, at: point, style: style, area: area) { return end }
        var x = point.x
        for character in safe {
            let width = Cell.width(of: character)
            // A lone combining mark has no cell of its own; the sanitiser has already made invisible
            // formatting characters visible, so nothing meaningful is lost.
            if width == 0 { continue }
            defer { x += width }
            if x + width <= area.x { continue }
            if x >= area.maxX { continue }
            if x < area.x || x + width > area.maxX {
                // A wide character cut by the clip edge: blank the part inside rather than draw half a glyph.
                for column in max(x, area.x)..<min(x + width, area.maxX) {
                    write(" ", width: 1, style: style, x: column, y: point.y)
                }
                continue
            }
            write(character, width: width, style: style, x: x, y: point.y)
        }
        return x
    }

    /// Writes printable ASCII without grapheme breaking (each byte is one narrow character), the common case
    /// for log fields; returns nil for anything else.
    private mutating func putPrintableASCII(_ text: String, at point: Point, style: Style, area: Rect) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            for byte in bytes where byte < 0x20 || byte >= 0x7F { return nil }
            let start = max(point.x, area.x), end = min(point.x + bytes.count, area.maxX)
            if start < end {
                let row = point.y * size.width
                breakWideCharacter(at: start, row: row)
                breakWideCharacter(at: end - 1, row: row)
                for x in start..<end {
                    cells[row + x] = Cell(Character(Unicode.Scalar(bytes[x - point.x])), style: style)
                }
            }
            return point.x + bytes.count
        }
    }

    /// Writes spans one after another from `point`, clipped to `clip`.
    @discardableResult
    public mutating func put(_ line: StyledText, at point: Point, clipTo clip: Rect? = nil) -> Int {
        var x = point.x
        for span in line.spans {
            x = put(span.text, at: Point(x: x, y: point.y), style: span.style, clipTo: clip)
        }
        return x
    }

    /// Fills a rect with one character (a space by default) in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let safe = TextSanitizer.sanitize(String(character)).first ?? " "
        let width = Cell.width(of: safe)
        guard width == 1 else {
            for y in area.y..<area.maxY {
                put(String(repeating: String(safe), count: area.width), at: Point(x: area.x, y: y), style: style, clipTo: area)
            }
            return
        }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { write(safe, width: 1, style: style, x: x, y: y) }
        }
    }

    /// Changes the style of every cell in a rect, keeping the text (highlights a selected row).
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * size.width + x].style = style }
        }
    }

    /// Changes the role of every cell in a rect, keeping text and attributes (a selected row stays bold
    /// where it was bold).
    public mutating func setRole(_ role: Role, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * size.width + x].style.role = role }
        }
    }

    /// Adds attributes to every cell in a rect, keeping roles (a bold search match inside a styled line).
    public mutating func addAttributes(_ attributes: TextAttributes, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { cells[y * size.width + x].style.attributes.formUnion(attributes) }
        }
    }

    /// Puts one cell, keeping wide characters whole: overwriting either half of a wide character blanks
    /// the other half, so the grid never holds half a glyph.
    private mutating func write(_ character: Character, width: Int, style: Style, x: Int, y: Int) {
        let row = y * size.width
        breakWideCharacter(at: x, row: row)
        if width == 2 { breakWideCharacter(at: x + 1, row: row) }
        cells[row + x] = Cell(character, width: UInt8(width), style: style)
        if width == 2 { cells[row + x + 1] = Cell(" ", width: 0, style: style) }
    }

    private mutating func breakWideCharacter(at x: Int, row: Int) {
        guard x >= 0, x < size.width else { return }
        let cell = cells[row + x]
        if cell.width == 0, x > 0 {
            cells[row + x - 1] = Cell(" ", style: cells[row + x - 1].style)
            cells[row + x] = Cell(" ", style: cell.style)
        } else if cell.width == 2, x + 1 < size.width {
            cells[row + x + 1] = Cell(" ", style: cells[row + x + 1].style)
        }
    }

    // MARK: - Snapshots

    /// The text of every row, one line each, trailing spaces trimmed (for text snapshots).
    public func renderText() -> String {
        var lines: [String] = []
        lines.reserveCapacity(size.height)
        for y in 0..<size.height {
            var line = ""
            for x in 0..<size.width {
                let cell = cells[y * size.width + x]
                if !cell.isContinuation { line.append(cell.character) }
            }
            lines.append(Self.trimmingTrailingSpaces(line))
        }
        return lines.joined(separator: "\n")
    }

    /// Like `renderText`, with `{role+attrs}` written wherever the style changes (for style snapshots).
    ///
    /// Rows start in `{text}`; trailing plain spaces are trimmed.
    public func renderStyled() -> String {
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            var current = Style.plain
            var lastVisible = line.endIndex
            for x in 0..<size.width {
                let cell = cells[y * size.width + x]
                if cell.isContinuation { continue }
                if cell.style != current {
                    current = cell.style
                    line += "{" + ([current.role.rawValue] + current.attributes.names).joined(separator: "+") + "}"
                }
                line.append(cell.character)
                if cell.character != " " || cell.style != .plain { lastVisible = line.endIndex }
            }
            lines.append(String(line[..<lastVisible]))
        }
        return lines.joined(separator: "\n")
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        guard let last = line.lastIndex(where: { $0 != " " }) else { return "" }
        return String(line[...last])
    }
}
