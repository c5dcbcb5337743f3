import VigilCore

/// Reads Amazon GuardDuty findings into `.finding` events.
///
/// Accepted shapes, in one file or mixed:
/// - `aws guardduty get-findings` output, `{"Findings":[…]}` with PascalCase keys;
/// - a single finding object, PascalCase (API) or camelCase (S3 export, console download);
/// - an EventBridge event (`"detail-type": "GuardDuty Finding"`) carrying the finding in `detail`;
/// - a JSON array of any of these, or several of them concatenated;
/// - JSON lines, one finding or one EventBridge event per line.
///
/// Member names are matched with the first letter case-insensitive, so both casings share one code path.
/// Malformed records and records that are not findings become diagnostics naming the record (and line);
/// the other records are still read.
public enum GuardDutyReader {
    /// Reads a whole document. Accepts: `aws guardduty get-findings` output `{"Findings":[…]}` (PascalCase keys),
    /// a single finding object in either casing, an EventBridge event (`"detail-type": "GuardDuty Finding"`, finding in `detail`),
    /// a JSON array of any of these, and JSON lines (S3 / console exports, camelCase; one finding or one EventBridge event per line).
    public static func read(_ data: UnsafeRawBufferPointer, source: String, into batch: inout IngestBatch) {
        var i = bomLength(data)
        JSONScanner.skipWhitespace(data, &i)
        guard i < data.count else { return }
        var walker = Walker(b: data, source: source)
        if data[i] == UInt8(ascii: "{"), isJSONLines(data, from: i) {
            walker.readLines(into: &batch)
        } else {
            walker.readDocument(from: i, into: &batch)
        }
    }

    /// True when the first bytes of a file look like GuardDuty findings (any of the shapes above).
    ///
    /// The sample may end anywhere. It must start with `{` or `[` and carry a GuardDuty marker: an EventBridge
    /// `"detail-type"` of `GuardDuty Finding`, a finding ARN (`arn:…:guardduty:…/finding/…`), or the members
    /// `schemaVersion`, `severity` and `resource` of a finding. CloudTrail records (which may mention GuardDuty
    /// ARNs) and Security Hub (ASFF) findings are rejected.
    public static func looksLike(_ sample: UnsafeRawBufferPointer) -> Bool {
        var i = bomLength(sample)
        JSONScanner.skipWhitespace(sample, &i)
        guard i < sample.count, sample[i] == UInt8(ascii: "{") || sample[i] == UInt8(ascii: "[") else { return false }
        let s = UnsafeRawBufferPointer(rebasing: sample[i...])
        if Bytes.find(s, "\"eventVersion\"") != nil || Bytes.find(s, "\"eventSource\"") != nil { return false }
        if Bytes.find(s, "\"ProductArn\"") != nil || Bytes.find(s, "\"GeneratorId\"") != nil { return false }
        if Bytes.find(s, "\"detail-type\"") != nil, Bytes.find(s, "GuardDuty Finding") != nil { return true }
        var from = 0
        while let at = Bytes.find(s, ":guardduty:", from: from) {
            let windowEnd = min(s.count, at + 200)
            if let f = Bytes.find(UnsafeRawBufferPointer(rebasing: s[at..<windowEnd]), "/finding/"),
               Bytes.find(UnsafeRawBufferPointer(rebasing: s[at..<(at + f)]), ":detector/") != nil {
                return true
            }
            from = at + 1
        }
        return Bytes.find(s, "\"schemaVersion\"", ignoringCase: true) != nil
            && Bytes.find(s, "\"severity\"", ignoringCase: true) != nil
            && Bytes.find(s, "\"resource\"", ignoringCase: true) != nil
    }

    // MARK: - Shape detection

    static func bomLength(_ b: UnsafeRawBufferPointer) -> Int {
        b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
    }

