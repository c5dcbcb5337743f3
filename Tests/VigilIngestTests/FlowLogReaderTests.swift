import Testing
@testable import VigilIngest
import VigilCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func readFlows(_ text: String, firstLine: Int = 1, reader: inout FlowLogReader) -> IngestBatch {
    var batch = IngestBatch()
    var copy = text
    copy.withUTF8 { reader.read(UnsafeRawBufferPointer($0), firstLineNumber: firstLine, into: &batch) }
    return batch
}

private func readFlows(_ text: String) -> IngestBatch {
    var reader = FlowLogReader(source: "flows.log")
    return readFlows(text, reader: &reader)
}

private func looksLikeFlows(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { FlowLogReader.looksLike(UnsafeRawBufferPointer($0)) }
}

private func ip(_ text: String) -> IPAddress { IPAddress(text)! }

@Suite("FlowLogReader")
struct FlowLogReaderTests {
    @Test("v2 default format without a header")
    func defaultFormat() throws {
        let line = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
        let batch = readFlows(line + "\n")
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.ignoredRecords == 0)
        let event = try #require(batch.events.first)
        #expect(batch.events.count == 1)
        #expect(event.kind == .flow)
        #expect(event.service == "vpc-flow-logs")
        #expect(event.action == "ACCEPT")
        #expect(event.outcome == .success)
        #expect(event.time == Timestamp(seconds: 1_418_530_010))
        #expect(event.account == "123456789010")
        #expect(event.region == nil)
        #expect(event.sourceIP == "172.31.16.139")
        #expect(event.resources == ["eni-1235b8ca123456789"])
        #expect(event.eventID == nil)
        #expect(event.principal == nil)
        #expect(event.raw == Array(line.utf8))
        let flow = try #require(event.flow)
        #expect(flow == FlowFields(
            version: 2, interfaceID: "eni-1235b8ca123456789", sourceAddress: ip("172.31.16.139"),
            destinationAddress: ip("172.31.16.21"), sourcePort: 20641, destinationPort: 22, ipProtocol: 6,
            packets: 20, bytes: 4249, start: Timestamp(seconds: 1_418_530_010), end: Timestamp(seconds: 1_418_530_070),
            action: .accept, status: .ok))
    }

    @Test("REJECT is a failure with code REJECT")
    func reject() throws {
        let batch = readFlows("2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK")
        let event = try #require(batch.events.first)
        #expect(event.action == "REJECT")
        #expect(event.outcome == .failure(code: "REJECT", message: nil))
        #expect(event.flow?.action == .reject)
        #expect(event.flow?.destinationPort == 3389)
    }

    @Test("NODATA and SKIPDATA records are kept as coverage gaps", arguments: [
        ("NODATA", FlowFields.Status.noData),
        ("SKIPDATA", FlowFields.Status.skipData),
    ])
    func gaps(status: String, expected: FlowFields.Status) throws {
        let line = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - \(status)"
        let batch = readFlows(line)
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.action == status)
        #expect(event.outcome == .success)
        #expect(event.time == Timestamp(seconds: 1_431_280_876))
        #expect(event.sourceIP == nil)
        #expect(event.raw == Array(line.utf8))
        let flow = try #require(event.flow)
        #expect(flow.status == expected)
        #expect(flow.action == FlowFields.Action.none)
        #expect(flow.sourceAddress == nil)
        #expect(flow.destinationAddress == nil)
        #expect(flow.sourcePort == nil)
        #expect(flow.packets == nil)
        #expect(flow.bytes == nil)
        #expect(flow.end == Timestamp(seconds: 1_431_280_934))
    }

    @Test("runs of spaces and tabs separate columns; CRLF line ends are dropped")
    func whitespace() throws {
        let line = "2  123456789010\teni-abc   10.0.0.1 10.0.0.2 443   43638  6 1 40 1600000000 1600000060 ACCEPT OK  "
        let batch = readFlows(line + "\r\n\n   \n")
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.count == 1)
        let event = try #require(batch.events.first)
        #expect(event.flow?.sourcePort == 443)
        #expect(event.flow?.destinationPort == 43638)
        #expect(event.flow?.interfaceID == "eni-abc")
        #expect(event.raw == Array(line.utf8))
    }

    @Test("IPv6 addresses")
    func ipv6() throws {
        let batch = readFlows("2 123456789010 eni-0a1b 2001:db8::1 2001:db8:0:0:0:0:0:ff 51234 443 6 10 840 1700000000 1700000060 ACCEPT OK\n")
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.sourceIP == "2001:db8::1")
        #expect(event.flow?.sourceAddress == IPAddress(v6: 0x2001_0db8_0000_0000, 1))
        #expect(event.flow?.destinationAddress == IPAddress(v6: 0x2001_0db8_0000_0000, 0xff))
        #expect(event.flow?.sourceAddress?.isV4 == false)
    }

    @Test("v3 header with tcp-flags, in its own column order")
    func v3Header() throws {
        let text = """
        version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status
        3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK
        3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43416 10.0.0.62 52.213.180.42 6 376 7 1566848875 1566848933 ACCEPT 18 OK
        """
        let batch = readFlows(text)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.ignoredRecords == 1)
        #expect(batch.events.count == 2)
        let event = try #require(batch.events.first)
        #expect(event.resources == ["eni-1235b8ca123456789", "i-01234567890123456", "vpc-abcdefab012345678", "subnet-aaaaaaaa012345678"])
        #expect(event.account == "123456789010")
        #expect(event.flow == FlowFields(
            version: 3, interfaceID: "eni-1235b8ca123456789", instanceID: "i-01234567890123456",
            sourceAddress: ip("52.213.180.42"), destinationAddress: ip("10.0.0.62"), sourcePort: 43416,
            destinationPort: 5001, ipProtocol: 6, packets: 8, bytes: 568, start: Timestamp(seconds: 1_566_848_875),
            end: Timestamp(seconds: 1_566_848_933), action: .accept, status: .ok,
            packetSourceAddress: ip("52.213.180.42"), packetDestinationAddress: ip("10.0.0.62"),
            vpcID: "vpc-abcdefab012345678", subnetID: "subnet-aaaaaaaa012345678", tcpFlags: 2))
        #expect(batch.events[1].flow?.tcpFlags == 18)
        #expect(batch.events[1].flow?.bytes == 376)
        #expect(batch.events[1].flow?.packets == 7)
    }

    @Test("v5 header with region, traffic-path and flow-direction")
    func v5Header() throws {
        let text = """
        version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status
        5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK
        5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK
        """
        let batch = readFlows(text)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.count == 2)
        let first = try #require(batch.events.first)
        #expect(first.region == "ap-southeast-2")
        #expect(first.account == "123456789012")
        #expect(first.flow?.version == 5)
        #expect(first.flow?.direction == .ingress)
        #expect(first.flow?.bytes == 15044)
        #expect(first.flow?.packets == 14)
        #expect(first.flow?.tcpFlags == 19)
        #expect(first.time == Timestamp(seconds: 1_616_729_292))
        #expect(batch.events[1].flow?.direction == .egress)
        #expect(batch.events[1].sourceIP == "10.0.0.71")
    }

    @Test("custom NAT format with pkt-srcaddr and `${…}` names; no times is an error")
    func customNAT() throws {
        let text = """
        ${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${start}
        - eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 1700000000
        - eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5 -
        """
        let batch = readFlows(text)
        #expect(batch.ignoredRecords == 1)
        #expect(batch.events.count == 1)
        let event = try #require(batch.events.first)
        #expect(event.resources == ["eni-1235b8ca123456789"])
        #expect(event.action == "-")
        #expect(event.outcome == .success)
        #expect(event.account == nil)
        #expect(event.flow?.version == 3)  // implied by pkt-srcaddr
        #expect(event.flow?.instanceID == nil)
        #expect(event.flow?.packetDestinationAddress == ip("203.0.113.5"))
        #expect(event.flow?.sourcePort == nil)
        #expect(batch.diagnostics == [IngestDiagnostic(.error, source: "flows.log", line: 3, message: "record has neither start nor end time")])
        #expect(batch.skippedRecords == 1)
    }

    @Test("`$name` header tokens, unknown fields and end time used when start is missing")
    func dollarNamesAndUnknown() throws {
        let text = "$version $future-field $srcaddr $dstaddr $end $action $log-status $ecs-cluster-name $reject-reason\n"
            + "7 whatever 10.1.1.1 10.1.1.2 1700000060 REJECT OK my-cluster BPA\n"
        let batch = readFlows(text)
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.time == Timestamp(seconds: 1_700_000_060))
        #expect(event.flow?.start == nil)
        #expect(event.flow?.version == 7)
        #expect(event.outcome == .failure(code: "REJECT", message: nil))
        #expect(event.resources.isEmpty)
    }

    @Test("wrong field counts and bad values are errors with line numbers; reading goes on")
    func errors() throws {
        let good = "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK"
        let text = [
            good,
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1",
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 abc 2 6 1 1 1600000000 1600000060 ACCEPT OK",
            "2 123456789010 eni-1 10.0.0.300 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK",
            "",
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 MAYBE OK",
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT FINE",
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 70000 6 1 1 1600000000 1600000060 ACCEPT OK",
            "2 123456789010 eni-1 10.0.0.1 zz::1::2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK",
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 -5 1 1600000000 1600000060 ACCEPT OK",
            // Times that would overflow (or nearly) once in milliseconds: refused, not wrapped.
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 9223372036854776 1600000060 ACCEPT OK",
            "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 253402300800 ACCEPT OK",
            good,
        ].joined(separator: "\n")
        var reader = FlowLogReader(source: "flows.log")
        let batch = readFlows(text, firstLine: 100, reader: &reader)
        #expect(batch.events.count == 2)
        #expect(batch.events.map(\.raw) == [Array(good.utf8), Array(good.utf8)])
        #expect(batch.skippedRecords == 10)
        #expect(batch.diagnostics.map(\.line) == [101, 102, 103, 105, 106, 107, 108, 109, 110, 111])
        #expect(batch.diagnostics.map(\.message) == [
            "expected 14 fields, found 9",
            "srcport 'abc' is not a number",
            "srcaddr '10.0.0.300' is not an IP address",
            "action 'MAYBE' is not ACCEPT or REJECT",
            "log-status 'FINE' is not OK, NODATA or SKIPDATA",
            "dstport '70000' is not a port number",
            "dstaddr 'zz::1::2' is not an IP address",
            "packets '-5' is not a number",
            "start '9223372036854776' is past the year 9999 (seconds since 1970 expected)",
            "end '253402300800' is past the year 9999 (seconds since 1970 expected)",
        ])
        #expect(batch.diagnostics.allSatisfy { $0.severity == .error && $0.source == "flows.log" })
        #expect(batch.diagnostics[0].description == "flows.log:101: expected 14 fields, found 9")
    }

    @Test("the header stays in force across chunks; a header mid-file switches columns")
    func chunks() throws {
        var reader = FlowLogReader(source: "s3.log")
        let header = "interface-id srcaddr dstaddr start action log-status\n"
        var batch = readFlows(header, firstLine: 1, reader: &reader)
        #expect(batch.ignoredRecords == 1)
        #expect(batch.events.isEmpty)
        batch = readFlows("eni-a 10.0.0.1 10.0.0.2 1600000000 ACCEPT OK\neni-b 10.0.0.3 10.0.0.4 1600000001 REJECT OK", firstLine: 2, reader: &reader)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.map(\.resources) == [["eni-a"], ["eni-b"]])
        // A second file concatenated: the default format's header.
        batch = readFlows("""
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 123456789010 eni-c 10.0.0.5 10.0.0.6 1 2 6 1 1 1600000002 1600000060 ACCEPT OK
        eni-d 10.0.0.7 10.0.0.8 1600000003 ACCEPT OK
        """, firstLine: 4, reader: &reader)
        #expect(batch.ignoredRecords == 1)
        #expect(batch.events.map(\.resources) == [["eni-c"]])
        #expect(batch.events.first?.account == "123456789010")
        #expect(batch.diagnostics.map(\.line) == [6])
        #expect(batch.diagnostics.map(\.message) == ["expected 14 fields, found 6"])
    }

    @Test("repeated ids come out equal across lines")
    func repeatedIDs() throws {
        let line = "2 123456789010 eni-1235b8ca123456789 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK\n"
        let other = "2 210987654321 eni-0000000000000000a 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK\n"
        let batch = readFlows(line + line + other + line)
        #expect(batch.events.map(\.account) == ["123456789010", "123456789010", "210987654321", "123456789010"])
        #expect(batch.events.map { $0.flow?.interfaceID } == ["eni-1235b8ca123456789", "eni-1235b8ca123456789", "eni-0000000000000000a", "eni-1235b8ca123456789"])
    }

    @Test("empty chunk and chunk without final newline")
    func edges() {
        var reader = FlowLogReader(source: "x")
        var batch = IngestBatch()
        reader.read(UnsafeRawBufferPointer(start: nil, count: 0), firstLineNumber: 1, into: &batch)
        #expect(batch.events.isEmpty && batch.diagnostics.isEmpty)
        batch = readFlows("2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 ACCEPT OK")
        #expect(batch.events.count == 1)
    }

    @Test("looksLike", arguments: [
        ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 1", true),
        ("instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr\n", true),
        ("${version} ${srcaddr} ${dstaddr}", true),
        ("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n", true),
        ("\n2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n", true),
        ("{\"Records\":[]}", false),
        ("May  1 10:00:00 host sshd[1234]: Accepted password for alice from 203.0.113.5 port 52311 ssh2\n", false),
        ("version\n", false),
        ("hello world\n", false),
        ("2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20\n", false),
        ("", false),
    ])
    func looksLike(sample: String, expected: Bool) {
        #expect(looksLikeFlows(sample) == expected)
    }

    @Test("AWS documentation samples, when ../shared/data is present")
    func sharedSamples() throws {
        // ../shared beside the package root (as on developer machines and in CI), not an absolute path.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        let folder = parts.joined(separator: "/") + "/shared/data/vpcflow"
        let files = ["awsdocs_default_v2.log", "awsdocs_custom_v3_tcpflags.log", "awsdocs_custom_v5_traffic_path.log"]
        for name in files {
            guard let bytes = readFileBytes(folder + "/" + name) else { return }
            #expect(bytes.withUnsafeBytes { FlowLogReader.looksLike($0) }, "\(name)")
            var reader = FlowLogReader(source: name)
            var batch = IngestBatch()
            bytes.withUnsafeBytes { reader.read($0, firstLineNumber: 1, into: &batch) }
            #expect(batch.diagnostics.isEmpty, "\(name): \(batch.diagnostics)")
            #expect(batch.ignoredRecords == 1, "\(name)")
            #expect(!batch.events.isEmpty, "\(name)")
        }
        // These two formats carry no start/end: every record is reported, none is dropped silently.
        for name in ["awsdocs_custom_v3_tgw.log", "awsdocs_custom_nat.log"] {
            guard let bytes = readFileBytes(folder + "/" + name) else { return }
            #expect(bytes.withUnsafeBytes { FlowLogReader.looksLike($0) }, "\(name)")
            var reader = FlowLogReader(source: name)
            var batch = IngestBatch()
            bytes.withUnsafeBytes { reader.read($0, firstLineNumber: 1, into: &batch) }
            #expect(batch.events.isEmpty)
            #expect(!batch.diagnostics.isEmpty)
            #expect(batch.diagnostics.allSatisfy { $0.message == "record has neither start nor end time" })
            // Given the file's time, the records are kept, with one warning saying so.
            var timed = FlowLogReader(source: name, fallbackTime: Timestamp(seconds: 1_773_151_200))
            var timedBatch = IngestBatch()
            bytes.withUnsafeBytes { timed.read($0, firstLineNumber: 1, into: &timedBatch) }
            #expect(!timedBatch.events.isEmpty)
            #expect(timedBatch.events.allSatisfy { $0.time == Timestamp(seconds: 1_773_151_200) })
            #expect(timedBatch.diagnostics.count == 1)
            #expect(timedBatch.diagnostics.first?.severity == .warning)
        }
    }
}

@Suite("FlowLogReader without times")
struct FlowLogUntimedTests {
    @Test("formats without start and end are timed at the fallback, with one warning")
    func fallback() {
        let text = "version srcaddr dstaddr srcport dstport protocol action\n3 10.0.0.1 10.0.0.2 1 2 6 ACCEPT\n3 10.0.0.3 10.0.0.2 1 2 6 REJECT\n"
        var reader = FlowLogReader(source: "tgw.log", fallbackTime: Timestamp(seconds: 100))
        var batch = IngestBatch()
        Array(text.utf8).withUnsafeBytes { reader.read($0, firstLineNumber: 1, into: &batch) }
        #expect(batch.events.map(\.action) == ["ACCEPT", "REJECT"])
        #expect(batch.events.allSatisfy { $0.time == Timestamp(seconds: 100) })
        #expect(batch.diagnostics.map(\.line) == [2])
        #expect(batch.diagnostics.first?.message.contains("no start or end time") == true)
    }
}

/// Reads a whole file with the C library, or nil when it does not exist.
private func readFileBytes(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}
