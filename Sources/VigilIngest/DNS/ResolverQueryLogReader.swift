import VigilCore

/// Reads Amazon Route 53 Resolver query logs (one JSON object per line) into `.dns` events.
///
/// A record looks like
/// `{"version":"1.100000","account_id":"…","region":"…","vpc_id":"vpc-…","query_timestamp":"2024-05-01T10:00:00Z",
/// "query_name":"example.com.","query_type":"A","query_class":"IN","rcode":"NOERROR",
/// "answers":[{"Rdata":"192.0.2.1","Type":"A","Class":"IN"}],"srcaddr":"10.0.0.5","srcport":"53188",
/// "transport":"UDP","srcids":{"instance":"i-…","resolver_endpoint":"rslvr-in-…"}}`, plus the
/// `firewall_rule_action`, `firewall_rule_group_id` and `firewall_domain_list_id` members when DNS Firewall
/// matched. The event keeps the whole line as its raw record, so those stay queryable by path.
public struct ResolverQueryLogReader: Sendable {
    /// The file path as given, for diagnostics.
    public let source: String

    public init(source: String) {
        self.source = source
    }

    /// Consumes a chunk of complete JSON lines (the chunk ends at a line boundary). `firstLineNumber` is 1-based.
    public mutating func read(_ chunk: UnsafeRawBufferPointer, firstLineNumber: Int, into batch: inout IngestBatch) {
        var s = 0
        var lineNumber = firstLineNumber
        let n = chunk.count
        while s < n {
            var e = s
            while e < n, chunk[e] != 0x0A { e += 1 }
            readLine(chunk, s, e, lineNumber: lineNumber, into: &batch)
            s = e + 1
            lineNumber += 1
        }
    }

    /// True when the sample starts with a JSON object that has Resolver query log members (`query_name` with
    /// `query_timestamp`, `query_type`, `rcode` or `srcaddr`). Records wrapped in another JSON layer (CloudWatch
    /// Logs exports, with escaped quotes) do not count.
    public static func looksLike(_ sample: UnsafeRawBufferPointer) -> Bool {
        var i = sample.count >= 3 && sample[0] == 0xEF && sample[1] == 0xBB && sample[2] == 0xBF ? 3 : 0
        JSONScanner.skipWhitespace(sample, &i)
        guard i < sample.count, sample[i] == UInt8(ascii: "{") else { return false }
        let s = UnsafeRawBufferPointer(rebasing: sample[i...])
        guard hasKey(s, "\"query_name\"") else { return false }
        return hasKey(s, "\"query_timestamp\"") || hasKey(s, "\"query_type\"") || hasKey(s, "\"rcode\"")
            || hasKey(s, "\"srcaddr\"")
    }

    // MARK: - One line

    private func readLine(_ chunk: UnsafeRawBufferPointer, _ lineStart: Int, _ lineEnd: Int, lineNumber: Int,
                          into batch: inout IngestBatch) {
        var s = lineStart, e = lineEnd
        if lineNumber == 1, e - s >= 3, chunk[s] == 0xEF, chunk[s + 1] == 0xBB, chunk[s + 2] == 0xBF { s += 3 }
        while s < e, JSONScanner.isWhitespace(chunk[s]) { s += 1 }
        while e > s, JSONScanner.isWhitespace(chunk[e - 1]) { e -= 1 }
        guard s < e else { return }
        let line = UnsafeRawBufferPointer(rebasing: chunk[s..<e])
        let column = s - lineStart + 1
        var i = 0
        let record: JSONRef
        do throws(JSONSyntaxError) {
            record = try JSONScanner.scanValue(line, &i)
        } catch {
            batch.error(source, line: lineNumber, "malformed JSON: \(error.message) at column \(column + error.offset)")
            return
        }
        JSONScanner.skipWhitespace(line, &i)
        guard i == line.count else {
            batch.error(source, line: lineNumber, "unexpected content after the JSON object at column \(column + i)")
            return
        }
        guard record.kind == .object else {
            batch.error(source, line: lineNumber, "expected a Route 53 Resolver query log record (a JSON object)")
            return
        }
        switch Self.event(line, record) {
        case .success(let event): batch.events.append(event)
        case .failure(let problem): batch.error(source, line: lineNumber, problem.message)
        }
    }

    struct Problem: Error {
        var message: String
    }

