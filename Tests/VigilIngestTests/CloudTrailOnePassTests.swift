import Testing
@testable import VigilIngest
import VigilCore
import VigilStore
@testable import VigilSynth

/// The bulk path reads a record's nested members (`userIdentity`, its session context, the record attributes) in
/// the pass that validates it. These records put every member those reads depend on in awkward places: case
/// variants, repeats, escaped names, values of the wrong kind. The identity must come out as the event path reads
/// it, and the record attributes as ``AttributeReference`` (a plain walk over the finished record) captures them.
@Suite("CloudTrail one-pass reading")
struct CloudTrailOnePassTests {
    static func record(_ n: Int, _ members: String) -> String {
        #"{"eventTime":"2026-03-10T10:00:\#(n < 10 ? "0" : "")\#(n)Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventID":"r\#(n)",\#(members)}"#
    }

    static let identities: [String] = [
        #""userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","accountId":"1","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r"},"attributes":{"creationDate":"x","mfaAuthenticated":"true"}}}"#,
        // Case variants: rules match without case, the identity columns only the exact names.
        #""UserIdentity":{"InvokedBy":"a.amazonaws.com"},"userIdentity":{"type":"AWSService","invokedBy":"b.amazonaws.com","SessionContext":{"SessionIssuer":{"TYPE":"Role"},"Attributes":{"MFAAuthenticated":"FALSE"}}}"#,
        // Repeats: the columns take the last, the attributes the first.
        #""userIdentity":{"type":"IAMUser","userName":"a","userName":"b","invokedBy":"x","invokedBy":"y","sessionContext":"flat","sessionContext":{"attributes":{"mfaAuthenticated":"true"},"attributes":{"other":1},"attributes":{"mfaAuthenticated":false}}}"#,
        #""userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/second"}"#,
        // Escaped member names, at the top, in the identity, before and after the members sought.
        #""userIdentity":{"type":"IAMUser","userName":"u"},"read\u004fnly":true"#,
        #""userIdentity":{"t\u0079pe":"IAMUser","invokedBy":"i","sessionContext":{"sessionIssuer":{"type":"Role"}}}"#,
        #""userIdentity":{"invokedBy":"i","sessionContext":{"sessionIssuer":{"type":"Role"}},"\u0061rn":"arn:x"}"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"type":"User"},"\u0061ttributes":{"mfaAuthenticated":"true"}}}"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":{"attributes":{"mfa\u0041uthenticated":"true"},"sessionIssuer":{"\u0074ype":"Role"}}}"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":{"attributes":{"mfaAuthenticated":"true","\u0078":1},"sessionIssuer":{"type":"Role","\u0078":1}}}"#,
        // Values of other kinds on the way and at the end.
        #""userIdentity":"odd""#,
        #""userIdentity":null"#,
        #""userIdentity":[{"invokedBy":"x"}]"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":[{"sessionIssuer":{"type":"Role"}}]}"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":null}"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":"Role","attributes":null}}"#,
        #""userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"type":{"name":"Role"}},"attributes":{"mfaAuthenticated":["true"]}}}"#,
        #""userIdentity":{"type":"AssumedRole","invokedBy":"","sessionContext":{"sessionIssuer":{"type":7},"attributes":{"mfaAuthenticated":true}}}"#,
        #""userIdentity":{"type":"AssumedRole","invokedBy":"a\"b\u00e9","sessionContext":{"sessionIssuer":{"type":"R\u006fle"},"attributes":{"mfaAuthenticated":"TRUE"}}}"#,
        #""userIdentity":{"type":"IAMUser","sessionContext":{}},"eventType":"AwsConsoleSignIn","EventCategory":"Data","managementEvent":null,"readOnly":"","sessionCredentialFromConsole":true"#,
        #""userIdentity":{},"eventCategory":["Data"],"READONLY":false,"readOnly":true"#,
        #""eventType":"AwsApiCall""#,
        // Top-level attribute names in other cases, before and after the exact ones.
        #""EventType":"AwsConsoleSignIn","eventType":"AwsApiCall","SessionCredentialFromConsole":"true","ManagementEvent":false,"managementEvent":true"#,
        #""sessioncredentialfromconsole":"false","sessionCredentialFromConsole":"true","eventtype":"AwsConsoleSignIn","USERIDENTITY":{"invokedBy":"z"}"#,
        // Whitespace everywhere the scanner allows it.
        " \"userIdentity\" : { \"type\" : \"AssumedRole\" , \"sessionContext\" : { \"sessionIssuer\" : { \"type\" : \"Role\" } , \"attributes\" : { \"mfaAuthenticated\" : \"true\" } } } ",
    ]

