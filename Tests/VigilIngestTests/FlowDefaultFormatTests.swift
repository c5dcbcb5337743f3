import Testing
@testable import VigilIngest
import VigilCore

/// Lines of the version-2 default format are read in one pass of their own; whatever that pass does not take
/// falls back to the general reader. Read in the default order and in another order (which only the general
/// reader handles), every line must give the same event or the same error.
@Suite("Flow logs, default format")
struct FlowDefaultFormatTests {
    static let names = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
                        "packets", "bytes", "start", "end", "action", "log-status"]
    /// Another order of the same fields.
    static let shuffled = [13, 0, 12, 5, 3, 1, 11, 2, 6, 4, 10, 7, 9, 8]

    static let good = ["2", "123456789010", "eni-1235b8ca123456789", "172.31.16.139", "172.31.16.21", "20641", "22", "6",
                       "20", "4249", "1418530010", "1418530070", "ACCEPT", "OK"]

    /// `good` with field `k` replaced.
    static func with(_ k: Int, _ value: String) -> [String] {
        var fields = good
        fields[k] = value
        return fields
    }

    static let lines: [[String]] = [
        good,
        with(12, "REJECT"),
        with(3, "2001:db8::1234:5678"),
        with(4, "::ffff:10.0.0.1"),
        with(9, "000000000000004249"),             // 18 digits, leading zeros
        with(9, "9999999999999999999"),            // 19 digits: too long
        with(5, "65535"), with(5, "65536"), with(6, "abc"), with(6, "-5"),
        with(7, "300"),                           // a protocol number past 255 is left out, not an error
        with(10, "253402300800"),                 // past the year 9999
        with(3, "10.0.0.300"), with(4, "010.0.0.1"),
        with(1, "-"), with(2, "-"), with(3, "-"), with(10, "-"),
        with(12, "accept"), with(12, "MAYBE"), with(13, "NODATA"), with(13, "SKIPDATA"), with(13, "ok"), with(13, "OKAY"),
        ["2", "123456789010", "eni-1", "-", "-", "-", "-", "-", "-", "-", "1418530010", "1418530070", "-", "NODATA"],
        good + ["extra"],
        Array(good.dropLast()),
    ]

    static func read(_ text: String) -> IngestBatch { FlowLineTokensTests.read(text) }

    /// What a reader made of the lines: each event's fields, and each diagnostic.
    static func outcome(_ batch: IngestBatch) -> [String] {
        batch.events.map { e in
            "\(e.time) \(e.action) \(e.outcome) \(e.sourceIP ?? "-") \(e.account ?? "-") \(e.resources) \(String(describing: e.flow))"
        } + batch.diagnostics.map { "\($0.line ?? 0): \($0.message)" }
    }

    @Test("every line reads as it does in another order of the same fields", arguments: lines.indices)
    func sameAsGeneralReader(line k: Int) {
        let fields = Self.lines[k]
        let defaultOrder = Self.names.joined(separator: " ") + "\n" + fields.joined(separator: " ") + "\n"
        // A line with a field too many or too few has no order to shuffle; it is read in the same order below.
        let other = fields.count == Self.names.count ? Self.shuffled.map { fields[$0] } : fields
        let otherOrder = Self.shuffled.map { Self.names[$0] }.joined(separator: " ") + "\n" + other.joined(separator: " ") + "\n"
        let fast = Self.read(defaultOrder), general = Self.read(otherOrder)
        #expect(Self.outcome(fast) == Self.outcome(general), "\(fields)")
        #expect(fast.events.count + fast.diagnostics.count == 1)
    }

    @Test("without a header, with tabs and runs of spaces, a line reads as with the header and single spaces")
    func headerlessAndSpacing() {
        for fields in Self.lines {
            let plain = Self.read(Self.names.joined(separator: " ") + "\n" + fields.joined(separator: " ") + "\n")
            // A blank first line in place of the header keeps the line numbers the same.
            let awkward = Self.read(" \t\n \t" + fields.joined(separator: "  \t ") + "\t \r\n")
            #expect(Self.outcome(plain) == Self.outcome(awkward), "\(fields)")
        }
    }

    @Test("values are taken as written")
    func values() throws {
        let event = try #require(Self.read(Self.good.joined(separator: " ")).events.first)
        let flow = try #require(event.flow)
        #expect(flow.version == 2 && flow.sourcePort == 20641 && flow.destinationPort == 22 && flow.ipProtocol == 6)
        #expect(flow.packets == 20 && flow.bytes == 4249 && flow.start == Timestamp(seconds: 1_418_530_010))
        #expect(flow.end == Timestamp(seconds: 1_418_530_070) && flow.action == .accept && flow.status == .ok)
        #expect(flow.sourceAddress == IPAddress("172.31.16.139") && flow.destinationAddress == IPAddress("172.31.16.21"))
        #expect(event.account == "123456789010" && event.resources == ["eni-1235b8ca123456789"] && event.sourceIP == "172.31.16.139")
    }
}