    /// Maps one record to an event; `b` holds exactly the record (its bytes become the raw record).
    static func event(_ b: UnsafeRawBufferPointer, _ record: JSONRef) -> Result<Event, Problem> {
        var account: JSONRef?, region: JSONRef?, vpc: JSONRef?, timestamp: JSONRef?, name: JSONRef?
        var type: JSONRef?, qclass: JSONRef?, rcode: JSONRef?, answers: JSONRef?, srcaddr: JSONRef?, srcids: JSONRef?
        /// The slow path for member names written with escapes.
        func assign(_ key: String, _ value: JSONRef) {
            switch key {
            case "account_id": account = value
            case "region": region = value
            case "vpc_id": vpc = value
            case "query_timestamp": timestamp = value
            case "query_name": name = value
            case "query_type": type = value
            case "query_class": qclass = value
            case "rcode": rcode = value
            case "answers": answers = value
            case "srcaddr": srcaddr = value
            case "srcids": srcids = value
            default: break
            }
        }
        JSONScanner.forEachMember(b, record) { key, value in
            if key.hasEscapes {
                assign(JSONScanner.decodeString(b, key), value)
                return true
            }
            switch key.count - 2 {
            case 5: if equals(b, key, "rcode") { rcode = value }
            case 6:
                if equals(b, key, "vpc_id") { vpc = value }
                else if equals(b, key, "region") { region = value }
                else if equals(b, key, "srcids") { srcids = value }
            case 7:
                if equals(b, key, "answers") { answers = value }
                else if equals(b, key, "srcaddr") { srcaddr = value }
            case 10:
                if equals(b, key, "account_id") { account = value }
                else if equals(b, key, "query_name") { name = value }
                else if equals(b, key, "query_type") { type = value }
            case 11: if equals(b, key, "query_class") { qclass = value }
            case 15: if equals(b, key, "query_timestamp") { timestamp = value }
            default: break
            }
            return true
        }
        let rawName = string(b, name)
        switch (rawName, timestamp) {
        case (nil, nil):
            return .failure(Problem(message: "not a Route 53 Resolver query log record: missing query_name and query_timestamp"))
        case (nil, _):
            return .failure(Problem(message: "not a Route 53 Resolver query log record: missing query_name"))
        case (_, nil):
            return .failure(Problem(message: "not a Route 53 Resolver query log record: missing query_timestamp"))
        default:
            break
        }
        guard let rawName, let timestamp else { return .failure(Problem(message: "not a Route 53 Resolver query log record")) }
        guard let time = parseTime(b, timestamp) else {
            return .failure(Problem(message: "invalid query_timestamp \(String(decoding: UnsafeRawBufferPointer(rebasing: b[timestamp.start..<min(timestamp.end, timestamp.start + 80)]), as: UTF8.self))"))
        }

        let queryName = rawName.count > 1 && rawName.hasSuffix(".") ? String(rawName.dropLast()) : rawName
        let queryType = string(b, type)
        let responseCode = string(b, rcode)
        let vpcID = string(b, vpc)
        var instanceID: String?
        if let srcids, srcids.kind == .object {
            instanceID = string(b, JSONScanner.member(b, srcids, "instance"))
        }
        var answerData: [String] = []
        if let answers {
            JSONScanner.forEachElement(b, answers) { answer in
                if answer.kind == .object {
                    var rdata: JSONRef?
                    JSONScanner.forEachMember(b, answer) { key, value in
                        if equals(b, key, "Rdata") || equals(b, key, "rdata") { rdata = value; return false }
                        return true
                    }
                    if let value = string(b, rdata) { answerData.append(value) }
                }
                return true
            }
        }

        let outcome: Outcome
        if let responseCode, responseCode.uppercased() != "NOERROR" {
            outcome = .failure(code: responseCode, message: nil)
        } else {
            outcome = .success
        }

        var resources: [String] = []
        for value in [queryName, instanceID, vpcID] {
            if let value, !value.isEmpty, !resources.contains(value) { resources.append(value) }
        }

        let dns = DNSFields(queryName: queryName, queryType: queryType, queryClass: string(b, qclass),
                            responseCode: responseCode, answers: answerData, vpcID: vpcID, instanceID: instanceID)
        let event = Event(time: time, kind: .dns, service: "route53resolver", action: queryType ?? "",
                          outcome: outcome, sourceIP: string(b, srcaddr), region: string(b, region),
                          account: string(b, account), resources: resources, dns: dns,
                          raw: Array(UnsafeRawBufferPointer(rebasing: b[record.start..<record.end])))
        return .success(event)
    }

    // MARK: - Helpers

    @inline(__always)
    static func equals(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard key.count - 2 == n, !key.hasEscapes else { return false }
        let p = name.utf8Start
        let s = key.start + 1
        for k in 0..<n where b[s + k] != p[k] { return false }
        return true
    }

    /// A non-empty string (a number is taken as written, e.g. an account id exported as a number).
    static func string(_ b: UnsafeRawBufferPointer, _ ref: JSONRef?) -> String? {
        JSONScanner.nonEmptyString(b, ref)
    }

    static func parseTime(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Timestamp? {
        guard ref.kind == .string else { return nil }
        if ref.hasEscapes { return ISO8601Parser.parse(JSONScanner.decodeString(b, ref)) }
        return ISO8601Parser.parse(UnsafeRawBufferPointer(rebasing: b[(ref.start + 1)..<(ref.end - 1)]))
    }

    /// True when `key` (with its quotes) occurs in `s` not preceded by a backslash, i.e. as a member name of this
    /// JSON layer rather than inside an escaped string.
    static func hasKey(_ s: UnsafeRawBufferPointer, _ key: StaticString) -> Bool {
        var from = 0
        while let i = FormatSniffer.find(s, key, from: from) {
            if i == 0 || s[i - 1] != UInt8(ascii: "\\") { return true }
            from = i + 1
        }
        return false
    }
}
