/// A bordered frame with a title, drawn with `┌─┐│└┘` (not curses' `box()`, which some terminals show as
/// `lqqk`). The focused pane gets the `focusBorder`/`focusTitle` roles.
public struct Box: Sendable {
    public var title: StyledText
    /// Text at the right end of the top border (a count, a badge, "3/120").
    public var trailingTitle: StyledText
    public var focused: Bool
    /// Style the inside is cleared with, or nil to leave the inside alone (drawing a frame over content).
    public var interior: Style?

    public init(title: StyledText = StyledText(), trailingTitle: StyledText = StyledText(), focused: Bool = false,
                interior: Style? = .plain) {
        self.title = title
        self.trailingTitle = trailingTitle
        self.focused = focused
        self.interior = interior
    }

    public init(_ title: String, focused: Bool = false) {
        self.init(title: StyledText(title), focused: focused)
    }

    /// The area inside a frame drawn in `area`.
    public static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    /// Draws the frame and returns the area inside it.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, in area: Rect) -> Rect {
        let inside = Self.inner(area)
        if let interior { buffer.fill(inside, style: interior) }
        guard area.width >= 2, area.height >= 2 else { return inside }
        let border = Style(focused ? .focusBorder : .border)
        let horizontal = String(repeating: "─", count: area.width - 2)
        buffer.put("┌" + horizontal + "┐", at: area.origin, style: border, clipTo: area)
        buffer.put("└" + horizontal + "┘", at: Point(x: area.x, y: area.maxY - 1), style: border, clipTo: area)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.put("│", at: Point(x: area.x, y: y), style: border, clipTo: area)
            buffer.put("│", at: Point(x: area.maxX - 1, y: y), style: border, clipTo: area)
        }
        drawTitles(into: &buffer, in: area)
        return inside
    }

    /// Titles sit on the top border as `┌─ Title ──── 3/120 ─┐`; the leading title is cut with `…` when
    /// space is short, and the trailing one is dropped.
    private func drawTitles(into buffer: inout ScreenBuffer, in area: Rect) {
        let room = area.width - 4  // a corner and a dash on each side
        guard room > 2 else { return }
        let titleRole: Role = focused ? .focusTitle : .title
        var used = 0
        if !title.isEmpty {
            let text = (StyledText(" ") + title + StyledText(" ")).withDefaultRole(titleRole).truncated(to: room)
            buffer.put(text, at: Point(x: area.x + 2, y: area.y), clipTo: area)
            used = text.width
        }
        if !trailingTitle.isEmpty {
            // Shown whole or not at all: a cut counter ("3/1…") would mislead.
            let text = (StyledText(" ") + trailingTitle + StyledText(" ")).withDefaultRole(titleRole)
            guard text.width <= room - used - (used > 0 ? 1 : 0) else { return }
            buffer.put(text, at: Point(x: area.maxX - 2 - text.width, y: area.y), clipTo: area)
        }
    }
}
