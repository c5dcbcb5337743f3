import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("Box and Modal")
struct BoxTests {
    @Test("draws a titled frame and returns the inside")
    func titled() {
        var buffer = ScreenBuffer(width: 24, height: 5)
        let inner = Box(title: "Findings", trailingTitle: "3/120", focused: true).draw(into: &buffer, in: buffer.bounds)
        #expect(inner == Rect(x: 1, y: 1, width: 22, height: 3))
        buffer.put("content that is far too long", at: inner.origin, clipTo: inner)
        assertSnapshot(buffer, named: "box-titled")
        #expect(buffer[0, 0].style.role == .focusBorder)
        #expect(buffer[3, 0].style.role == .focusTitle)
    }

    @Test("unfocused boxes use the plain border role; long titles are cut")
    func unfocused() {
        var buffer = ScreenBuffer(width: 14, height: 3)
        Box(title: "A very long pane title", trailingTitle: "99", focused: false).draw(into: &buffer, in: buffer.bounds)
        assertSnapshot(buffer, named: "box-long-title")
        #expect(buffer[0, 0].style.role == .border)
    }

    @Test("tiny and empty areas draw nothing harmful", arguments: [0, 1, 2, 3])
    func tiny(size: Int) {
        var buffer = ScreenBuffer(width: 4, height: 4)
        let inner = Box("t").draw(into: &buffer, in: Rect(x: 0, y: 0, width: size, height: size))
        #expect(inner.width == max(0, size - 2))
    }

    @Test("a modal is centred over the content")
    func modal() {
        var buffer = ScreenBuffer(width: 30, height: 9)
        for y in 0..<9 { buffer.put(String(repeating: ".", count: 30), at: Point(x: 0, y: y)) }
        let inner = Modal(title: "Quit?", size: Size(width: 20, height: 5), trailingTitle: "Esc").draw(into: &buffer, in: buffer.bounds)
        buffer.put("y/n", at: inner.origin, clipTo: inner)
        assertSnapshot(buffer, named: "modal")
        #expect(buffer[inner.x + 5, inner.y].style.role == .modal)
    }

    @Test("a modal larger than the screen keeps a margin")
    func modalTooBig() {
        let frame = Modal(title: "Help", size: Size(width: 200, height: 100)).frame(in: Rect(x: 0, y: 0, width: 40, height: 12))
        #expect(frame == Rect(x: 1, y: 1, width: 38, height: 10))
    }

    @Test("a trailing title that does not fit whole is dropped")
    func trailingDropped() {
        var buffer = ScreenBuffer(width: 16, height: 3)
        Box(title: "Quit?", trailingTitle: "Esc close").draw(into: &buffer, in: buffer.bounds)
        #expect(buffer.renderText().hasPrefix("┌─ Quit? ──────┐"))
    }
}
