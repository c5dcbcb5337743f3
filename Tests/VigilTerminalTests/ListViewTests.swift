import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("ListView")
struct ListViewTests {
    let items: [StyledText] = (1...20).map { StyledText("item \($0)") }

    @Test("draws a selection with markers")
    func markers() {
        var buffer = ScreenBuffer(width: 20, height: 5)
        let markers: [StyledText] = (1...20).map { StyledText($0 % 3 == 0 ? "!!" : "", .severityCritical) }
        let state = ListView(items: items, markers: markers, selectionSymbol: "› ")
            .draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 2))
        #expect(state == ListState(selected: 2, offset: 0))
        assertSnapshot(buffer, named: "list-markers")
        assertSnapshot(buffer, named: "list-markers-styled", styled: true)
    }

    @Test("scrolls only as much as needed to show the selection")
    func minimalScroll() {
        var buffer = ScreenBuffer(width: 10, height: 5)
        let list = ListView(items: items)
        var state = list.draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 7))
        #expect(state.offset == 3)  // selection on the last row
        state.move(by: -1, count: items.count)
        state = list.draw(into: &buffer, in: buffer.bounds, state: state)
        #expect(state.offset == 3)  // moving within the view does not scroll
        state.move(by: -5, count: items.count)
        state = list.draw(into: &buffer, in: buffer.bounds, state: state)
        #expect(state == ListState(selected: 1, offset: 1))
    }

    @Test("new items arriving below do not move the view")
    func stableUnderLoad() {
        let list = ListView(items: Array(items.prefix(10)))
        var buffer = ScreenBuffer(width: 10, height: 4)
        let before = list.draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 5, offset: 3))
        let grown = ListView(items: items)
        let after = grown.draw(into: &buffer, in: buffer.bounds, state: before)
        #expect(after == before)
    }

    @Test("state adjustments clamp to the list", arguments: [
        (ListState(selected: 50, offset: 0), 20, 5, ListState(selected: 19, offset: 15)),
        (ListState(selected: 0, offset: 18), 20, 5, ListState(selected: 0, offset: 0)),
        (ListState(selected: nil, offset: 30), 20, 5, ListState(selected: nil, offset: 15)),
        (ListState(selected: 3, offset: 2), 0, 5, ListState(selected: nil, offset: 0)),
        (ListState(selected: 2, offset: 1), 3, 10, ListState(selected: 2, offset: 0)),
    ])
    func adjusted(state: ListState, count: Int, rows: Int, expected: ListState) {
        #expect(state.adjusted(count: count, visibleRows: rows) == expected)
    }

    @Test("moving stops at the ends; clicks map to rows")
    func moves() {
        var state = ListState()
        state.move(by: -3, count: 5)
        #expect(state.selected == 0)
        state.move(by: 10, count: 5)
        #expect(state.selected == 4)
        state.selectFirst(count: 5)
        #expect(state.selected == 0)
        state.selectLast(count: 0)
        #expect(state.selected == nil)
        #expect(ListState(selected: 0, offset: 10).row(atVisibleRow: 2, count: 20) == 12)
        #expect(ListState(selected: 0, offset: 10).row(atVisibleRow: 12, count: 20) == nil)
    }

    @Test("an empty list shows its message; an unfocused selection is quieter")
    func emptyAndUnfocused() {
        var buffer = ScreenBuffer(width: 20, height: 2)
        ListView(items: [], emptyText: "no findings yet").draw(into: &buffer, in: buffer.bounds, state: ListState())
        #expect(buffer.renderText() == "no findings yet\n")
        #expect(buffer[0, 0].style.role == .muted)
        buffer = ScreenBuffer(width: 20, height: 2)
        ListView(items: ["a", "b"], focused: false).draw(into: &buffer, in: buffer.bounds, state: ListState(selected: 1))
        #expect(buffer[0, 1].style.role == .selectionInactive)
        #expect(buffer[0, 0].style.role == .text)
    }
}