    /// JSON lines when the first or second non-blank line is, on its own, a complete JSON object.
    /// (A pretty-printed document never has that: its first line is `{` and its second a member.)
    static func isJSONLines(_ b: UnsafeRawBufferPointer, from start: Int) -> Bool {
        var s = start
        var checked = 0
        while s < b.count, checked < 2 {
            let e = Bytes.lineEnd(b, from: s)
            let (ts, te) = Bytes.trim(b, s, e)
            if ts < te {
                checked += 1
                if isCompleteObject(UnsafeRawBufferPointer(rebasing: b[ts..<te])) { return true }
            }
            s = e + 1
        }
        return false
    }

    static func isCompleteObject(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.first == UInt8(ascii: "{") else { return false }
        var i = 0
        guard (try? JSONScanner.scanValue(line, &i)) != nil else { return false }
        JSONScanner.skipWhitespace(line, &i)
        return i == line.count
    }

    // MARK: - Walking the input

    /// Walks a document or JSON lines, numbering records and turning each into an event or a diagnostic.
    struct Walker {
        let b: UnsafeRawBufferPointer
        let source: String
        /// Records met so far in document mode (1-based numbers in diagnostics).
        var recordCount = 0
        var lines = LineCounter()

        init(b: UnsafeRawBufferPointer, source: String) {
            self.b = b
            self.source = source
        }

        /// A whole document: one or more top-level values (objects or arrays), read incrementally so that the
        /// records before a syntax error are kept.
        mutating func readDocument(from start: Int, into batch: inout IngestBatch) {
            var i = start
            while true {
                JSONScanner.skipWhitespace(b, &i)
                guard i < b.count else { return }
                let c = b[i]
                var failing: Int? = recordCount + 1
                do throws(JSONSyntaxError) {
                    if c == UInt8(ascii: "[") {
                        var array = ArrayCursor(b, at: i)
                        while let element = try array.next() {
                            var counter = recordCount
                            handle(b, element, line: lines.line(at: element.start, in: b), counter: &counter,
                                   numbered: true, into: &batch)
                            recordCount = counter
                            failing = recordCount + 1
                        }
                        i = array.i
                    } else if c == UInt8(ascii: "{") {
                        let objectStart = i
                        var object = ObjectCursor(b, at: i)
                        var sawFindings = false
                        while let key = try object.nextKey() {
                            if !sawFindings, Keys.matches(b, key, "findings"), object.peek() == UInt8(ascii: "[") {
                                sawFindings = true
                                var array = ArrayCursor(b, at: object.i)
                                failing = recordCount + 1
                                while let element = try array.next() {
                                    var counter = recordCount
                                    handle(b, element, line: lines.line(at: element.start, in: b), counter: &counter,
                                           numbered: true, into: &batch)
                                    recordCount = counter
                                    failing = recordCount + 1
                                }
                                object.i = array.i
                                failing = nil
                            } else {
                                try object.skipValue()
                            }
                        }
                        i = object.i
                        if !sawFindings {
                            let ref = JSONRef(kind: .object, start: objectStart, end: i)
                            var counter = recordCount
                            handle(b, ref, line: lines.line(at: objectStart, in: b), counter: &counter,
                                   numbered: true, into: &batch)
                            recordCount = counter
                        }
                    } else {
                        let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16)
                        throw JSONSyntaxError("unexpected \(shown), expected a JSON object or array", at: i)
                    }
                } catch {
                    var message = "malformed JSON: \(error.message)"
                    if error.offset < b.count { message += "; the rest of the file was not read" }
                    batch.error(source, line: lines.line(at: min(error.offset, b.count), in: b), record: failing, message)
                    return
                }
            }
        }

        /// JSON lines: each non-blank line is one value; a bad line is reported and the next one read.
        mutating func readLines(into batch: inout IngestBatch) {
            var s = 0
            var lineNumber = 1
            while s < b.count {
                let e = Bytes.lineEnd(b, from: s)
                defer { s = e + 1; lineNumber += 1 }
                var (ts, te) = Bytes.trim(b, s, e)
                if lineNumber == 1 { ts += min(bomLength(UnsafeRawBufferPointer(rebasing: b[ts..<te])), te - ts) }
                guard ts < te else { continue }
                let line = UnsafeRawBufferPointer(rebasing: b[ts..<te])
                var i = 0
                do throws(JSONSyntaxError) {
                    let value = try JSONScanner.scanValue(line, &i)
                    JSONScanner.skipWhitespace(line, &i)
                    guard i == line.count else {
                        batch.error(source, line: lineNumber, "unexpected content after the JSON value at column \(ts - s + i + 1)")
                        continue
                    }
                    var counter = 0
                    handle(line, value, line: lineNumber, counter: &counter, numbered: false, into: &batch)
                } catch {
                    batch.error(source, line: lineNumber, "malformed JSON: \(error.message) at column \(ts - s + error.offset + 1)")
                }
            }
        }

