import Testing
import VigilCore
@testable import VigilIngest

// MARK: - Fixtures (written for these tests)

/// A successful A query from an instance, two answers.
private let answered = #"{"version":"1.100000","account_id":"111122223333","region":"eu-west-1","vpc_id":"vpc-0f1e2d3c4b5a69788","query_timestamp":"2024-03-02T09:15:42Z","query_name":"updates.example.net.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"198.51.100.7","Type":"A","Class":"IN"},{"Rdata":"198.51.100.8","Type":"A","Class":"IN"}],"srcaddr":"10.20.1.15","srcport":"48152","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718","resolver_endpoint":"rslvr-in-0123456789abcdef0"}}"#

/// A query blocked by DNS Firewall, answered NXDOMAIN.
private let blocked = #"{"version":"1.100000","account_id":"111122223333","region":"eu-west-1","vpc_id":"vpc-0f1e2d3c4b5a69788","query_timestamp":"2024-03-02T09:15:43.125Z","query_name":"c2.badactor.example.","query_type":"TXT","query_class":"IN","rcode":"NXDOMAIN","answers":[],"srcaddr":"10.20.1.15","srcport":"40001","transport":"UDP","srcids":{"instance":"i-0a1b2c3d4e5f60718"},"firewall_rule_action":"BLOCK","firewall_rule_group_id":"rslvr-frg-0aaaaaaaaaaaaaaaa","firewall_domain_list_id":"rslvr-fdl-0bbbbbbbbbbbbbbbb"}"#

/// A query through an inbound resolver endpoint (no instance), over TCP from an IPv6 client, with a CNAME chain.
private let viaEndpoint = #"{"version":"1.100000","account_id":"444455556666","region":"us-east-2","vpc_id":"vpc-0123456789abcdef0","query_timestamp":"2024-03-02T09:16:00Z","query_name":"www.Example.com.","query_type":"AAAA","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"www.example.com.cdn.example.","Type":"CNAME","Class":"IN"},{"Rdata":"2001:db8::10","Type":"AAAA","Class":"IN"}],"srcaddr":"2001:db8:1::25","srcport":"53000","transport":"TCP","srcids":{"resolver_endpoint":"rslvr-in-0fedcba9876543210"}}"#

private func read(_ text: String, firstLine: Int = 1, source: String = "resolver.log") -> IngestBatch {
    var reader = ResolverQueryLogReader(source: source)
    var batch = IngestBatch()
    Array(text.utf8).withUnsafeBytes { reader.read($0, firstLineNumber: firstLine, into: &batch) }
    return batch
}

private func looksLike(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBytes { ResolverQueryLogReader.looksLike($0) }
}

/// A record with the required members and `extra` spliced in.
private func record(name: String = "a.example.", rcode: String = "NOERROR", extra: String = "") -> String {
    #"{"query_timestamp":"2024-03-02T09:15:42Z","query_name":"\#(name)","query_type":"A","rcode":"\#(rcode)"\#(extra)}"#
}

// 2024-03-02T09:15:42Z, computed independently.
private let t0 = Timestamp(milliseconds: 1_709_370_942_000)

