import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("Histogram and StatusLine")
struct HistogramTests {
    @Test("levels scale to the maximum; any event shows", arguments: [
        ([0, 1, 2, 4, 8], 1, [0, 1, 2, 4, 8]),
        ([0, 1, 1000], 1, [0, 1, 8]),
        ([5, 5], 1, [8, 8]),
        ([0, 0], 1, [0, 0]),
        ([1, 2, 3, 4], 2, [4, 8, 12, 16]),
        ([], 1, []),
    ])
    func levels(values: [Int], height: Int, expected: [Int]) {
        #expect(Histogram.levels(values, height: height) == expected)
    }

    @Test("binning sums into buckets", arguments: [
        ([1, 1, 1, 1, 1, 1], 3, [2, 2, 2]),
        ([1, 2, 3, 4, 5], 2, [6, 9]),
        ([7], 3, [7, 0, 0]),
        ([], 2, [0, 0]),
        ([1, 2], 0, []),
    ])
    func binning(values: [Int], width: Int, expected: [Int]) {
        #expect(Histogram.bin(values, into: width) == expected)
        #expect(Histogram.bin(values, into: width).reduce(0, +) == (width > 0 ? values.reduce(0, +) : 0))
    }

    @Test("draws a strip with a marked range")
    func strip() {
        var buffer = ScreenBuffer(width: 12, height: 1)
        Histogram(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 4], marked: 3..<6).draw(into: &buffer, in: buffer.bounds)
        #expect(buffer.renderText() == " ▁▂▃▄▅▆▇█▄")
        assertSnapshot(buffer, named: "histogram-styled", styled: true)
    }

    @Test("taller histograms stack bars")
    func tall() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        Histogram(values: [16, 8, 4, 1]).draw(into: &buffer, in: buffer.bounds)
        #expect(buffer.renderText() == "█\n██▄▁")
    }

    @Test("status line: left segments, right segments, key hints")
    func statusLine() {
        var buffer = ScreenBuffer(width: 60, height: 2)
        let hints = StatusLine.keyHints([("q", "quit"), ("/", "search"), ("?", "help")])
        StatusLine(left: ["NORMAL", StyledText("filter: user=alice", .accent)], right: ["12/4,203"])
            .draw(into: &buffer, in: buffer.bounds.row(0))
        StatusLine(left: [hints]).draw(into: &buffer, in: buffer.bounds.row(1))
        assertSnapshot(buffer, named: "status-line")
        assertSnapshot(buffer, named: "status-line-styled", styled: true)
    }

    @Test("status line: the left side wins when space is short")
    func statusLineNarrow() {
        var buffer = ScreenBuffer(width: 24, height: 1)
        StatusLine(left: ["a long mode and filter description"], right: ["1/2000000"]).draw(into: &buffer, in: buffer.bounds)
        #expect(buffer.renderText() == " a long mode… 1/2000000")
        #expect(buffer[23, 0].style.role == .status)
    }
}
