import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("TableView")
struct TableViewTests {
    let columns = [
        TableColumn("Sev", .fixed(3)),
        TableColumn("Time", .fixed(8)),
        TableColumn("Principal", .flex(2, min: 6)),
        TableColumn("Action", .flex(1, min: 6)),
        TableColumn("N", .fixed(3), alignRight: true),
    ]
    let rows: [[StyledText]] = [
        [StyledText("!!", .severityCritical), "10:00:01", "arn:aws:iam::123:user/alice", "CreateAccessKey", "12"],
        [StyledText("~ ", .severityMedium), "10:00:05", "東京-operator", "AssumeRole", "3"],
        [StyledText(". ", .severityInfo), "10:01:00", "evil\u{1b}[2J\u{202E}", "GetObject", "1"],
    ]

    @Test("draws header, clipped cells and a selection")
    func draws() {
        var buffer = ScreenBuffer(width: 50, height: 4)
        TableView(columns: columns, rows: rows).draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 1))
        assertSnapshot(buffer, named: "table")
        #expect(buffer[0, 0].style.role == .tableHeader)
        #expect(buffer[5, 2].style.role == .selection)
    }

    @Test("narrow tables drop the columns that no longer fit")
    func narrow() {
        var buffer = ScreenBuffer(width: 22, height: 4)
        TableView(columns: columns, rows: rows).draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 0))
        assertSnapshot(buffer, named: "table-narrow")
    }

    @Test("column widths: fixed first, then minimums, then shares", arguments: [
        ([ColumnWidth.fixed(3), .flex(1, min: 0), .fixed(2)], 20, 1, [3, 13, 2]),
        ([.flex(2, min: 0), .flex(1, min: 0)], 30, 0, [20, 10]),
        ([.fixed(5), .flex(1, min: 10), .flex(1, min: 10)], 20, 1, [5, 14, 0]),
        ([.fixed(5), .fixed(5)], 7, 1, [5, 1]),
        ([.fixed(4), .flex(1, min: 3)], 4, 1, [4, 0]),
        ([.flex(1, min: 0)], 0, 1, [0]),
    ])
    func widths(rules: [ColumnWidth], total: Int, spacing: Int, expected: [Int]) {
        let widths = TableView.columnWidths(rules, total: total, spacing: spacing)
        #expect(widths == expected)
        let shown = widths.filter { $0 > 0 }
        #expect(shown.reduce(0, +) + max(0, shown.count - 1) * spacing <= total)
    }

    @Test("scrolls to keep the selection visible below the header")
    func scrolls() {
        let many = (0..<30).map { [StyledText("\($0)")] }
        let table = TableView(columns: [TableColumn("#", .flex())], rows: many)
        var buffer = ScreenBuffer(width: 5, height: 6)
        let state = table.draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 12))
        #expect(table.visibleRows(in: buffer.bounds) == 5)
        #expect(state.offset == 8)
        #expect(buffer.renderText() == "#\n8\n9\n10\n11\n12")
    }

    @Test("an empty table shows its message under the header")
    func empty() {
        var buffer = ScreenBuffer(width: 20, height: 3)
        TableView(columns: [TableColumn("Event", .flex())], rows: [], emptyText: "no events match")
            .draw(into: &buffer, in: buffer.bounds, state: ListState())
        #expect(buffer.renderText() == "Event\nno events match\n")
    }
}
