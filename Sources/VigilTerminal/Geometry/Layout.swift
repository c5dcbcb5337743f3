/// How much of a split one part takes.
///
/// Fixed sizes are honoured first, then minimums and percentages, and what is left goes to `fill` parts in
/// proportion to their weights (as in ratatui's layout). When space is short, later parts shrink first, so a
/// header laid out before a body keeps its row.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less only when the whole rect is smaller).
    case fixed(Int)
    /// This percentage of the whole length, rounded down.
    case percent(Int)
    /// At least this many cells, and a share of leftover space like `fill(1)`.
    case min(Int)
    /// A share of the space left after the other parts, by weight.
    case fill(Int)
}

/// The direction of a split.
public enum Axis: Sendable {
    /// Side by side: parts are columns.
    case horizontal
    /// Stacked: parts are rows.
    case vertical
}

extension Rect {
    /// Splits the rect along `axis` into one part per constraint, separated by `spacing` cells.
    ///
    /// ```swift
    /// let rows = screen.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])   // header, body, status
    /// let cols = rows[1].split(.horizontal, [.percent(40), .fill(1)], spacing: 1)
    /// ```
    public func split(_ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let total = axis == .horizontal ? width : height
        let lengths = Layout.lengths(total: total, constraints: constraints, spacing: spacing)
        var rects: [Rect] = []
        rects.reserveCapacity(lengths.count)
        var offset = 0
        for (index, length) in lengths.enumerated() {
            if index > 0 { offset = Swift.min(total, offset + Swift.max(0, spacing)) }
            let start = Swift.min(offset, total)
            switch axis {
            case .horizontal: rects.append(Rect(x: x + start, y: y, width: length, height: height))
            case .vertical: rects.append(Rect(x: x, y: y + start, width: width, height: length))
            }
            offset = start + length
        }
        return rects
    }
}

/// The arithmetic behind `Rect.split`, kept separate so it can be tested on plain numbers.
enum Layout {
    /// Lengths for each constraint; they and the spacing add up to at most `total`.
    static func lengths(total: Int, constraints: [Constraint], spacing: Int) -> [Int] {
        guard !constraints.isEmpty else { return [] }
        let gaps = Swift.max(0, spacing) * (constraints.count - 1)
        var available = Swift.max(0, total - gaps)
        var lengths = [Int](repeating: 0, count: constraints.count)

        // Fixed, percentage and minimum parts claim their space in order, so earlier parts win when short.
        for (index, constraint) in constraints.enumerated() {
            let wanted: Int
            switch constraint {
            case .fixed(let n): wanted = Swift.max(0, n)
            case .percent(let p): wanted = Swift.max(0, total * Swift.min(100, Swift.max(0, p)) / 100)
            case .min(let n): wanted = Swift.max(0, n)
            case .fill: wanted = 0
            }
            let granted = Swift.min(wanted, available)
            lengths[index] = granted
            available -= granted
        }

        // Leftover space is shared by fill and min parts by weight; the remainder goes to the first ones.
        let weights = constraints.map { constraint -> Int in
            switch constraint {
            case .fill(let w): return Swift.max(0, w)
            case .min: return 1
            default: return 0
            }
        }
        let weightSum = weights.reduce(0, +)
        guard weightSum > 0, available > 0 else { return lengths }
        var handed = 0
        for index in lengths.indices where weights[index] > 0 {
            let share = available * weights[index] / weightSum
            lengths[index] += share
            handed += share
        }
        var remainder = available - handed
        for index in lengths.indices where weights[index] > 0 && remainder > 0 {
            lengths[index] += 1
            remainder -= 1
        }
        return lengths
    }
}
