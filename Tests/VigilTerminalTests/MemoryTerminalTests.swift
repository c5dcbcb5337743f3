import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("MemoryTerminal")
struct MemoryTerminalTests {
    @Test("hands out scripted keys, then timeouts")
    func scriptedKeys() {
        let terminal = MemoryTerminal(width: 20, height: 5, keys: [.char("j")])
        terminal.send(.down, .enter)
        terminal.type("ab")
        var keys: [Key] = []
        while let key = terminal.nextEvent(timeoutMilliseconds: 0) { keys.append(key) }
        #expect(keys == [.char("j"), .down, .enter, .char("a"), .char("b")])
        #expect(terminal.nextEvent(timeoutMilliseconds: 100) == nil)
    }

    @Test("keeps the last frame and its theme")
    func lastFrame() {
        let terminal = MemoryTerminal(width: 10, height: 2)
        #expect(terminal.screenText == "")
        var buffer = ScreenBuffer(size: terminal.size)
        buffer.put("frame 1", at: .zero)
        terminal.draw(buffer, theme: .default)
        buffer.put("frame 2", at: .zero)
        terminal.draw(buffer, theme: .monochrome)
        #expect(terminal.screenText == "frame 2\n")
        #expect(terminal.lastTheme == .monochrome)
        #expect(terminal.drawCount == 2)
    }

    @Test("resizing changes the size and queues a resize event")
    func resize() {
        let terminal = MemoryTerminal(width: 80, height: 24)
        terminal.resize(to: Size(width: 100, height: 30))
        #expect(terminal.size == Size(width: 100, height: 30))
        #expect(terminal.nextEvent(timeoutMilliseconds: 0) == .resize)
    }

    @Test("a session restores the terminal when the body throws")
    func sessionRestores() {
        struct Boom: Error {}
        let terminal = MemoryTerminal(width: 10, height: 2)
        #expect(throws: Boom.self) {
            try TerminalSession.run(terminal) { _ in throw Boom() }
        }
        #expect(terminal.isShutDown)
        let other = MemoryTerminal(width: 10, height: 2)
        let result = try? TerminalSession.run(other) { $0.size.width }
        #expect(result == 10 && other.isShutDown)
    }

    @Test("a tiny event loop: keys become state, state becomes frames")
    func loop() {
        let terminal = MemoryTerminal(width: 12, height: 4, keys: [.down, .down, .up, .char("q")])
        let items: [StyledText] = ["one", "two", "three"]
        var state = ListState()
        loop: while true {
            var buffer = ScreenBuffer(size: terminal.size)
            state = ListView(items: items, selectionSymbol: "> ").draw(into: &buffer, in: buffer.bounds, state: state)
            terminal.draw(buffer, theme: .default)
            switch terminal.nextEvent(timeoutMilliseconds: 0) {
            case .down: state.move(by: 1, count: items.count)
            case .up: state.move(by: -1, count: items.count)
            case .char("q"), nil: break loop
            default: break
            }
        }
        #expect(terminal.screenText == "  one\n> two\n  three\n")
    }

    @Test("too-small notice")
    func tooSmall() throws {
        #expect(SizeNotice.buffer(size: Size(width: 80, height: 24), minimum: Size(width: 60, height: 20)) == nil)
        let buffer = try #require(SizeNotice.buffer(size: Size(width: 40, height: 5), minimum: Size(width: 60, height: 20)))
        assertSnapshot(buffer, named: "size-notice")
    }
}
