/// A framed box centred over the screen (help, confirmations, the entity view), cleared in the `modal` role.
public struct Modal: Sendable {
    public var title: StyledText
    /// Size wanted, including the frame; shrunk to fit the screen less a margin.
    public var size: Size
    /// Right-hand title text, such as `Esc close`.
    public var trailingTitle: StyledText

    public init(title: StyledText, size: Size, trailingTitle: StyledText = StyledText()) {
        self.title = title
        self.size = size
        self.trailingTitle = trailingTitle
    }

    /// The frame's rect within `area`: centred, at most the area less one cell on each side.
    public func frame(in area: Rect) -> Rect {
        let room = area.width > 4 && area.height > 4 ? area.inset(by: 1) : area
        return room.centered(size)
    }

    /// Draws the frame over whatever is below and returns the area inside it.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, in area: Rect) -> Rect {
        let frame = frame(in: area)
        let box = Box(title: title, trailingTitle: trailingTitle, focused: true, interior: Style(.modal))
        return box.draw(into: &buffer, in: frame)
    }
}
