/// A strip of `▁▂▃▄▅▆▇█` bars scaled to the largest value, with a marked range (the visible or selected
/// span of the timeline) in the `histogramMark` role.
///
/// Any non-zero value shows at least `▁`, so a lone event is never invisible. Taller areas stack bars.
public struct Histogram: Sendable {
    /// One value per column (see `bin(_:into:)` to fit a series to a width).
    public var values: [Int]
    /// Columns drawn in the mark style.
    public var marked: Range<Int>?

    public init(values: [Int], marked: Range<Int>? = nil) {
        self.values = values
        self.marked = marked
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Eighths of the full height for each value: proportional to the maximum, rounded up.
    public static func levels(_ values: [Int], height: Int) -> [Int] {
        let steps = max(1, height) * 8
        let maximum = values.max() ?? 0
        guard maximum > 0 else { return values.map { _ in 0 } }
        return values.map { value in
            guard value > 0 else { return 0 }
            return min(steps, (value * steps + maximum - 1) / maximum)
        }
    }

    /// Sums `values` into `width` buckets of (nearly) equal span, for drawing a long series in a strip.
    public static func bin(_ values: [Int], into width: Int) -> [Int] {
        guard width > 0 else { return [] }
        guard !values.isEmpty else { return [Int](repeating: 0, count: width) }
        var buckets = [Int](repeating: 0, count: width)
        for (index, value) in values.enumerated() {
            buckets[index * width / values.count] += value
        }
        return buckets
    }

    /// Draws one column per value from the left of `area`; values past its width are not shown.
    public func draw(into buffer: inout ScreenBuffer, in area: Rect) {
        guard !area.isEmpty else { return }
        let levels = Self.levels(Array(values.prefix(area.width)), height: area.height)
        for (column, level) in levels.enumerated() {
            let isMarked = marked?.contains(column) ?? false
            let style = Style(isMarked ? .histogramMark : .histogram)
            for row in 0..<area.height {
                // Row 0 is the top; each row holds eight levels, filled from the bottom row up.
                let below = (area.height - 1 - row) * 8
                let fill = min(8, max(0, level - below))
                let glyph: Character = fill == 0 ? " " : Self.blocks[fill - 1]
                buffer.put(String(glyph), at: Point(x: area.x + column, y: area.y + row), style: style, clipTo: area)
            }
        }
        // Marked columns past the data still show the mark, so the range is visible over empty time.
        if let marked {
            for column in marked where column >= levels.count && column < area.width {
                buffer.fill(Rect(x: area.x + column, y: area.y, width: 1, height: area.height), style: Style(.histogramMark))
            }
        }
    }
}
