/// A terminal in memory for tests: fixed (but changeable) size, scripted keys, and the last frame drawn.
public final class MemoryTerminal: Terminal {
    public private(set) var size: Size
    public var colorDepth: ColorDepth
    /// Keys `nextEvent` hands out, first to last; when empty it reports a timeout (nil).
    public var pendingKeys: [Key]
    /// The last buffer drawn and the theme it was drawn with.
    public private(set) var lastFrame: ScreenBuffer?
    public private(set) var lastTheme: Theme?
    public private(set) var drawCount = 0
    public private(set) var isShutDown = false

    public init(size: Size, colorDepth: ColorDepth = .xterm256, keys: [Key] = []) {
        self.size = size
        self.colorDepth = colorDepth
        self.pendingKeys = keys
    }

    public convenience init(width: Int, height: Int, keys: [Key] = []) {
        self.init(size: Size(width: width, height: height), keys: keys)
    }

    public func draw(_ buffer: ScreenBuffer, theme: Theme) {
        lastFrame = buffer
        lastTheme = theme
        drawCount += 1
    }

    public func nextEvent(timeoutMilliseconds: Int) -> Key? {
        pendingKeys.isEmpty ? nil : pendingKeys.removeFirst()
    }

    public func shutdown() {
        isShutDown = true
    }

    /// Queues keys for `nextEvent`.
    public func send(_ keys: Key...) {
        pendingKeys.append(contentsOf: keys)
    }

    /// Queues each character of `text` as a `.char` key.
    public func type(_ text: String) {
        pendingKeys.append(contentsOf: text.map(Key.char))
    }

    /// Changes the size and queues a `.resize` event, as a real terminal does.
    public func resize(to newSize: Size) {
        size = newSize
        pendingKeys.append(.resize)
    }

    /// The text of the last frame (empty before the first draw).
    public var screenText: String { lastFrame?.renderText() ?? "" }
}