    static var records: [String] { identities.enumerated().map { record($0.offset, $0.element) } }

    @Test("identities in awkward shapes give the same store both ways")
    func identitiesBothWays() {
        RowsPathTests.expectSame(Array(CloudTrailFixtures.s3Delivery(Self.records).utf8))
        RowsPathTests.expectSame(Array(Self.records.joined(separator: "\n").utf8))
    }

    /// The attributes each row of `bytes` captured: a missing entry is unknown, nil absent.
    static func captured(_ bytes: [UInt8]) -> [String: [RecordAttribute: String?]] {
        var batch = IngestBatch()
        batch.rows = EventRows()
        bytes.withUnsafeBytes {
            _ = Ingestor.read($0, source: "t", referenceTime: Timestamp(seconds: 0), into: &batch)
        }
        let store = EventStore()
        store.append(batch.rows!)
        var result: [String: [RecordAttribute: String?]] = [:]
        for id in store.idsInTimeOrder() {
            var values: [RecordAttribute: String?] = [:]
            for attribute in RecordAttribute.allCases {
                switch store.attribute(attribute, inSet: store.attributeSet(of: id)) {
                case .unknown: break
                case .absent: values[attribute] = .some(nil)
                case .symbol(let symbol): values[attribute] = store.symbols[symbol]
                }
            }
            result[store.recordID(of: id) ?? "?"] = values
        }
        return result
    }

    static func expectSameAttributes(_ records: [String]) {
        let rows = captured(Array(records.joined(separator: "\n").utf8))
        #expect(rows.count == records.count)
        for text in records {
            let bytes = Array(text.utf8)
            let (id, expected) = bytes.withUnsafeBytes { b -> (String, [RecordAttribute: String?]) in
                var i = 0
                let object = try! JSONScanner.scanValue(b, &i)
                let id = JSONScanner.member(b, object, "eventID").map { JSONScanner.decodeString(b, $0) } ?? "?"
                return (id, AttributeReference.capture(b, object))
            }
            #expect(rows[id] == expected, "record \(id): \(text)")
        }
    }

    @Test("record attributes in awkward shapes are captured as a plain walk of the record finds them")
    func awkwardAttributes() {
        Self.expectSameAttributes(Self.records)
    }

    @Test("record attributes of generated CloudTrail are captured as a plain walk of the record finds them")
    func generatedAttributes() throws {
        let document = BenchDataGenerator(seed: 11).cloudTrailDocument(records: 500, fileIndex: 1)
        var records: [String] = []
        document.withUnsafeBytes { b in
            var i = 0
            guard let top = try? JSONScanner.scanValue(b, &i), let list = JSONScanner.member(b, top, "Records") else { return }
            JSONScanner.forEachElement(b, list) { element in
                records.append(String(decoding: UnsafeRawBufferPointer(rebasing: b[element.start..<element.end]), as: UTF8.self))
                return true
            }
        }
        #expect(records.count == 500)
        Self.expectSameAttributes(records)
    }
}

