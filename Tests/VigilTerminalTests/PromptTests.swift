import VigilSnapshotTesting
import Testing
@testable import VigilTerminal

@Suite("Prompt")
struct PromptTests {
    func typed(_ text: String, into prompt: inout Prompt) {
        for character in text { _ = prompt.handle(.char(character)) }
    }

    @Test("inserts, moves and deletes")
    func editing() {
        var prompt = Prompt(prefix: "/")
        typed("helo", into: &prompt)
        #expect(prompt.handle(.left) == .edited)
        typed("l", into: &prompt)
        #expect(prompt.text == "hello" && prompt.cursor == 4)
        _ = prompt.handle(.home)
        #expect(prompt.handle(.backspace) == .ignored)
        _ = prompt.handle(.delete)
        #expect(prompt.text == "ello")
        _ = prompt.handle(.end)
        #expect(prompt.handle(.right) == .ignored)
        _ = prompt.handle(.backspace)
        #expect(prompt.text == "ell" && prompt.cursor == 3)
        _ = prompt.handle(.ctrl("a"))
        _ = prompt.handle(.ctrl("k"))
        #expect(prompt.text == "" && prompt.cursor == 0)
    }

    @Test("Ctrl-W cuts a word, Ctrl-U to the start")
    func cutting() {
        var prompt = Prompt(text: "filter user alice  ")
        _ = prompt.handle(.ctrl("w"))
        #expect(prompt.text == "filter user ")
        _ = prompt.handle(.left)
        _ = prompt.handle(.ctrl("u"))
        #expect(prompt.text == " " && prompt.cursor == 0)
    }

    @Test("Enter submits and remembers; Esc cancels")
    func submitAndCancel() {
        var prompt = Prompt(text: "goto 2024-05-01")
        #expect(prompt.handle(.enter) == .submitted("goto 2024-05-01"))
        #expect(prompt.history == ["goto 2024-05-01"])
        _ = prompt.handle(.enter)
        #expect(prompt.history.count == 1)  // repeats are not stored twice
        #expect(prompt.handle(.escape) == .cancelled)
        #expect(prompt.handle(.ctrl("c")) == .cancelled)
        #expect(prompt.handle(.function(3)) == .ignored)
    }

    @Test("history walks back and returns to the draft")
    func history() {
        var prompt = Prompt(history: ["first", "second"])
        typed("dra", into: &prompt)
        _ = prompt.handle(.up)
        #expect(prompt.text == "second")
        _ = prompt.handle(.up)
        #expect(prompt.text == "first")
        #expect(prompt.handle(.up) == .ignored)
        _ = prompt.handle(.down)
        #expect(prompt.text == "second")
        _ = prompt.handle(.down)
        #expect(prompt.text == "dra")
        #expect(prompt.handle(.down) == .ignored)
        var empty = Prompt()
        #expect(empty.handle(.up) == .ignored)
    }

    @Test("history keeps at most its limit")
    func historyLimit() {
        var prompt = Prompt()
        prompt.historyLimit = 3
        for n in 1...5 {
            prompt.text = "cmd \(n)"
            _ = prompt.handle(.enter)
        }
        #expect(prompt.history == ["cmd 3", "cmd 4", "cmd 5"])
    }

    @Test("Tab completes a single match, extends a common prefix, then cycles")
    func completion() {
        let candidates = ["filter ", "goto ", "theme default", "theme light", "theme high-contrast", "quit"]
        var prompt = Prompt(prefix: ":", candidates: candidates)
        typed("g", into: &prompt)
        _ = prompt.handle(.tab)
        #expect(prompt.text == "goto ")
        prompt.text = "TH"
        _ = prompt.handle(.tab)
        #expect(prompt.text == "theme ")
        #expect(prompt.completions == nil)
        _ = prompt.handle(.tab)
        #expect(prompt.text == "theme default")
        #expect(prompt.completions?.selected == 0)
        _ = prompt.handle(.tab)
        #expect(prompt.text == "theme light")
        _ = prompt.handle(.backTab)
        _ = prompt.handle(.backTab)
        #expect(prompt.text == "theme high-contrast")
        _ = prompt.handle(.char("!"))
        #expect(prompt.completions == nil)
        prompt.text = "zzz"
        #expect(prompt.handle(.tab) == .ignored)
    }

    @Test("longest common prefix", arguments: [
        (["theme a", "theme b"], "theme "), (["abc"], "abc"), ([], ""), (["x", "y"], ""),
    ])
    func commonPrefix(strings: [String], expected: String) {
        #expect(Prompt.longestCommonPrefix(strings) == expected)
    }

    @Test("draws prefix, text and cursor; scrolls to keep the cursor visible")
    func drawing() {
        var buffer = ScreenBuffer(width: 12, height: 2)
        var prompt = Prompt(prefix: ":", text: "filter actor=alice")
        prompt.draw(into: &buffer, in: buffer.row(0))
        _ = prompt.handle(.home)
        prompt.draw(into: &buffer, in: buffer.row(1))
        assertSnapshot(buffer, named: "prompt-styled", styled: true)
    }

    @Test("placeholder and hostile text")
    func placeholderAndHostile() {
        var buffer = ScreenBuffer(width: 30, height: 2)
        Prompt(prefix: "/", placeholder: "search events").draw(into: &buffer, in: buffer.row(0))
        var hostile = Prompt(prefix: "/")
        typed("a\u{1b}[2J", into: &hostile)
        hostile.draw(into: &buffer, in: buffer.row(1), focused: false)
        #expect(buffer.renderText() == "/search events\n/a\\x1B[2J")
        #expect(buffer[1, 0].style.role == .cursor)
        #expect(buffer[2, 0].style.role == .muted)
    }
}

extension ScreenBuffer {
    func row(_ y: Int) -> Rect { bounds.row(y) }
}