@Suite("ResolverQueryLogReader")
struct ResolverQueryLogReaderTests {
    @Test("Every field of an answered query")
    func answeredQuery() throws {
        let batch = read(answered + "\n")
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.skippedRecords == 0)
        let event = try #require(batch.events.first)
        #expect(batch.events.count == 1)
        #expect(event.time == t0)
        #expect(event.kind == .dns)
        #expect(event.service == "route53resolver")
        #expect(event.action == "A")
        #expect(event.outcome == .success)
        #expect(event.sourceIP == "10.20.1.15")
        #expect(event.account == "111122223333")
        #expect(event.region == "eu-west-1")
        #expect(event.resources == ["updates.example.net", "i-0a1b2c3d4e5f60718", "vpc-0f1e2d3c4b5a69788"])
        #expect(event.dns == DNSFields(queryName: "updates.example.net", queryType: "A", queryClass: "IN",
                                       responseCode: "NOERROR", answers: ["198.51.100.7", "198.51.100.8"],
                                       vpcID: "vpc-0f1e2d3c4b5a69788", instanceID: "i-0a1b2c3d4e5f60718"))
        #expect(event.principal == nil)
        #expect(event.accessKeyID == nil)
        #expect(event.userAgent == nil)
        #expect(event.eventID == nil)
        #expect(event.finding == nil && event.flow == nil && event.auth == nil)
        #expect(event.raw == Array(answered.utf8))
        #expect(event.rawIsJSON)
    }

    @Test("A firewall-blocked NXDOMAIN query fails with its rcode; milliseconds kept")
    func blockedQuery() throws {
        let batch = read(blocked)
        let event = try #require(batch.events.first)
        #expect(event.time == Timestamp(milliseconds: 1_709_370_943_125))
        #expect(event.action == "TXT")
        #expect(event.outcome == .failure(code: "NXDOMAIN", message: nil))
        #expect(event.dns?.responseCode == "NXDOMAIN")
        #expect(event.dns?.answers == [])
        #expect(event.resources == ["c2.badactor.example", "i-0a1b2c3d4e5f60718", "vpc-0f1e2d3c4b5a69788"])
        #expect(event.raw == Array(blocked.utf8))
    }

    @Test("Response codes other than NOERROR are failures", arguments: ["NXDOMAIN", "SERVFAIL", "REFUSED", "FORMERR", "NOTIMP"])
    func failureCodes(rcode: String) throws {
        let event = try #require(read(record(rcode: rcode)).events.first)
        #expect(event.outcome == .failure(code: rcode, message: nil))
        #expect(event.outcome.errorCode == rcode)
        #expect(event.dns?.responseCode == rcode)
    }

    @Test("NOERROR in any case is success, and so is a record without rcode")
    func successCodes() throws {
        #expect(read(record(rcode: "noerror")).events.first?.outcome == .success)
        let noRcode = try #require(read(#"{"query_timestamp":"2024-03-02T09:15:42Z","query_name":"x.example."}"#).events.first)
        #expect(noRcode.outcome == .success)
        #expect(noRcode.dns == DNSFields(queryName: "x.example"))
        #expect(noRcode.action == "")
        #expect(noRcode.resources == ["x.example"])
        #expect(noRcode.sourceIP == nil && noRcode.account == nil && noRcode.region == nil)
    }

    @Test("Resolver endpoint queries: no instance, IPv6 client, CNAME answers kept as written")
    func endpointQuery() throws {
        let event = try #require(read(viaEndpoint).events.first)
        #expect(event.action == "AAAA")
        #expect(event.sourceIP == "2001:db8:1::25")
        #expect(event.dns?.instanceID == nil)
        #expect(event.dns?.queryName == "www.Example.com")
        #expect(event.dns?.answers == ["www.example.com.cdn.example.", "2001:db8::10"])
        #expect(event.resources == ["www.Example.com", "vpc-0123456789abcdef0"])
        #expect(event.account == "444455556666")
        #expect(event.region == "us-east-2")
    }

    @Test("The trailing dot of the query name is dropped (the root stays '.')",
          arguments: zip(["example.com.", "example.com", ".", "a.b.c.d.", "xn--bcher-kva.example."],
                         ["example.com", "example.com", ".", "a.b.c.d", "xn--bcher-kva.example"]))
    func trailingDot(name: String, expected: String) throws {
        let event = try #require(read(record(name: name)).events.first)
        #expect(event.dns?.queryName == expected)
        #expect(event.resources == [expected])
    }

    @Test("Lines are numbered from firstLineNumber; blank lines skipped; bad lines reported and reading goes on")
    func lineNumbersAndErrors() throws {
        let lines = [
            answered,                                            // 41
            "",                                                  // 42
            #"{"query_timestamp":"2024-03-02T09:15:42Z","query_name":"#,   // 43 truncated
            "   \t",                                             // 44
            #"{"query_name":"nots.example.","rcode":"NOERROR"}"#,   // 45 no timestamp
            #"{"query_timestamp":"2024-03-02T09:15:42Z","rcode":"NOERROR"}"#,   // 46 no name
            #"{"version":"1.100000"}"#,                          // 47 neither
            #"{"query_timestamp":"02/03/2024 09:15","query_name":"t.example."}"#,   // 48 bad time
            "[1,2,3]",                                           // 49 not an object
            record(name: "tail.example.") + " {}",               // 50 trailing content
            blocked,                                             // 51
        ]
        let batch = read(lines.joined(separator: "\n") + "\n", firstLine: 41, source: "q.log")
        #expect(batch.events.map { $0.dns?.queryName ?? "" } == ["updates.example.net", "c2.badactor.example"])
        #expect(batch.skippedRecords == 7)
        try #require(batch.diagnostics.count == 7)
        #expect(batch.diagnostics.map(\.line) == [43, 45, 46, 47, 48, 49, 50])
        #expect(batch.diagnostics.allSatisfy { $0.severity == .error && $0.source == "q.log" && $0.record == nil })
        let truncatedEnd = lines[2].utf8.count + 1
        #expect(batch.diagnostics[0].message == "malformed JSON: unexpected end of input, expected a value at column \(truncatedEnd)")
        #expect(batch.diagnostics[1].message == "not a Route 53 Resolver query log record: missing query_timestamp")
        #expect(batch.diagnostics[2].message == "not a Route 53 Resolver query log record: missing query_name")
        #expect(batch.diagnostics[3].message == "not a Route 53 Resolver query log record: missing query_name and query_timestamp")
        #expect(batch.diagnostics[4].message == "invalid query_timestamp \"02/03/2024 09:15\"")
        #expect(batch.diagnostics[5].message == "expected a Route 53 Resolver query log record (a JSON object)")
        #expect(batch.diagnostics[6].message == "unexpected content after the JSON object at column \(record(name: "tail.example.").utf8.count + 2)")
        #expect(batch.diagnostics[0].description == "q.log:43: malformed JSON: unexpected end of input, expected a value at column 56")
    }

    @Test("Columns in errors count the line's leading whitespace")
    func columnsWithIndent() {
        let batch = read("   {\"query_name\": nope}\n")
        #expect(batch.diagnostics.map(\.message) == ["malformed JSON: invalid literal, expected 'null' at column 19"])
    }

    @Test("Chunks: CRLF endings, no final newline, a byte-order mark on line 1, several chunks in a row")
    func chunks() throws {
        var reader = ResolverQueryLogReader(source: "s.log")
        var batch = IngestBatch()
        let first = "\u{FEFF}" + record(name: "one.example.") + "\r\n" + record(name: "two.example.") + "\r\n"
        let second = "\r\n" + record(name: "three.example.") + "\r\n{oops\r\n" + record(name: "four.example.")
        Array(first.utf8).withUnsafeBytes { reader.read($0, firstLineNumber: 1, into: &batch) }
        Array(second.utf8).withUnsafeBytes { reader.read($0, firstLineNumber: 3, into: &batch) }
        #expect(batch.events.map { $0.dns?.queryName ?? "" } == ["one.example", "two.example", "three.example", "four.example"])
        #expect(batch.events.map(\.raw) == ["one.example.", "two.example.", "three.example.", "four.example."]
            .map { Array(record(name: $0).utf8) })
        #expect(batch.diagnostics.map(\.line) == [5])
        #expect(batch.diagnostics.first?.message.hasPrefix("malformed JSON: unexpected 'o', expected a member name") == true)
    }

    @Test("An empty chunk or only blank lines give nothing", arguments: ["", "\n", "\n\n  \n\r\n"])
    func emptyChunks(text: String) {
        let batch = read(text)
        #expect(batch.events.isEmpty)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.skippedRecords == 0)
    }

    @Test("Members in any order, unknown members ignored, escaped member names and values decoded")
    func memberVariants() throws {
        let text = #"{"srcids":{"instance":"i-9"},"extra":{"query_name":"nested.example."},"query_type":"MX","query_n\u0061me":"mail.example.","query_timestamp":"2024-03-02T09:15:42Z","answers":[{"Rdata":"10 mx1.example.","Type":"MX","Class":"IN"},{"Type":"MX"},"junk"],"srcaddr":"10.0.0.9","account_id":123456789012}"#
        let event = try #require(read(text).events.first)
        #expect(event.dns == DNSFields(queryName: "mail.example", queryType: "MX", answers: ["10 mx1.example."],
                                       instanceID: "i-9"))
        #expect(event.account == "123456789012")
        #expect(event.sourceIP == "10.0.0.9")
        #expect(event.resources == ["mail.example", "i-9"])
    }

    @Test("Resources drop repeats and empties")
    func resourcesDeduplicated() throws {
        let event = try #require(read(record(name: "i-1.", extra: #","srcids":{"instance":"i-1"},"vpc_id":"""#)).events.first)
        #expect(event.resources == ["i-1"])
        #expect(event.dns?.vpcID == nil)
    }

    @Test("looksLike accepts Resolver query log lines", arguments: [
        answered + "\n" + blocked + "\n",
        String(answered.prefix(170)),
        "\u{FEFF}" + viaEndpoint,
        #"{"query_name":"a.example.","query_type":"A"}"#,
        "\n  " + record(),
    ])
    func looksLikeTrue(sample: String) {
        #expect(looksLike(sample))
    }

    @Test("looksLike rejects other logs and wrapped records", arguments: [
        "",
        "query_name query_timestamp",
        #"{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1,"message":"{\"query_timestamp\":\"2024-03-02T09:15:42Z\",\"query_name\":\"a.example.\"}"}]}"#,
        #"{"Records":[{"eventVersion":"1.08","eventSource":"route53resolver.amazonaws.com","eventName":"CreateResolverQueryLogConfig"}]}"#,
        #"{"schemaVersion":"2.0","id":"f","type":"Trojan:EC2/DNSDataExfiltration","service":{"action":{"dnsRequestAction":{"domain":"x.example"}}}}"#,
        "2 111122223333 eni-0123 10.0.0.1 10.0.0.2 443 49152 6 10 840 1709370942 1709371002 ACCEPT OK\n",
        #"[{"query_name":"a.example.","query_timestamp":"2024-03-02T09:15:42Z"}]"#,
        #"{"query_timestamp":"2024-03-02T09:15:42Z","rcode":"NOERROR"}"#,
    ])
    func looksLikeFalse(sample: String) {
        #expect(!looksLike(sample))
    }
}