/// The record attributes a bulk load captures, found by walking the finished record member by member (the way
/// the bulk path did before it read them in its validating pass): the reference the one-pass capture must match.
enum AttributeReference {
    static func capture(_ b: UnsafeRawBufferPointer, _ record: JSONRef) -> [RecordAttribute: String?] {
        var out: [RecordAttribute: String?] = [:]
        let names = ["eventtype", "eventcategory", "managementevent", "readonly", "sessioncredentialfromconsole", "useridentity"]
        var top = [JSONRef?](repeating: nil, count: names.count)
        var escaped = false
        JSONScanner.forEachMember(b, record) { key, value in
            if key.hasEscapes { escaped = true }
            for (n, name) in names.enumerated() where top[n] == nil && folded(b, key, name) { top[n] = value }
            return true
        }
        guard !escaped else { return [:] }
        let attributes: [RecordAttribute] = [.eventType, .eventCategory, .managementEvent, .readOnly, .sessionCredentialFromConsole]
        for (n, attribute) in attributes.enumerated() { set(b, top[n], attribute, &out) }
        guard let identity = top[5] else {
            for attribute in [RecordAttribute.invokedBy, .sessionIssuerType, .mfaAuthenticated] { out[attribute] = .some(nil) }
            return out
        }
        let (invokedBy, context) = members(b, identity, "invokedby", "sessioncontext")
        set(b, invokedBy, .invokedBy, &out)
        // Undecidable context: unknown (an escaped name might be it), but absent when userIdentity is not an
        // object. Absent context: both nested attributes are absent.
        guard let context else {
            if identity.kind != .object {
                out[.sessionIssuerType] = .some(nil)
                out[.mfaAuthenticated] = .some(nil)
            }
            return out
        }
        guard let context else {
            out[.sessionIssuerType] = .some(nil)
            out[.mfaAuthenticated] = .some(nil)
            return out
        }
        let (issuer, attributesObject) = members(b, context, "sessionissuer", "attributes")
        func step(_ value: JSONRef??, _ name: String) -> JSONRef?? {
            guard let value else { return nil }
            guard let object = value else { return .some(nil) }
            return members(b, object, name, nil).0
        }
        set(b, step(issuer, "type"), .sessionIssuerType, &out)
        set(b, step(attributesObject, "mfaauthenticated"), .mfaAuthenticated, &out)
        return out
    }

    static func members(_ b: UnsafeRawBufferPointer, _ object: JSONRef, _ first: String, _ second: String?) -> (JSONRef??, JSONRef??) {
        guard object.kind == .object else { return (nil, nil) }
        var a: JSONRef?, c: JSONRef?
        var unsure = false
        JSONScanner.forEachMember(b, object) { key, value in
            if key.hasEscapes { unsure = true; return false }
            if a == nil, folded(b, key, first) { a = value } else if let second, c == nil, folded(b, key, second) { c = value }
            return a == nil || (second != nil && c == nil)
        }
        return unsure ? (nil, nil) : (.some(a), .some(c))
    }

    static func folded(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ lowered: String) -> Bool {
        String(decoding: UnsafeRawBufferPointer(rebasing: b[(key.start + 1)..<(key.end - 1)]), as: UTF8.self)
            .lowercased() == lowered && key.count - 2 == lowered.utf8.count
    }

    static func set(_ b: UnsafeRawBufferPointer, _ member: JSONRef??, _ attribute: RecordAttribute, _ out: inout [RecordAttribute: String?]) {
        guard let member else { return }
        set(b, member, attribute, &out)
    }

    static func set(_ b: UnsafeRawBufferPointer, _ member: JSONRef?, _ attribute: RecordAttribute, _ out: inout [RecordAttribute: String?]) {
        guard let value = member else { out[attribute] = .some(nil); return }
        let text: String
        switch value.kind {
        case .string: text = JSONScanner.decodeString(b, value)
        case .number, .bool: text = JSONScanner.text(b, value)
        default: return
        }
        if !text.isEmpty { out[attribute] = text }
    }
}

