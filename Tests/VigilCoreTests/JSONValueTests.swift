import Testing
@testable import VigilCore

@Suite("JSONValue string writing")
struct JSONValueTests {
    @Test("plain text is written as it is; quotes, backslashes, controls and invisible characters are escaped",
          arguments: [
              ("arn:aws:iam::111122223333:user/alice", #""arn:aws:iam::111122223333:user/alice""#),
              ("", #""""#),
              ("say \"hi\"", #""say \"hi\"""#),
              ("C:\\temp", #""C:\\temp""#),
              ("a\nb\tc\r", #""a\nb\tc\r""#),
              ("bell\u{07}del\u{7F}", #""bell\u0007del\u007f""#),
              ("café", "\"café\""),
              ("evil\u{202E}txt", #""evil\u202etxt""#),
              ("tag\u{E0041}", #""tag\udb40\udc41""#),
          ])
    func writes(_ text: String, _ expected: String) {
        #expect(JSONValue.quoted(text) == expected)
        var out = "x"
        JSONValue.writeString(text, into: &out)
        #expect(out == "x" + expected)
    }
}
