import Testing
@testable import VigilCore

@Suite("JSONScanner")
struct JSONScannerTests {
    func scan(_ text: String) throws -> (JSONRef, Int) {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { b in
            var i = 0
            let ref = try JSONScanner.scanValue(b, &i)
            return (ref, i)
        }
    }

    @Test("scans every kind of value and stops right after it", arguments: [
        ("{\"a\":1}", JSONRef.Kind.object, 7),
        ("[1, 2 ,3] tail", .array, 9),
        ("\"x\\\"y\"", .string, 6),
        ("-12.5e+3,", .number, 8),
        ("true ", .bool, 4),
        ("false", .bool, 5),
        ("null", .null, 4),
        ("  {}", .object, 4),
    ])
    func scansValues(text: String, kind: JSONRef.Kind, end: Int) throws {
        let (ref, i) = try scan(text)
        #expect(ref.kind == kind)
        #expect(ref.end == end)
        #expect(i == end)
    }

    @Test("whitespace is exactly JSON's four bytes")
    func whitespace() {
        for c in 0...255 {
            #expect(JSONScanner.isWhitespace(UInt8(c)) == [0x20, 0x0A, 0x0D, 0x09].contains(c), "byte \(c)")
        }
    }

    @Test("reports malformed input with the byte offset", arguments: [
        ("{\"a\" 1}", 5, "expected ':'"),
        ("[1,2", 4, "end of input"),
        ("\"abc", 0, "unterminated string"),
        ("{\"a\":tru}", 5, "expected 'true'"),
        ("[falsy]", 1, "expected 'false'"),
        ("[nulL]", 1, "expected 'null'"),
        ("[truE]", 1, "expected 'true'"),
        ("fals", 0, "end of input in 'false'"),
        ("[1,]", 3, "expected a value"),
        ("-", 1, "a digit"),
        ("{\"a\":1,}", 7, "a member name"),
    ])
    func reportsErrors(text: String, offset: Int, fragment: String) {
        do {
            _ = try scan(text)
            Issue.record("expected an error for \(text)")
        } catch let error as JSONSyntaxError {
            #expect(error.offset == offset)
            #expect(error.message.contains(fragment), "\(error.message)")
        } catch {
            Issue.record("unexpected error type")
        }
    }