@Suite("Member name bytes")
struct NameBytesTests {
    @Test("word-at-a-time comparison agrees with comparing byte by byte, with and without case folding")
    func agreesWithBytes() {
        // Bytes around the letters' edges ('@', '[', '`', '{'), capitals with the high bit set, and UTF-8.
        let alphabet: [UInt8] = Array("aAzZ@[`{mM09_".utf8) + [0xC1, 0xDA, 0xE1, 0x80, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...30, using: &generator)
            let a = (0..<n).map { _ in alphabet.randomElement(using: &generator)! }
            // The lowered side: often a's own lowering, so that equal pairs are common.
            var b = a.map { $0 &- 65 < 26 ? $0 | 0x20 : $0 }
            if n > 0, Bool.random(using: &generator) { b[Int.random(in: 0..<n, using: &generator)] = alphabet.randomElement(using: &generator)! }
            let folded = zip(a, b).allSatisfy { ($0 &- 65 < 26 ? $0 | 0x20 : $0) == $1 }
            let exact = a == b
            a.withUnsafeBytes { pa in
                b.withUnsafeBytes { pb in
                    let x = pa.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, y = pb.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                    #expect(NameBytes.equal(x, y, n, folding: true) == folded, "\(a) \(b)")
                    #expect(NameBytes.equal(x, y, n, folding: false) == exact, "\(a) \(b)")
                }
            }
        }
    }
}

@Suite("Format sniffing search")
struct SnifferSearchTests {
    @Test("finds markers wherever they are, as a byte-by-byte search does")
    func findAgreesWithNaive() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("\"ab{}:,\\".utf8)
        for _ in 0..<3_000 {
            let hay = (0..<Int.random(in: 0...90, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let from = Int.random(in: 0...max(0, hay.count), using: &generator)
            hay.withUnsafeBytes { h in
                for (needle, bytes) in [("\"ab\"" as StaticString, Array("\"ab\"".utf8)), ("\"", Array("\"".utf8)),
                                        ("\"a\\\"b:\"", Array("\"a\\\"b:\"".utf8))] {
                    var expected: Int?
                    if hay.count >= bytes.count {
                        for i in stride(from: from, through: hay.count - bytes.count, by: 1) where Array(hay[i..<(i + bytes.count)]) == bytes {
                            expected = i
                            break
                        }
                    }
                    #expect(FormatSniffer.find(h, needle, from: from) == expected, "\(hay) from \(from)")
                }
            }
        }
        // The query-log marker is a member name only where no backslash precedes it.
        let escaped = Array(#"{"message":"{\"query_name\":1}","query_name":"x","rcode":"NOERROR"}"#.utf8)
        escaped.withUnsafeBytes { #expect(ResolverQueryLogReader.hasKey($0, "\"query_name\"")) }
        let onlyEscaped = Array(#"{"message":"{\"query_name\":1}"}"#.utf8)
        onlyEscaped.withUnsafeBytes { #expect(!ResolverQueryLogReader.hasKey($0, "\"query_name\"")) }
    }
}

extension CloudTrailOnePassTests {
    @Test("damaged records give the same errors and the same store both ways")
    func damagedRecords() {
        // The first record stays whole so that both paths read something; the damage falls in the rest.
        let lines = [Self.record(59, #""userIdentity":{"type":"IAMUser"}"#)] + Array(Self.records.prefix(8))
        let text = Array(lines.joined(separator: "\n").utf8)
        let firstEnd = lines[0].utf8.count + 1
        var generator = SystemRandomNumberGenerator()
        let garbage: [UInt8] = Array("{}[]\":,\\ x0tn".utf8) + [0x00, 0xFF, 0x0A]
        for trial in 0..<150 {
            var damaged = text
            let at = Int.random(in: firstEnd..<damaged.count, using: &generator)
            switch trial % 3 {
            case 0: damaged.removeSubrange(at...)                                              // truncated
            case 1: damaged[at] = garbage.randomElement(using: &generator)!                    // a byte replaced
            default: damaged.insert(garbage.randomElement(using: &generator)!, at: at)         // a byte inserted
            }
            RowsPathTests.expectSame(damaged, "damage at \(at) (trial \(trial))")
            // The same records in an S3 delivery document, where damage ends the array.
            let document = Array(CloudTrailFixtures.s3Delivery(lines).utf8)
            var damagedDocument = document
            let atDocument = Int.random(in: (firstEnd + 12)..<(document.count - 2), using: &generator)
            damagedDocument[atDocument] = garbage.randomElement(using: &generator)!
            RowsPathTests.expectSame(damagedDocument, "document damage at \(atDocument) (trial \(trial))")
        }
    }
}
