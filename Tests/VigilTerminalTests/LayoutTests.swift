import Testing
@testable import VigilTerminal

@Suite("Geometry and layout")
struct LayoutTests {
    @Test("rect intersection, inset and centring")
    func rectBasics() {
        let r = Rect(x: 2, y: 3, width: 10, height: 4)
        #expect(r.maxX == 12 && r.maxY == 7)
        #expect(r.intersection(Rect(x: 0, y: 0, width: 5, height: 5)) == Rect(x: 2, y: 3, width: 3, height: 2))
        #expect(r.intersection(Rect(x: 50, y: 50, width: 5, height: 5)).isEmpty)
        #expect(r.inset(by: 1) == Rect(x: 3, y: 4, width: 8, height: 2))
        #expect(r.inset(by: 5).isEmpty)
        #expect(Rect(x: 0, y: 0, width: 20, height: 10).centered(Size(width: 6, height: 4)) == Rect(x: 7, y: 3, width: 6, height: 4))
        #expect(Rect(x: 0, y: 0, width: 4, height: 2).centered(Size(width: 6, height: 4)) == Rect(x: 0, y: 0, width: 4, height: 2))
        #expect(r.contains(Point(x: 2, y: 3)) && !r.contains(Point(x: 12, y: 3)))
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).width == 0)
    }

    @Test("splits by constraints", arguments: [
        (100, [Constraint.fixed(1), .fill(1), .fixed(1)], 0, [1, 98, 1]),
        (100, [.percent(40), .fill(1)], 0, [40, 60]),
        (100, [.percent(40), .fill(1)], 1, [40, 59]),
        (10, [.fill(1), .fill(1), .fill(1)], 0, [4, 3, 3]),
        (10, [.fill(2), .fill(1)], 0, [7, 3]),
        (10, [.fixed(6), .fixed(6)], 0, [6, 4]),
        (10, [.min(4), .fill(1)], 0, [7, 3]),
        (3, [.min(4), .fill(1)], 0, [3, 0]),
        (0, [.fixed(2), .fill(1)], 0, [0, 0]),
        (20, [.fixed(5), .fixed(5)], 0, [5, 5]),
    ])
    func lengths(total: Int, constraints: [Constraint], spacing: Int, expected: [Int]) {
        #expect(Layout.lengths(total: total, constraints: constraints, spacing: spacing) == expected)
    }

    @Test("split places parts side by side and stacked, with spacing")
    func splitRects() {
        let screen = Rect(x: 0, y: 0, width: 80, height: 24)
        let rows = screen.split(.vertical, [.fixed(1), .fill(1), .fixed(1)])
        #expect(rows == [
            Rect(x: 0, y: 0, width: 80, height: 1),
            Rect(x: 0, y: 1, width: 80, height: 22),
            Rect(x: 0, y: 23, width: 80, height: 1),
        ])
        let columns = rows[1].split(.horizontal, [.percent(25), .fill(1)], spacing: 1)
        #expect(columns == [Rect(x: 0, y: 1, width: 20, height: 22), Rect(x: 21, y: 1, width: 59, height: 22)])
        #expect(screen.split(.horizontal, []).isEmpty)
    }

    @Test("parts never exceed the whole", arguments: 0...30)
    func neverOverflows(total: Int) {
        let parts = Rect(x: 0, y: 0, width: total, height: 1)
            .split(.horizontal, [.fixed(7), .percent(30), .min(3), .fill(2)], spacing: 1)
        #expect(parts.allSatisfy { $0.maxX <= total })
        #expect(parts.map(\.width).reduce(0, +) <= total)
    }
}