    @Test("rejects nesting beyond the limit instead of overflowing the stack")
    func depthLimit() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { _ = try scan(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect((try? scan(fine)) != nil)
    }

    @Test("decodes escapes, surrogate pairs and invalid UTF-8")
    func decodesStrings() {
        let cases: [([UInt8], String)] = [
            (Array("\"a\\nb\\t\\\"c\\\\\\/\"".utf8), "a\nb\t\"c\\/"),
            (Array("\"\\u00e9\\ud83d\\ude00\"".utf8), "é😀"),
            (Array("\"\\ud800x\"".utf8), "\u{FFFD}x"),
            ([0x22, 0x61, 0xFF, 0x62, 0x22], "a\u{FFFD}b"),
        ]
        for (bytes, expected) in cases {
            let decoded = bytes.withUnsafeBytes { b -> String in
                var i = 0
                let ref = try! JSONScanner.scanValue(b, &i)
                return JSONScanner.decodeString(b, ref)
            }
            #expect(decoded == expected)
        }
    }

    @Test("walks members and elements and finds a member by name")
    func walksContainers() throws {
        let text = #"{"a": [1, {"b": "x"}, 3], "c\u0064": true, "e": null}"#
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { b in
            var i = 0
            let root = try! JSONScanner.scanValue(b, &i)
            var keys: [String] = []
            JSONScanner.forEachMember(b, root) { k, _ in keys.append(JSONScanner.decodeString(b, k)); return true }
            #expect(keys == ["a", "cd", "e"])
            let a = JSONScanner.member(b, root, "a")!
            #expect(JSONScanner.element(b, a, 2).map { JSONScanner.int(b, $0) } == 3)
            #expect(JSONScanner.element(b, a, 3) == nil)
            #expect(JSONScanner.member(b, root, "cd").flatMap { JSONScanner.bool(b, $0) } == true)
            #expect(JSONScanner.member(b, root, "missing") == nil)
        }
    }

    @Test("reads integers exactly and refuses overflow")
    func integers() {
        for (text, expected) in [("123", Int64(123)), ("-9223372036854775808", Int64.min), ("\"42\"", 42), ("99999999999999999999", nil), ("1.0", 1)] as [(String, Int64?)] {
            let bytes = Array(text.utf8)
            let value = bytes.withUnsafeBytes { b -> Int64? in
                var i = 0
                let ref = try! JSONScanner.scanValue(b, &i)
                return JSONScanner.int(b, ref)
            }
            #expect(value == expected, "\(text)")
        }
    }

    @Test("JSONValue round-trips and escapes control characters when serialising")
    func jsonValue() throws {
        let value = try JSONValue.parse(#"{"k":["v",1.5,true,null],"e":"\u001b[31m"}"#)
        #expect(value["k"]?[0]?.string == "v")
        #expect(value["k"]?[1]?.double == 1.5)
        #expect(value.serialized == #"{"k":["v",1.5,true,null],"e":"\u001b[31m"}"#)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse("{} x") }
    }

    @Test("skipping finds the same extent as validating, and never crashes on junk")
    func skipMatchesScan() {
        let texts = [#"{"a":[1,{"b":"x}]\""},true],"c":null}"#, #"[ "]", {"k": [[]]}, -1.5e3 ]"#, #""s\\""#, "123 ", "false,"]
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { b in
                var i = 0, j = 0
                let scanned = try? JSONScanner.scanValue(b, &i)
                let skipped = JSONScanner.skipValue(b, &j)
                #expect(scanned != nil)
                #expect(skipped == scanned, "\(text)")
                #expect(i == j)
            }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let junk = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in Array("{}[]\",:\\ a1".utf8).randomElement(using: &rng)! }
            junk.withUnsafeBytes { b in
                var i = 0
                if let ref = JSONScanner.skipValue(b, &i) { #expect(ref.end <= b.count && ref.start <= ref.end) }
            }
        }
    }

    @Test("booleans written as text, in any case; other text is not one", arguments: [
        (#""true""#, true as Bool?), (#""TRUE""#, true), (#""False""#, false), (#""fAlSe""#, false), ("true", true),
        ("false", false), (#""""#, nil), (#""yes""#, nil), (#""truex""#, nil), (#""tru""#, nil), ("null", nil), ("1", nil),
        (#""true""#, true), (#""TRUE""#, true), (#""trüe""#, nil), (#""Ka""#, nil),
    ])
    func booleans(text: String, expected: Bool?) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { b in
            var i = 0
            let ref = try JSONScanner.scanValue(b, &i)
            #expect(JSONScanner.bool(b, ref) == expected, "\(text)")
            // The plain-text shortcut agrees with lower-casing the decoded text.
            if ref.kind == .string {
                let general: Bool? = switch JSONScanner.decodeString(b, ref).lowercased() {
                case "true": true
                case "false": false
                default: nil
                }
                #expect(JSONScanner.bool(b, ref) == general, "\(text)")
            }
        }
    }

    @Test("reading members while scanning gives the same extents and errors as scanning", arguments: [
        #"{"a":{"b":[1,{"c":"d"}],"e":null},"f":"g\"h"}"#, #"{ "a" : { } , "b" : [ ] }"#, "{}", #"{"a":{"b":1}"#,
        #"{"a":{"b" 1}}"#, #"{"a":{"b":tru}}"#, #"{"a":{"b":"x}}"#, #"{"a":{,}}"#, #"{"a":1,}"#, #"{"a":{"b":1}x"#,
        #"{"a":"#, "{", #"{"a":{"b":{"c":{"d":[[[[]]]]}}}}"#, #"["a"]"#, #"{"a":-}"#,
    ])
    func readingMembers(text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { b in
            var i = 0
            let plain = Result { () throws(JSONSyntaxError) in try JSONScanner.scanObject(b, &i) { _, _ in true } }
            let plainEnd = i
            // Descend into every object member, so nested objects are read through the new path too.
            func reader(_ key: JSONRef, _ i: inout Int, _ depth: Int) throws(JSONSyntaxError) -> JSONRef {
                try JSONScanner.scanValue(b, &i, depth: depth, members: reader)
            }
            i = 0
            let read = Result { () throws(JSONSyntaxError) in try JSONScanner.scanObject(b, &i, depth: 0, reading: reader) }
            #expect(plain == read, "\(text)")
            #expect(plainEnd == i, "\(text)")
        }
        // Nesting limits hold as they do for a plain scan.
        let deep = Array((String(repeating: #"{"a":"#, count: JSONScanner.maximumDepth + 2) + "1" + String(repeating: "}", count: JSONScanner.maximumDepth + 2)).utf8)
        deep.withUnsafeBytes { b in
            var i = 0
            let plain = Result { () throws(JSONSyntaxError) in try JSONScanner.scanObject(b, &i) { _, _ in true } }
            func reader(_ key: JSONRef, _ i: inout Int, _ depth: Int) throws(JSONSyntaxError) -> JSONRef {
                try JSONScanner.scanValue(b, &i, depth: depth, members: reader)
            }
            i = 0
            let read = Result { () throws(JSONSyntaxError) in try JSONScanner.scanObject(b, &i, depth: 0, reading: reader) }
            #expect(plain == read)
            if case .success = read { Issue.record("nesting beyond the limit was accepted") }
        }
    }
}