        /// A well-formed value: one record, or a container of records (an array, a `Findings` wrapper).
        /// Records are numbered with `counter`; in JSON lines a line's own record has no number (`numbered` false).
        mutating func handle(_ b: UnsafeRawBufferPointer, _ value: JSONRef, line: Int, counter: inout Int,
                             numbered: Bool, into batch: inout IngestBatch) {
            var container: JSONRef?
            if value.kind == .array {
                container = value
            } else if value.kind == .object, let findings = Keys.member(b, value, "findings"), findings.kind == .array {
                container = findings
            }
            if let container {
                let perLine = !numbered
                JSONScanner.forEachElement(b, container) { element in
                    let elementLine = perLine ? line : lines.line(at: element.start, in: b)
                    handle(b, element, line: elementLine, counter: &counter, numbered: true, into: &batch)
                    return true
                }
                return
            }
            counter += 1
            let record = numbered ? counter : nil
            switch FindingRecord.read(b, value) {
            case .success(let read):
                batch.events.append(read.event)
                if let warning = read.warning { batch.warning(source, line: line, record: record, warning) }
            case .failure(let problem):
                batch.error(source, line: line, record: record, problem.message)
            }
        }
    }

    /// Counts lines up to an offset, remembering where it stopped so that forward queries stay linear.
    struct LineCounter {
        var offset = 0
        var line = 1

        mutating func line(at target: Int, in b: UnsafeRawBufferPointer) -> Int {
            if target < offset { offset = 0; line = 1 }
            var i = offset
            var n = line
            let end = min(target, b.count)
            while i < end {
                if b[i] == 0x0A { n += 1 }
                i += 1
            }
            offset = end
            line = n
            return n
        }
    }

    /// Steps through an array one element at a time, validating as it goes.
    struct ArrayCursor {
        let b: UnsafeRawBufferPointer
        var i: Int
        var started = false
        var finished = false

        init(_ b: UnsafeRawBufferPointer, at start: Int) {
            self.b = b
            self.i = start + 1
        }

        mutating func next() throws(JSONSyntaxError) -> JSONRef? {
            guard !finished else { return nil }
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count else { throw JSONSyntaxError("unexpected end of input inside an array", at: i) }
            if started {
                if b[i] == UInt8(ascii: "]") { i += 1; finished = true; return nil }
                guard b[i] == UInt8(ascii: ",") else { throw Bytes.unexpected(b, i, "',' or ']'") }
                i += 1
            } else {
                started = true
                if b[i] == UInt8(ascii: "]") { i += 1; finished = true; return nil }
            }
            return try JSONScanner.scanValue(b, &i, depth: 1)
        }
    }

    /// Steps through an object's members; after `nextKey` the caller skips the value or reads it itself.
    struct ObjectCursor {
        let b: UnsafeRawBufferPointer
        var i: Int
        var started = false

        init(_ b: UnsafeRawBufferPointer, at start: Int) {
            self.b = b
            self.i = start + 1
        }

        /// The next key, leaving `i` at its value; nil past the closing brace.
        mutating func nextKey() throws(JSONSyntaxError) -> JSONRef? {
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count else { throw JSONSyntaxError("unexpected end of input inside an object", at: i) }
            if b[i] == UInt8(ascii: "}") { i += 1; return nil }
            if started {
                guard b[i] == UInt8(ascii: ",") else { throw Bytes.unexpected(b, i, "',' or '}'") }
                i += 1
                JSONScanner.skipWhitespace(b, &i)
            }
            started = true
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Bytes.unexpected(b, i, "a member name") }
            let key = try JSONScanner.scanString(b, &i)
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Bytes.unexpected(b, i, "':'") }
            i += 1
            JSONScanner.skipWhitespace(b, &i)
            return key
        }

        func peek() -> UInt8? { i < b.count ? b[i] : nil }

        mutating func skipValue() throws(JSONSyntaxError) {
            _ = try JSONScanner.scanValue(b, &i, depth: 1)
        }
    }

    // MARK: - One finding

    struct Problem: Error {
        var message: String
    }

    /// Maps one record (a finding object or an EventBridge event holding one) to an event.
    enum FindingRecord {
        struct Read {
            var event: Event
            /// Something odd about a record that was still read.
            var warning: String?
        }

        static func read(_ b: UnsafeRawBufferPointer, _ record: JSONRef) -> Result<Read, Problem> {
            guard record.kind == .object else {
                return .failure(Problem(message: "expected a finding object, found \(kindName(record.kind))"))
            }
            var finding = record
            var envelopeTime: Timestamp?
            var envelopeRegion: String?
            var envelopeAccount: String?
            if let detailType = JSONScanner.member(b, record, "detail-type") {
                let name = JSONScanner.text(b, detailType)
                guard name == "GuardDuty Finding" else {
                    return .failure(Problem(message: "EventBridge event with detail-type \"\(name)\" is not a GuardDuty finding"))
                }
                guard let detail = JSONScanner.member(b, record, "detail"), detail.kind == .object else {
                    return .failure(Problem(message: "EventBridge event has no detail object"))
                }
                finding = detail
                envelopeTime = JSONScanner.member(b, record, "time").flatMap { Values.timestamp(b, $0) }
                envelopeRegion = Values.string(b, JSONScanner.member(b, record, "region"))
                envelopeAccount = Values.string(b, JSONScanner.member(b, record, "account"))
            }

            // One pass over the finding's own members.
            var id: JSONRef?, type: JSONRef?, severity: JSONRef?, title: JSONRef?, createdAt: JSONRef?
            var updatedAt: JSONRef?, region: JSONRef?, account: JSONRef?, resource: JSONRef?, service: JSONRef?
            JSONScanner.forEachMember(b, finding) { key, value in
                switch slot(b, key) {
                case .id: id = value
                case .type: type = value
                case .severity: severity = value
                case .title: title = value
                case .createdAt: createdAt = value
                case .updatedAt: updatedAt = value
                case .region: region = value
                case .accountId: account = value
                case .resource: resource = value
                case .service: service = value
                case nil: break
                }
                return true
            }

            let findingID = Values.string(b, id)
            let findingType = Values.string(b, type)
            switch (findingID, findingType) {
            case (nil, nil): return .failure(Problem(message: "not a GuardDuty finding: missing Id and Type"))
            case (nil, _): return .failure(Problem(message: "not a GuardDuty finding: missing Id"))
            case (_, nil): return .failure(Problem(message: "not a GuardDuty finding: missing Type"))
            default: break
            }
            guard let findingID, let findingType else { return .failure(Problem(message: "not a GuardDuty finding")) }

            guard let time = updatedAt.flatMap({ Values.timestamp(b, $0) })
                    ?? createdAt.flatMap({ Values.timestamp(b, $0) }) ?? envelopeTime else {
                let what = updatedAt == nil && createdAt == nil ? "missing UpdatedAt and CreatedAt" : "invalid UpdatedAt and CreatedAt"
                return .failure(Problem(message: "finding \(findingID): \(what)"))
            }

            var warning: String?
            var score: Double = 0
            if let severity {
                if let parsed = severityScore(b, severity) {
                    score = parsed
                } else {
                    warning = "finding \(findingID): unrecognised Severity \(Values.json(b, severity)), read as 0"
                }
            }

            var resources = ResourceList()
            var principal: Principal?
            var accessKeyID: String?
            var resourceType: String?
            if let resource, resource.kind == .object {
                resourceType = Values.string(b, Keys.member(b, resource, "resourceType"))
                if let key = Keys.member(b, resource, "accessKeyDetails"), key.kind == .object {
                    accessKeyID = Values.string(b, Keys.member(b, key, "accessKeyId"))
                    let userName = Values.string(b, Keys.member(b, key, "userName"))
                    let userType = Values.string(b, Keys.member(b, key, "userType"))
                    let principalID = Values.string(b, Keys.member(b, key, "principalId"))
                    if userName != nil || userType != nil || principalID != nil {
                        principal = Principal(arn: principalID, type: userType.map { Principal.IdentityType(cloudTrail: $0) } ?? .unknown,
                                              userName: userName)
                    }
                }
                resources.add(Values.string(b, Keys.path(b, resource, "instanceDetails", "instanceId")))
                resources.add(accessKeyID)
                if let buckets = Keys.member(b, resource, "s3BucketDetails") {
                    JSONScanner.forEachElement(b, buckets) { bucket in
                        resources.add(Values.string(b, Keys.member(b, bucket, "name")))
                        return true
                    }
                }
                resources.add(Values.string(b, Keys.path(b, resource, "eksClusterDetails", "name")))
                resources.add(Values.string(b, Keys.path(b, resource, "ecsClusterDetails", "name")))
                resources.add(Values.string(b, Keys.path(b, resource, "rdsDbInstanceDetails", "dbInstanceIdentifier")))
                resources.add(Values.string(b, Keys.path(b, resource, "lambdaDetails", "functionName")))
            }

            var actionType: String?
            var sourceIP: String?
            var userAgent: String?
            var count = 1
            var firstSeen: Timestamp?
            var lastSeen: Timestamp?
            if let service, service.kind == .object {
                if let action = Keys.member(b, service, "action"), action.kind == .object {
                    actionType = Values.string(b, Keys.member(b, action, "actionType"))
                    sourceIP = remoteAddress(b, action)
                    userAgent = Values.userAgent(b, Keys.path(b, action, "awsApiCallAction", "userAgent"))
                        ?? Values.userAgent(b, Keys.path(b, action, "kubernetesApiCallAction", "userAgent"))
                    if let domain = Values.string(b, Keys.path(b, action, "dnsRequestAction", "domain")) {
                        resources.add(domain.hasSuffix(".") && domain.count > 1 ? String(domain.dropLast()) : domain)
                    }
                }
                if userAgent == nil {
                    userAgent = Values.userAgent(b, Keys.path(b, service, "additionalInfo", "userAgent"))
                }
                if let c = Keys.member(b, service, "count").flatMap({ JSONScanner.int(b, $0) }) {
                    count = Int(clamping: c)
                }
                firstSeen = Keys.member(b, service, "eventFirstSeen").flatMap { Values.timestamp(b, $0) }
                lastSeen = Keys.member(b, service, "eventLastSeen").flatMap { Values.timestamp(b, $0) }
            }

            let fields = FindingFields(id: findingID, type: findingType, score: score, title: Values.string(b, title),
                                       resourceType: resourceType, actionType: actionType, count: count,
                                       firstSeen: firstSeen, lastSeen: lastSeen)
            let event = Event(time: time, kind: .finding, service: "guardduty", action: findingType, outcome: .success,
                              principal: principal, accessKeyID: accessKeyID, sourceIP: sourceIP, userAgent: userAgent,
                              region: Values.string(b, region) ?? envelopeRegion,
                              account: Values.string(b, account) ?? envelopeAccount,
                              resources: resources.items, eventID: findingID, finding: fields,
                              raw: Array(UnsafeRawBufferPointer(rebasing: b[record.start..<record.end])))
            return .success(Read(event: event, warning: warning))
        }

        /// The top-level finding members the reader uses.
        enum Slot: CaseIterable {
            case id, type, severity, title, createdAt, updatedAt, region, accountId, resource, service
        }

        static func slot(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> Slot? {
            if key.hasEscapes {
                let name = JSONScanner.decodeString(b, key)
                guard let first = name.first else { return nil }
                let camel = first.lowercased() + name.dropFirst()
                return Slot.allCases.first { "\($0)" == camel }
            }
            switch key.count - 2 {
            case 2: return Keys.matches(b, key, "id") ? .id : nil
            case 4: return Keys.matches(b, key, "type") ? .type : nil
            case 5: return Keys.matches(b, key, "title") ? .title : nil
            case 6: return Keys.matches(b, key, "region") ? .region : nil
            case 7: return Keys.matches(b, key, "service") ? .service : nil
            case 8:
                if Keys.matches(b, key, "severity") { return .severity }
                return Keys.matches(b, key, "resource") ? .resource : nil
            case 9:
                if Keys.matches(b, key, "createdAt") { return .createdAt }
                if Keys.matches(b, key, "updatedAt") { return .updatedAt }
                return Keys.matches(b, key, "accountId") ? .accountId : nil
            default: return nil
            }
        }

        /// A numeric severity, a number in a string, or a label (`LOW`, `MEDIUM`, `HIGH`, `CRITICAL`): a label
        /// gives the lowest score of its band so that `FindingFields.Severity(guardDutyScore:)` maps it back.
        static func severityScore(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Double? {
            switch ref.kind {
            case .number:
                return JSONScanner.double(b, ref)
            case .string:
                let text = JSONScanner.decodeString(b, ref)
                if let value = Double(text), value.isFinite { return value }
                switch text.uppercased() {
                case "CRITICAL": return 9
                case "HIGH": return 7
                case "MEDIUM": return 4
                case "LOW": return 1
                case "INFORMATIONAL", "INFO": return 0
                default: return nil
                }
            default:
                return nil
            }
        }

        /// The remote address of the action, from the first action kind that has one.
        static func remoteAddress(_ b: UnsafeRawBufferPointer, _ action: JSONRef) -> String? {
            func address(_ details: JSONRef?) -> String? {
                guard let details, details.kind == .object else { return nil }
                return Values.string(b, Keys.member(b, details, "ipAddressV4"))
                    ?? Values.string(b, Keys.member(b, details, "ipAddressV6"))
            }
            if let ip = address(Keys.path(b, action, "awsApiCallAction", "remoteIpDetails")) { return ip }
            if let ip = address(Keys.path(b, action, "networkConnectionAction", "remoteIpDetails")) { return ip }
            if let probes = Keys.path(b, action, "portProbeAction", "portProbeDetails") {
                var found: String?
                JSONScanner.forEachElement(b, probes) { probe in
                    found = address(Keys.member(b, probe, "remoteIpDetails"))
                    return found == nil
                }
                if let found { return found }
            }
            if let ip = address(Keys.path(b, action, "dnsRequestAction", "remoteIpDetails")) { return ip }
            if let ip = address(Keys.path(b, action, "kubernetesApiCallAction", "remoteIpDetails")) { return ip }
            if let ip = address(Keys.path(b, action, "rdsLoginAttemptAction", "remoteIpDetails")) { return ip }
            return nil
        }

        static func kindName(_ kind: JSONRef.Kind) -> String {
            switch kind {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .bool: "a boolean"
            case .null: "null"
            }
        }
    }

    /// Resource identifiers in first-seen order, without empties or repeats.
    struct ResourceList {
        var items: [String] = []

        mutating func add(_ value: String?) {
            guard let value, !value.isEmpty, !items.contains(value) else { return }
            items.append(value)
        }
    }

    // MARK: - Member names in either casing

    /// GuardDuty's API and EventBridge events use PascalCase member names, S3 exports camelCase: names are given in
    /// camelCase and matched with the first letter case-insensitive (`severity` matches `Severity`).
    enum Keys {
        static func matches(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ name: StaticString) -> Bool {
            let n = name.utf8CodeUnitCount
            let p = name.utf8Start
            if key.hasEscapes {
                let decoded = Array(JSONScanner.decodeString(b, key).utf8)
                guard decoded.count == n, n > 0 else { return false }
                if !sameLetter(decoded[0], p[0]) { return false }
                for k in 1..<n where decoded[k] != p[k] { return false }
                return true
            }
            guard key.count - 2 == n, n > 0 else { return false }
            let s = key.start + 1
            if !sameLetter(b[s], p[0]) { return false }
            for k in 1..<n where b[s + k] != p[k] { return false }
            return true
        }

        @inline(__always)
        static func sameLetter(_ a: UInt8, _ b: UInt8) -> Bool {
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }

        static func member(_ b: UnsafeRawBufferPointer, _ object: JSONRef, _ name: StaticString) -> JSONRef? {
            guard object.kind == .object else { return nil }
            var found: JSONRef?
            JSONScanner.forEachMember(b, object) { key, value in
                if matches(b, key, name) { found = value; return false }
                return true
            }
            return found
        }

        static func path(_ b: UnsafeRawBufferPointer, _ object: JSONRef, _ names: StaticString...) -> JSONRef? {
            var current = object
            for name in names {
                guard let next = member(b, current, name) else { return nil }
                current = next
            }
            return current
        }
    }

    // MARK: - Scalar values

    enum Values {
        /// A non-empty string (numbers accepted as written, for account ids exported as numbers).
        static func string(_ b: UnsafeRawBufferPointer, _ ref: JSONRef?) -> String? {
            JSONScanner.nonEmptyString(b, ref)
        }

        /// The value exactly as written (strings keep their quotes), for messages.
        static func json(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: b[ref.start..<min(ref.end, ref.start + 80)]), as: UTF8.self)
        }

        /// A user agent given as a string, or as an object with `fullUserAgent`.
        static func userAgent(_ b: UnsafeRawBufferPointer, _ ref: JSONRef?) -> String? {
            guard let ref else { return nil }
            if ref.kind == .object { return string(b, Keys.member(b, ref, "fullUserAgent")) }
            return ref.kind == .string ? string(b, ref) : nil
        }

        /// An ISO 8601 string, or epoch seconds / milliseconds as a number.
        static func timestamp(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Timestamp? {
            switch ref.kind {
            case .string:
                if ref.hasEscapes { return ISO8601Parser.parse(JSONScanner.decodeString(b, ref)) }
                return ISO8601Parser.parse(UnsafeRawBufferPointer(rebasing: b[(ref.start + 1)..<(ref.end - 1)]))
            case .number:
                guard let value = JSONScanner.double(b, ref), value.isFinite, value > 0, value < 1e14 else { return nil }
                // Seconds until the year 5138; anything larger is milliseconds.
                return value < 1e11 ? Timestamp(milliseconds: Int64((value * 1000).rounded()))
                    : Timestamp(milliseconds: Int64(value.rounded()))
            default:
                return nil
            }
        }
    }

    // MARK: - Bytes

    enum Bytes {
        /// Offset of the first `\n` at or after `from`, or the end of the buffer.
        static func lineEnd(_ b: UnsafeRawBufferPointer, from: Int) -> Int {
            var i = from
            while i < b.count, b[i] != 0x0A { i += 1 }
            return i
        }

        /// The range `s..<e` without surrounding spaces, tabs and carriage returns.
        static func trim(_ b: UnsafeRawBufferPointer, _ s: Int, _ e: Int) -> (Int, Int) {
            var s = s, e = e
            while s < e, JSONScanner.isWhitespace(b[s]) { s += 1 }
            while e > s, JSONScanner.isWhitespace(b[e - 1]) { e -= 1 }
            return (s, e)
        }

        static func find(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString, from: Int = 0,
                         ignoringCase: Bool = false) -> Int? {
            let n = needle.utf8CodeUnitCount
            let p = needle.utf8Start
            guard n > 0, haystack.count >= n, from <= haystack.count - n else { return nil }
            var i = from
            let last = haystack.count - n
            while i <= last {
                var k = 0
                if ignoringCase {
                    while k < n, haystack[i + k] | 0x20 == p[k] | 0x20 { k += 1 }
                } else {
                    while k < n, haystack[i + k] == p[k] { k += 1 }
                }
                if k == n { return i }
                i += 1
            }
            return nil
        }

        static func unexpected(_ b: UnsafeRawBufferPointer, _ i: Int, _ expected: String) -> JSONSyntaxError {
            guard i < b.count else { return JSONSyntaxError("unexpected end of input, expected \(expected)", at: i) }
            let c = b[i]
            let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16)
            return JSONSyntaxError("unexpected \(shown), expected \(expected)", at: i)
        }
    }
}
