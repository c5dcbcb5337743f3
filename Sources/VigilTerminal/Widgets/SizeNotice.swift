/// What to show instead of the UI when the terminal is smaller than the layout needs.
public enum SizeNotice {
    /// A buffer of `size` with "terminal too small: need W×H" centred, or nil when `size` is big enough.
    public static func buffer(size: Size, minimum: Size) -> ScreenBuffer? {
        guard !size.contains(minimum) else { return nil }
        var buffer = ScreenBuffer(size: size)
        let lines = ["terminal too small: need \(minimum)", "now \(size)"]
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let text = StyledText(line, index == 0 ? .warn : .muted).truncated(to: size.width)
            let x = max(0, (size.width - text.width) / 2)
            buffer.put(text, at: Point(x: x, y: top + index))
        }
        return buffer
    }
}
