import Testing
@testable import VigilIngest
import VigilCore

/// Flow-log data lines split into tokens eight bytes at a time and each column's value taken in column order;
/// lines with more tokens than are recorded read column by column, with the same results.
@Suite("Flow line tokens")
struct FlowLineTokensTests {
    /// Tokens of `text` as strings, by the word-at-a-time splitter.
    static func tokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        let t = FlowLineTokens()
        return bytes.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return [] }
            t.split(p, b.count)
            return (0..<min(t.count, FlowLineTokens.capacity)).map { String(decoding: b[t.start($0)..<t.end($0)], as: UTF8.self) }
        }
    }

    /// Tokens by the plain definition: maximal runs of bytes other than space and tab.
    static func reference(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    static func read(_ text: String) -> IngestBatch {
        var batch = IngestBatch()
        var reader = FlowLogReader(source: "f")
        var copy = text
        copy.withUTF8 { reader.read(UnsafeRawBufferPointer($0), firstLineNumber: 1, into: &batch) }
        return batch
    }

    @Test("tokens of every length, at every alignment, split by single or mixed runs of spaces and tabs",
          arguments: [" ", "\t", "  ", " \t ", "\t\t\t\t\t\t\t\t\t"])
    func splitsLikeTheDefinition(separator: String) {
        for lead in ["", " ", "\t ", "       "] {
            for length in 1...20 {
                let words = (0..<5).map { k in String(repeating: Character(UnicodeScalar(UInt8(97 + (k + length) % 26))), count: length + k) }
                let line = lead + words.joined(separator: separator) + lead
                #expect(Self.tokens(line) == Self.reference(line), "\(line.debugDescription)")
            }
        }
        #expect(Self.tokens("") == [])
        #expect(Self.tokens(" \t  ") == [])
        // Bytes next to the separators' values and non-ASCII bytes are not separators.
        let odd = "a\u{1F}b!c\u{08}d\u{0A}e é\u{A0}f \u{2009}g"
        #expect(Self.tokens(odd) == Self.reference(odd))
    }

    @Test("lines with more tokens than are recorded still count them all")
    func overLongLine() {
        let line = (0..<100).map(String.init).joined(separator: " ")
        let t = FlowLineTokens()
        Array(line.utf8).withUnsafeBufferPointer { t.split($0.baseAddress!, $0.count) }
        #expect(t.count == 100)
        let batch = Self.read(line + "\n")
        #expect(batch.events.isEmpty)
        #expect(batch.diagnostics.map(\.message) == ["expected 14 fields, found 100"])
    }

    @Test("tabs, runs of spaces, dashes and CRLF read as the plain line does")
    func awkwardSpacing() throws {
        let plain = "2 123456789010 eni-1235b8ca123456789 2001:db8::1234:5678 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 REJECT OK"
        let awkward = "\t 2\t123456789010  eni-1235b8ca123456789\t\t2001:db8::1234:5678 172.31.16.21 20641\t22 6 20 4249 1418530010 1418530070 REJECT OK \t\r"
        let a = try #require(Self.read(plain + "\n").events.first), b = try #require(Self.read(awkward + "\n").events.first)
        #expect(a.flow == b.flow)
        #expect(a.sourceIP == b.sourceIP && a.resources == b.resources && a.outcome == b.outcome && a.time == b.time)
        let dashes = try #require(Self.read("2 - - - - - - - - - - 1418530070 - NODATA\r\n").events.first)
        #expect(dashes.flow == FlowFields(version: 2, end: Timestamp(seconds: 1_418_530_070), status: .noData))
        #expect(dashes.account == nil && dashes.sourceIP == nil && dashes.resources.isEmpty)
    }

    @Test("a bad line reports its first bad column, whatever order the format puts fields in")
    func firstProblemInColumnOrder() {
        let text = """
        action srcaddr dstaddr srcport dstport start
        MAYBE 10.0.0.300 10.0.0.2 1 2 1600000000
        ACCEPT 10.0.0.1 10.0.0.2 70000 abc 1600000000
        ACCEPT 10.0.0.1 10.0.0.2 1 2 1600000000
        """
        let batch = Self.read(text)
        #expect(batch.events.count == 1)
        #expect(batch.diagnostics.map(\.message) == ["action 'MAYBE' is not ACCEPT or REJECT", "srcport '70000' is not a port number"])
        #expect(batch.diagnostics.map(\.line) == [2, 3])
    }

    @Test("a format naming a field twice keeps the last value and checks both, as before")
    func repeatedField() throws {
        let text = """
        srcaddr dstaddr start srcaddr
        10.0.0.1 10.0.0.2 1600000000 10.0.0.3
        10.0.0.300 10.0.0.2 1600000000 10.0.0.3
        """
        let batch = Self.read(text)
        #expect(batch.events.map(\.sourceIP) == ["10.0.0.3"])
        #expect(batch.diagnostics.map(\.message) == ["srcaddr '10.0.0.300' is not an IP address"])
    }

    @Test("a line with more tokens than are recorded is counted and reported; the next line reads normally")
    func tooManyTokens() {
        let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        let good = "2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 1 1600000000 1600000001 ACCEPT OK"
        let long = good + String(repeating: " x", count: 56)
        let batch = Self.read([header, long, good, long.replacingOccurrences(of: "10.0.0.1", with: "10.0.0.300")].joined(separator: "\n"))
        #expect(batch.events.count == 1)
        #expect(batch.events.first?.sourceIP == "10.0.0.1")
        #expect(batch.diagnostics.map(\.message) == ["expected 14 fields, found 70", "expected 14 fields, found 70"])
        #expect(batch.diagnostics.map(\.line) == [2, 4])
    }
}
