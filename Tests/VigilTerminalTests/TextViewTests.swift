import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("TextView and Tabs")
struct TextViewTests {
    let lines: [StyledText] = (1...30).map { StyledText("line \($0) of the detail text") }

    @Test("draws from the offset, scrolled sideways, clipped")
    func scrolling() {
        var buffer = ScreenBuffer(width: 12, height: 3)
        let state = TextView(lines: lines).draw(into: &buffer, in: buffer.bounds, state: TextViewState(offset: 4, column: 2))
        #expect(state == TextViewState(offset: 4, column: 2))
        #expect(buffer.renderText() == "ne 5 of the\nne 6 of the\nne 7 of the")
    }

    @Test("scrolling clamps to the text")
    func clamping() {
        var state = TextViewState()
        state.scroll(by: 100, lineCount: 30, visibleRows: 10)
        #expect(state.offset == 20)
        state.scroll(by: -50, lineCount: 30, visibleRows: 10)
        #expect(state.offset == 0)
        state.scrollToBottom(lineCount: 5, visibleRows: 10)
        #expect(state.offset == 0)
        state.scrollColumns(by: -3)
        #expect(state.column == 0)
        #expect(TextViewState(offset: 99).adjusted(lineCount: 30, visibleRows: 10).offset == 20)
    }

    @Test("search matches are highlighted and found")
    func search() {
        var buffer = ScreenBuffer(width: 30, height: 2)
        let view = TextView(lines: ["RunInstances by alice", "no match here"], highlight: "alice")
        view.draw(into: &buffer, in: buffer.bounds, state: TextViewState())
        assertSnapshot(buffer, named: "textview-search-styled", styled: true)
        #expect(view.matchingLines("ALICE") == [0])
        #expect(view.matchingLines("") == [])
    }

    @Test("sideways scrolling through wide characters never shows half a glyph")
    func wideSideways() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        TextView(lines: ["東京大阪"]).draw(into: &buffer, in: buffer.bounds, state: TextViewState(column: 1))
        #expect(buffer.renderText() == " 京大")
    }

    @Test("tabs with numbers and a badge")
    func tabs() {
        var buffer = ScreenBuffer(width: 60, height: 1)
        let tabs = Tabs([Tab("Findings", badge: "3"), Tab("Timeline"), Tab("Checklist"), Tab("Detail")], selected: 1)
        tabs.draw(into: &buffer, in: buffer.bounds)
        assertSnapshot(buffer, named: "tabs")
        assertSnapshot(buffer, named: "tabs-styled", styled: true)
        #expect(tabs.tab(at: Point(x: 15, y: 0), in: buffer.bounds) == 1)
        #expect(tabs.tab(at: Point(x: 41, y: 0), in: buffer.bounds) == nil)  // the gap after tab 3
        #expect(tabs.tab(at: Point(x: 42, y: 0), in: buffer.bounds) == 3)
    }

    @Test("tabs that do not fit are cut")
    func tabsNarrow() {
        var buffer = ScreenBuffer(width: 20, height: 1)
        Tabs([Tab("Findings"), Tab("Timeline"), Tab("Checklist")], selected: 0).draw(into: &buffer, in: buffer.bounds)
        #expect(buffer.renderText() == " 1 Findings   2 Tim…")
    }
}
