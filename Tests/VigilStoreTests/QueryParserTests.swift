import Testing
import VigilCore
@testable import VigilStore

// MARK: - Helpers

private func parse(_ text: String) throws -> QueryExpression { try Query(text).expression }

private func canonical(_ text: String) throws -> String { try Query(text).description }

/// The single term a query parses to.
private func term(_ text: String) throws -> QueryTerm {
    let expression = try parse(text)
    guard case .term(let term) = expression else {
        throw ExpectationFailure(description: "\(text) parsed to \(expression), not a single term")
    }
    return term
}

private struct ExpectationFailure: Error, CustomStringConvertible { var description: String }

/// The error a query fails with, or nil when it parses.
private func syntaxError(_ text: String) -> QuerySyntaxError? {
    do {
        _ = try Query(text)
        return nil
    } catch {
        return error
    }
}

private func t(_ iso: String) -> Timestamp { ISO8601Parser.parse(iso)! }

private func exact(_ s: String) -> QueryPattern { QueryPattern(exact: s) }

private func fieldTerm(_ field: QueryField, _ predicate: QueryPredicate) -> QueryExpression {
    .term(QueryTerm(field: field, predicate: predicate))
}

private func text(_ s: String) -> QueryExpression { .term(.text(QueryPattern(glob: s))) }

// MARK: - Basics

@Suite struct QueryParserBasicsTests {
    @Test(arguments: ["", " ", "  \t\n "])
    func emptyQueryMatchesEverything(_ text: String) throws {
        let query = try Query(text)
        #expect(query.expression == .all)
        #expect(query.description == "")
        #expect(query.text == text)
        #expect(query.expression.terms.isEmpty)
    }

    @Test func queryAllConstant() {
        #expect(Query.all.expression == .all)
        #expect(Query.all.text == "")
    }

    @Test func simpleFieldTerm() throws {
        #expect(try parse("user:alice") == fieldTerm(.user, .matches(exact("alice"))))
        #expect(try parse("user=alice") == fieldTerm(.user, .matches(exact("alice"))))
    }

    @Test func valueKeepsColonsOfAnARN() throws {
        #expect(try parse("principal:arn:aws:iam::123456789012:user/alice")
            == fieldTerm(.principal, .matches(exact("arn:aws:iam::123456789012:user/alice"))))
    }

    @Test func wildcardValue() throws {
        #expect(try parse("action:Create*")
            == fieldTerm(.action, .matches(QueryPattern(elements: [.literal("Create"), .anyRun]))))
        #expect(try parse("key:AKIA????EXAMPLE")
            == fieldTerm(.accessKey, .matches(QueryPattern(elements: [
                .literal("AKIA"), .anyCharacter, .anyCharacter, .anyCharacter, .anyCharacter, .literal("EXAMPLE"),
            ]))))
    }

    @Test func freeTextWords() throws {
        #expect(try parse("AccessDenied") == .term(.text(exact("AccessDenied"))))
        #expect(try parse("\"access denied\"") == .term(.text(exact("access denied"))))
        #expect(try parse("Create*") == .term(.text(QueryPattern(elements: [.literal("Create"), .anyRun]))))
        #expect(try term("bucket").isFreeText)
        #expect(try term("user:bob").isFreeText == false)
    }

    @Test(arguments: ["and", "or", "not", "And", "oR"])
    func lowercaseKeywordsAreFreeText(_ word: String) throws {
        #expect(try parse(word) == .term(.text(exact(word))))
        #expect(try parse("a \(word) b") == .and([text("a"), text(word), text("b")]))
    }

    @Test(arguments: [
        ("2001:db8::1", "2001:db8::1"),
        ("::1", "::1"),
        ("12:30", "12:30"),
        ("arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice"),
        ("ARN:aws-cn:s3:::bucket", "ARN:aws-cn:s3:::bucket"),
        ("https://example.com/a?b=c", "https://example.com/a?b=c"),
    ])
    func wordsWithColonsThatAreNotFieldsAreFreeText(_ input: String, _ glob: String) throws {
        #expect(try parse(input) == text(glob))
    }

    @Test func quotedPhraseWithFieldSyntaxIsFreeText() throws {
        #expect(try parse("\"user:alice\"") == .term(.text(exact("user:alice"))))
    }
}

// MARK: - Fields and aliases

@Suite struct QueryFieldTests {
    @Test(arguments: [
        ("user", QueryField.user), ("USER", .user), ("username", .user), ("userIdentity.userName", .user),
        ("principal", .principal), ("principalArn", .principal), ("userIdentity.arn", .principal),
        ("type", .principalType), ("principalType", .principalType), ("userIdentity.type", .principalType),
        ("key", .accessKey), ("accesskey", .accessKey), ("accessKeyId", .accessKey),
        ("userIdentity.accessKeyId", .accessKey),
        ("ip", .sourceIP), ("IP", .sourceIP), ("sourceip", .sourceIP), ("sourceIPAddress", .sourceIP),
        ("src", .sourceAddress), ("srcaddr", .sourceAddress), ("sourceAddress", .sourceAddress),
        ("dst", .destinationAddress), ("dstaddr", .destinationAddress), ("destinationAddress", .destinationAddress),
        ("action", .action), ("eventName", .action), ("EVENTNAME", .action), ("eventname", .action),
        ("service", .service), ("eventSource", .service),
        ("region", .region), ("awsRegion", .region), ("awsregion", .region),
        ("account", .account), ("accountId", .account), ("account-id", .account),
        ("userIdentity.accountId", .account),
        ("resource", .resource), ("resources", .resource),
        ("error", .errorCode), ("errorCode", .errorCode), ("errorcode", .errorCode),
        ("ua", .userAgent), ("userAgent", .userAgent), ("useragent", .userAgent),
        ("kind", .kind), ("Kind", .kind),
        ("id", .eventID), ("eventID", .eventID), ("eventid", .eventID),
        ("outcome", .outcome),
        ("severity", .severity), ("sev", .severity),
        ("srcport", .sourcePort), ("sourcePort", .sourcePort),
        ("port", .destinationPort), ("dstport", .destinationPort), ("destinationPort", .destinationPort),
        ("protocol", .protocol), ("proto", .protocol),
        ("bytes", .bytes), ("packets", .packets),
        ("time", .time), ("eventTime", .time),
        ("query", .query), ("qname", .query), ("query_name", .query), ("queryName", .query),
    ])
    func aliasesResolveCaseInsensitively(_ name: String, _ field: QueryField) {
        #expect(QueryField(name: name) == field)
    }

    @Test func canonicalNamesRoundTrip() {
        for field in QueryField.named {
            #expect(QueryField(name: field.name) == field, "\(field.name)")
            #expect(field.isIndexed)
            for alias in field.aliases { #expect(QueryField(name: alias) == field, "\(alias)") }
        }
        #expect(QueryField.named.count == 25)
        #expect(Set(QueryField.named.map(\.name)).count == 25)
    }

    @Test(arguments: ["requestParameters.bucketName", "eventType", "responseElements.credentials.accessKeyId",
                      "resources[0].ARN", "tags[\"aws:cloudformation:stack-name\"]", "service.count"])
    func otherNamesArePaths(_ name: String) throws {
        let field = try #require(QueryField(name: name))
        #expect(field == .path(try #require(JSONPath(name))))
        #expect(field.isIndexed == false)
        #expect(field.name == name)
        #expect(field.valueType == .text)
        #expect(field.isComparable)
    }

    @Test func pathsKeepTheirCase() throws {
        #expect(try parse("requestParameters.BucketName:logs")
            == fieldTerm(.path(JSONPath("requestParameters.BucketName")!), .matches(exact("logs"))))
        #expect(try parse("eventType:AwsConsoleSignIn")
            == fieldTerm(.path(JSONPath("eventType")!), .matches(exact("AwsConsoleSignIn"))))
    }

    @Test func bracketedPathMemberWithColonsLexesAsAField() throws {
        #expect(try parse("requestParameters.tags[\"aws:createdBy\"]:alice")
            == fieldTerm(.path(JSONPath("requestParameters.tags[\"aws:createdBy\"]")!), .matches(exact("alice"))))
        #expect(try parse("resources[0].ARN:arn:aws:s3:::b")
            == fieldTerm(.path(JSONPath("resources[0].ARN")!), .matches(exact("arn:aws:s3:::b"))))
    }

    @Test func invalidPathIsRejected() {
        #expect(QueryField(name: "a..b") == nil)
        #expect(QueryField(name: "a[x]") == nil)
    }

    @Test func valueTypes() {
        #expect(QueryField.user.valueType == .text)
        #expect(QueryField.sourceIP.valueType == .address)
        #expect(QueryField.destinationAddress.valueType == .address)
        #expect(QueryField.bytes.valueType == .number)
        #expect(QueryField.protocol.valueType == .number)
        #expect(QueryField.time.valueType == .time)
        #expect(QueryField.kind.valueType == .kind)
        #expect(QueryField.severity.valueType == .severity)
        #expect(QueryField.outcome.valueType == .outcome)
        #expect(QueryField.user.isComparable == false)
        #expect(QueryField.sourceIP.isComparable == false)
        #expect(QueryField.destinationPort.isComparable)
        #expect(QueryField.severity.isComparable)
    }
}

// MARK: - Quoting and escapes

@Suite struct QueryQuotingTests {
    @Test(arguments: [
        (#"user:"alice smith""#, QueryPattern(exact: "alice smith")),
        (#"ua:"aws-cli/2.0 Python/3.11 (Linux)""#, QueryPattern(exact: "aws-cli/2.0 Python/3.11 (Linux)")),
        (#"ua:"say \"hi\"""#, QueryPattern(exact: #"say "hi""#)),
        (#"ua:"back\\slash""#, QueryPattern(exact: #"back\slash"#)),
        (#"ua:"star\*""#, QueryPattern(exact: "star*")),
        (#"ua:"what\?""#, QueryPattern(exact: "what?")),
        (#"ua:"C:\temp""#, QueryPattern(exact: #"C:\temp"#)),
        (#"ua:"Boto3/*""#, QueryPattern(elements: [.literal("Boto3/"), .anyRun])),
        (#"ua:"a?c""#, QueryPattern(elements: [.literal("a"), .anyCharacter, .literal("c")])),
        (#"user:"""#, QueryPattern(exact: "")),
        (#"ua:star\*"#, QueryPattern(exact: "star*")),
        (#"ua:f\(x\)"#, QueryPattern(exact: "f(x)")),
        (#"ua:a\"b"#, QueryPattern(exact: #"a"b"#)),
        (#"ua:a\b"#, QueryPattern(exact: #"a\b"#)),
        (#"ua:trail\"#, QueryPattern(exact: #"trail\"#)),
    ])
    func quotedAndEscapedValues(_ query: String, _ pattern: QueryPattern) throws {
        #expect(try term(query).predicate == .matches(pattern))
    }

    @Test func quotedStringMayHoldParenthesesAndKeywords() throws {
        #expect(try parse(#""(a OR b)" c"#) == .and([.term(.text(exact("(a OR b)"))), text("c")]))
        #expect(try parse(#""AND""#) == .term(.text(exact("AND"))))
    }

    @Test func quotedValueNextToAParenthesis() throws {
        #expect(try parse(#"(user:"a b")"#) == fieldTerm(.user, .matches(exact("a b"))))
    }
}

// MARK: - Patterns

@Suite struct QueryPatternTests {
    @Test(arguments: [
        ("alice", "alice", true), ("alice", "ALICE", true), ("ALICE", "alice", true), ("alice", "alicex", false),
        ("alice", "alic", false), ("", "", true), ("", "a", false),
        ("*", "", true), ("*", "anything", true), ("?", "", false), ("?", "x", true), ("?", "xy", false),
        ("Create*", "CreateUser", true), ("Create*", "createaccesskey", true), ("Create*", "Create", true),
        ("Create*", "DeleteUser", false), ("*User", "CreateUser", true), ("*User", "CreateUsers", false),
        ("*Access*", "CreateAccessKey", true), ("*Access*", "ListAccounts", false),
        ("a*b*c", "abc", true), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXcYYb", false),
        ("a?c", "abc", true), ("a?c", "ac", false), ("a?c", "abbc", false),
        ("**a**", "banana", true), ("*a*a*a*", "banana", true), ("*a*a*a*a*", "banana", false),
        ("s3:*", "s3:GetObject", true), ("10.0.*", "10.0.3.4", true), ("10.0.*", "10.1.3.4", false),
        ("*.amazonaws.com", "ec2.amazonaws.com", true), ("*.amazonaws.com", "amazonaws.com", false),
    ])
    func globMatching(_ glob: String, _ subject: String, _ expected: Bool) {
        let pattern = QueryPattern(glob: glob)
        #expect(pattern.matches(subject) == expected)
        var bytes = Array(subject.utf8)
        #expect(bytes.withUnsafeMutableBufferPointer { pattern.matches(utf8: UnsafeBufferPointer($0)) } == expected)
    }

    @Test(arguments: [
        ("Ärger", "ärger", true), ("ärger", "ÄRGER", true), ("gr?ße", "GRÖSSE", false), ("gr?ße", "größe", true),
        ("*é", "café", true), ("straße", "strasse", false), ("日本*", "日本語", true), ("?本", "日本", true),
        ("alice", "ålice", false),
    ])
    func nonASCIIMatchingFoldsCase(_ glob: String, _ subject: String, _ expected: Bool) {
        let pattern = QueryPattern(glob: glob)
        #expect(pattern.matches(subject) == expected)
        var bytes = Array(subject.utf8)
        #expect(bytes.withUnsafeMutableBufferPointer { pattern.matches(utf8: UnsafeBufferPointer($0)) } == expected)
    }

    @Test func caseSensitivePatterns() {
        let pattern = QueryPattern(glob: "Create*", caseSensitive: true)
        #expect(pattern.matches("CreateUser"))
        #expect(!pattern.matches("createUser"))
        #expect(!QueryPattern(exact: "Ärger", caseSensitive: true).matches("ärger"))
        #expect(pattern != QueryPattern(glob: "Create*"))
    }

    @Test(arguments: [
        ("denied", "User: x is not authorized... AccessDenied here", true),
        ("DENIED", "accessdenied", true), ("denied", "deny", false),
        ("Access*Exception", "{\"errorCode\":\"AccessDeniedException\"}", true),
        ("a?c", "xxabcxx", true), ("a?c", "xxacxx", false), ("", "anything", true),
        ("*", "", true), ("Ärger", "großer ärger", true),
    ])
    func freeTextOccurrence(_ glob: String, _ subject: String, _ expected: Bool) {
        let pattern = QueryPattern(glob: glob)
        #expect(pattern.occurs(in: subject) == expected)
        var bytes = Array(subject.utf8)
        #expect(bytes.withUnsafeMutableBufferPointer { pattern.occurs(inUTF8: UnsafeBufferPointer($0)) } == expected)
    }

    @Test func pathologicalPatternsFinishFast() {
        let long = String(repeating: "a", count: 200_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!QueryPattern(glob: "*a*a*a*a*b").matches(long))
            #expect(QueryPattern(glob: "*a*a*a*a*a").matches(long))
            #expect(!QueryPattern(glob: "*a*a*a*a*b").occurs(in: long))
            #expect(!QueryPattern(glob: "a*a*a*a*a*a*a*a*a*a*b").matches(long))
            #expect(!QueryPattern(glob: "*aaaaaaaaaaaaaaaaaaab*").matches(long))
            let unicode = String(repeating: "ä", count: 20_000)
            #expect(!QueryPattern(glob: "*ä*ä*ä*ä*b").matches(unicode))
        }
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }

    @Test func accessors() {
        let exactPattern = QueryPattern(exact: "CreateUser")
        #expect(exactPattern.isExact)
        #expect(!exactPattern.hasWildcards)
        #expect(exactPattern.literal == "CreateUser")
        #expect(exactPattern.prefix == "CreateUser")
        #expect(!exactPattern.matchesEverything)

        let prefixPattern = QueryPattern(glob: "Create*Key")
        #expect(!prefixPattern.isExact)
        #expect(prefixPattern.literal == nil)
        #expect(prefixPattern.prefix == "Create")

        let suffixPattern = QueryPattern(glob: "*Key")
        #expect(suffixPattern.prefix == "")
        #expect(QueryPattern(glob: "***").matchesEverything)
        #expect(QueryPattern(glob: "***").elements == [.anyRun])
        #expect(!QueryPattern(glob: "*?").matchesEverything)
        #expect(QueryPattern(exact: "").literal == "")
        #expect(QueryPattern(glob: #"a\*b"#).literal == "a*b")
    }

    @Test func elementsAreNormalised() {
        let pattern = QueryPattern(elements: [.literal("a"), .literal(""), .literal("b"), .anyRun, .anyRun, .literal("c")])
        #expect(pattern.elements == [.literal("ab"), .anyRun, .literal("c")])
        #expect(pattern == QueryPattern(glob: "ab**c"))
        #expect(pattern.hashValue == QueryPattern(glob: "ab*c").hashValue)
    }

    @Test(arguments: [("a*b", "a*b"), (#"a\*b"#, #"a\*b"#), (#"x\\y"#, #"x\\y"#), ("a?", "a?"), (#"q\?"#, #"q\?"#)])
    func descriptionEscapesLiterals(_ glob: String, _ description: String) {
        #expect(QueryPattern(glob: glob).description == description)
        #expect(QueryPattern(glob: QueryPattern(glob: glob).description) == QueryPattern(glob: glob))
    }
}

// MARK: - Addresses

@Suite struct QueryAddressTests {
    @Test(arguments: [
        ("ip:203.0.113.0/24", QueryField.sourceIP, "203.0.113.0/24"),
        ("ip:203.0.113.77/24", .sourceIP, "203.0.113.0/24"),
        ("src:10.0.0.0/8", .sourceAddress, "10.0.0.0/8"),
        ("dst:0.0.0.0/0", .destinationAddress, "0.0.0.0/0"),
        ("src:2001:db8::/32", .sourceAddress, "2001:db8::/32"),
        ("ip:2001:DB8:1::/48", .sourceIP, "2001:db8:1::/48"),
        ("dstaddr:192.168.1.1/32", .destinationAddress, "192.168.1.1/32"),
    ])
    func cidrBlocks(_ query: String, _ field: QueryField, _ block: String) throws {
        #expect(try parse(query) == fieldTerm(field, .cidr(CIDRBlock(block)!)))
    }

    @Test(arguments: [
        ("ip:198.51.100.7", QueryField.sourceIP, "198.51.100.7"),
        ("src:10.1.2.3", .sourceAddress, "10.1.2.3"),
        ("dst:2001:db8::1", .destinationAddress, "2001:db8::1"),
        ("ip:::1", .sourceIP, "::1"),
        (#"ip:"10.0.0.1""#, .sourceIP, "10.0.0.1"),
    ])
    func plainAddresses(_ query: String, _ field: QueryField, _ address: String) throws {
        #expect(try parse(query) == fieldTerm(field, .address(IPAddress(address)!)))
    }

    @Test func sourceIPAcceptsServiceNamesAndPatterns() throws {
        #expect(try parse("ip:ec2.amazonaws.com") == fieldTerm(.sourceIP, .matches(exact("ec2.amazonaws.com"))))
        #expect(try parse(#"ip:"AWS Internal""#) == fieldTerm(.sourceIP, .matches(exact("AWS Internal"))))
        #expect(try parse("ip:10.0.*") == fieldTerm(.sourceIP, .matches(QueryPattern(glob: "10.0.*"))))
        #expect(try parse("src:10.0.*") == fieldTerm(.sourceAddress, .matches(QueryPattern(glob: "10.0.*"))))
    }

    @Test(arguments: [
        ("ip:10.0.0.0/33", "invalid CIDR block '10.0.0.0/33'"),
        ("ip:10.0.0/24", "invalid CIDR block '10.0.0/24'"),
        ("src:2001:db8::/129", "invalid CIDR block '2001:db8::/129'"),
        ("dst:10.0.0.0/x", "invalid CIDR block '10.0.0.0/x'"),
        ("ip:10.0.0.256", "invalid IP address '10.0.0.256'"),
        ("ip:2001:db8::zz", "invalid IP address '2001:db8::zz'"),
        ("src:webserver", "invalid IP address 'webserver'"),
    ])
    func badAddresses(_ query: String, _ messageStart: String) throws {
        let error = try #require(syntaxError(query))
        #expect(error.message.hasPrefix(messageStart), "\(error.message)")
        #expect(error.column == query.firstIndex(of: ":").map { query.distance(from: query.startIndex, to: $0) + 1 })
    }
}

// MARK: - Comparisons

@Suite struct QueryComparisonTests {
    @Test(arguments: [
        ("bytes>1000000", QueryField.bytes, ComparisonOperator.greater, 1_000_000.0),
        ("bytes>=1e6", .bytes, .greaterOrEqual, 1e6),
        ("bytes>=1.5E3", .bytes, .greaterOrEqual, 1500),
        ("packets<=10", .packets, .lessOrEqual, 10),
        ("port<1024", .destinationPort, .less, 1024),
        ("port:443", .destinationPort, .equal, 443),
        ("dstport=22", .destinationPort, .equal, 22),
        ("srcport>49151", .sourcePort, .greater, 49151),
        ("bytes:>10", .bytes, .greater, 10),
        ("bytes:>=10", .bytes, .greaterOrEqual, 10),
        ("bytes:<10", .bytes, .less, 10),
        ("bytes:<=.5", .bytes, .lessOrEqual, 0.5),
        ("protocol:tcp", .protocol, .equal, 6),
        ("protocol:UDP", .protocol, .equal, 17),
        ("proto:icmp", .protocol, .equal, 1),
        ("protocol:icmpv6", .protocol, .equal, 58),
        ("protocol:47", .protocol, .equal, 47),
        ("severity>=7", .severity, .greaterOrEqual, 7),
        ("additionalEventData.bytesTransferredOut>1e9", .path(JSONPath("additionalEventData.bytesTransferredOut")!),
         .greater, 1e9),
        ("service.count>=100", .path(JSONPath("service.count")!), .greaterOrEqual, 100),
    ])
    func numericComparisons(_ query: String, _ field: QueryField, _ op: ComparisonOperator, _ value: Double) throws {
        #expect(try parse(query) == fieldTerm(field, .compare(op, value)))
    }

    @Test(arguments: [
        ("severity:high", ComparisonOperator.equal, FindingFields.Severity.high),
        ("severity>=high", .greaterOrEqual, .high),
        ("severity>medium", .greater, .medium),
        ("sev<low", .less, .low),
        ("severity<=CRITICAL", .lessOrEqual, .critical),
        ("severity:info", .equal, .info),
        ("severity:informational", .equal, .info),
        ("severity:med", .equal, .medium),
        ("severity:crit", .equal, .critical),
    ])
    func severities(_ query: String, _ op: ComparisonOperator, _ severity: FindingFields.Severity) throws {
        #expect(try parse(query) == fieldTerm(.severity, .severity(op, severity)))
    }

    @Test func comparisonOperatorEvaluates() {
        #expect(ComparisonOperator.equal.evaluate(3, 3))
        #expect(ComparisonOperator.less.evaluate(2, 3))
        #expect(!ComparisonOperator.less.evaluate(3, 3))
        #expect(ComparisonOperator.lessOrEqual.evaluate(3, 3))
        #expect(ComparisonOperator.greater.evaluate(FindingFields.Severity.critical, .high))
        #expect(!ComparisonOperator.greaterOrEqual.evaluate(FindingFields.Severity.low, .medium))
    }

    @Test(arguments: [
        ("user>alice", 4, "cannot use '>' on user"),
        ("ip>=10.0.0.1", 2, "cannot use '>=' on ip"),
        ("kind<flow", 4, "cannot use '<' on kind"),
        ("outcome:>success", 7, "cannot use ':>' on outcome"),
        ("action<=Z", 6, "cannot use '<=' on action"),
    ])
    func comparisonOnNonNumericFieldIsAnError(_ query: String, _ column: Int, _ messageStart: String) throws {
        let error = try #require(syntaxError(query))
        #expect(error.column == column)
        #expect(error.message.hasPrefix(messageStart), "\(error.message)")
    }

    @Test(arguments: [
        ("bytes>lots", 6), ("bytes>1e", 6), ("port:0x50", 5), ("bytes>1,000", 6), ("port:22*", 5),
        ("bytes>inf", 6), ("bytes>1e999", 6), ("port:-", 5), ("x.y>abc", 4), ("packets:.", 8),
    ])
    func badNumbers(_ query: String, _ column: Int) throws {
        let error = try #require(syntaxError(query))
        #expect(error.column == column)
        #expect(error.message.hasPrefix("invalid number"), "\(error.message)")
        #expect(error.message.hasSuffix("expected a number such as 1500 or 1e6"))
    }

    @Test func unknownProtocol() throws {
        let error = try #require(syntaxError("protocol:tpc"))
        #expect(error == QuerySyntaxError(
            "unknown protocol 'tpc': expected tcp, udp, icmp, icmpv6 or a protocol number", column: 9))
    }
}

// MARK: - Kinds, outcome, has

@Suite struct QueryEnumeratedValueTests {
    @Test(arguments: [
        ("kind:cloudtrail", EventKind.cloudTrail), ("kind:CloudTrail", .cloudTrail), ("kind:flow", .flow),
        ("kind:flows", .flow), ("kind:finding", .finding), ("kind:guardduty", .finding), ("kind:dns", .dns),
        ("kind:auth", .auth), ("kind:sshd", .auth),
    ])
    func kinds(_ query: String, _ kind: EventKind) throws {
        #expect(try parse(query) == fieldTerm(.kind, .kind(kind)))
    }

    @Test(arguments: [
        ("outcome:success", true), ("outcome:ok", true), ("outcome:Succeeded", true),
        ("outcome:failure", false), ("outcome:failed", false), ("outcome:FAIL", false), ("outcome:error", false),
    ])
    func outcomes(_ query: String, _ success: Bool) throws {
        #expect(try parse(query) == fieldTerm(.outcome, .outcome(success: success)))
    }

    @Test(arguments: [
        ("has:user", QueryField.user), ("has:errorCode", .errorCode), ("HAS:eventName", .action),
        ("has:requestParameters.bucketName", .path(JSONPath("requestParameters.bucketName")!)),
        ("has=key", .accessKey),
    ])
    func exists(_ query: String, _ field: QueryField) throws {
        #expect(try parse(query) == fieldTerm(field, .exists))
    }

    @Test(arguments: [
        ("kind:flw", 5, "unknown kind 'flw': expected cloudtrail, flow, finding, dns or auth"),
        ("kind:fl*", 5, "unknown kind 'fl*': expected cloudtrail, flow, finding, dns or auth"),
        ("severity:urgent", 9,
         "unknown severity 'urgent': expected info, low, medium, high, critical or a score such as 7"),
        ("severity>=hi*", 10,
         "unknown severity 'hi*': expected info, low, medium, high, critical or a score such as 7"),
        ("outcome:maybe", 8, "unknown outcome 'maybe': expected success or failure"),
        ("has:a..b", 4,
         "invalid field name 'a..b' after 'has:': expected a field such as user or requestParameters.bucketName"),
        ("has:user*", 4,
         "invalid field name 'user*' after 'has:': expected a field such as user or requestParameters.bucketName"),
        ("has>user", 3, "'has' takes a field name: write has:FIELD"),
        ("a..b:x", 0, "invalid field name 'a..b': expected a field such as user or requestParameters.bucketName"),
    ])
    func enumeratedValueErrors(_ query: String, _ column: Int, _ message: String) throws {
        #expect(syntaxError(query) == QuerySyntaxError(message, column: column))
    }
}

// MARK: - Time

@Suite struct QueryTimeTests {
    private static func absolute(_ lower: String?, _ upper: String?) -> QueryPredicate {
        .timeRange(lower: lower.map { .absolute(t($0), inclusive: true) },
                   upper: upper.map { .absolute(t($0), inclusive: false) })
    }

    @Test(arguments: [
        ("time:2024-05-01", "2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"),
        ("time=2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"),
        ("time:2024-12-31", "2024-12-31T00:00:00Z", "2025-01-01T00:00:00Z"),
        ("time:2024-05", "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z"),
        ("time:2024-12", "2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z"),
        ("time:2024", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
        ("time:2024-05-01T10", "2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z"),
        ("time:2024-05-01T10:30", "2024-05-01T10:30:00Z", "2024-05-01T10:31:00Z"),
        ("time:2024-05-01T10:30Z", "2024-05-01T10:30:00Z", "2024-05-01T10:31:00Z"),
        ("time:2024-05-01T10:30:15Z", "2024-05-01T10:30:15Z", "2024-05-01T10:30:16Z"),
        ("time:2024-05-01t10:30:15z", "2024-05-01T10:30:15Z", "2024-05-01T10:30:16Z"),
        ("time:2024-05-01T10:30:15.5Z", "2024-05-01T10:30:15.500Z", "2024-05-01T10:30:15.600Z"),
        ("time:2024-05-01T10:30:15.25Z", "2024-05-01T10:30:15.250Z", "2024-05-01T10:30:15.260Z"),
        ("time:2024-05-01T10:30:15.123456Z", "2024-05-01T10:30:15.123Z", "2024-05-01T10:30:15.124Z"),
        ("time:2024-05-01T10:30+02:00", "2024-05-01T08:30:00Z", "2024-05-01T08:31:00Z"),
        ("time:2024-05-01T10:30-0130", "2024-05-01T12:00:00Z", "2024-05-01T12:01:00Z"),
        ("time:2024-05-01T10+05", "2024-05-01T05:00:00Z", "2024-05-01T06:00:00Z"),
        (#"time:"2024-05-01 10:30""#, "2024-05-01T10:30:00Z", "2024-05-01T10:31:00Z"),
    ])
    func equalityCoversTheSpanWritten(_ query: String, _ lower: String, _ upper: String) throws {
        #expect(try parse(query) == fieldTerm(.time, Self.absolute(lower, upper)))
    }

    @Test(arguments: [
        ("time>=2024-05-01T10:00Z", "2024-05-01T10:00:00Z", nil),
        ("time>2024-05-01T10:00Z", "2024-05-01T10:01:00Z", nil),
        ("time>2024-05-01", "2024-05-02T00:00:00Z", nil),
        ("time>=2024-05-01", "2024-05-01T00:00:00Z", nil),
        ("time<2024-05-02", nil, "2024-05-02T00:00:00Z"),
        ("time<=2024-05-02", nil, "2024-05-03T00:00:00Z"),
        ("time<2024-05-01T10:00:00Z", nil, "2024-05-01T10:00:00Z"),
        ("time<=2024-05-01T10:00:00Z", nil, "2024-05-01T10:00:01Z"),
        ("eventTime:>=2024-05-01T10:00Z", "2024-05-01T10:00:00Z", nil),
    ] as [(String, String?, String?)])
    func comparisonsUseTheSpanEnds(_ query: String, _ lower: String?, _ upper: String?) throws {
        #expect(try parse(query) == fieldTerm(.time, Self.absolute(lower, upper)))
    }

    @Test(arguments: [
        ("time>-30s", TimeBound.relative(seconds: 30, inclusive: false), nil),
        ("time>-15m", .relative(seconds: 900, inclusive: false), nil),
        ("time>=-1h", .relative(seconds: 3600, inclusive: true), nil),
        ("time:-1h", .relative(seconds: 3600, inclusive: true), nil),
        ("time>-7d", .relative(seconds: 604_800, inclusive: false), nil),
        ("time>-2w", .relative(seconds: 1_209_600, inclusive: false), nil),
        ("time>-0s", .relative(seconds: 0, inclusive: false), nil),
        ("time<-1d", nil, .relative(seconds: 86_400, inclusive: false)),
        ("time<=-90m", nil, .relative(seconds: 5400, inclusive: true)),
    ] as [(String, TimeBound?, TimeBound?)])
    func relativeTimes(_ query: String, _ lower: TimeBound?, _ upper: TimeBound?) throws {
        let expression = try parse(query)
        #expect(expression == fieldTerm(.time, .timeRange(lower: lower, upper: upper)))
        #expect(expression.usesRelativeTime)
    }

    @Test func absoluteTimesAreNotRelative() throws {
        #expect(try parse("time:2024-05-01 user:a").usesRelativeTime == false)
        #expect(try parse("user:a OR NOT (b time>-1h)").usesRelativeTime)
    }

    @Test(arguments: [
        "time:yesterday", "time:2024-13-01", "time:2024-02-30", "time:2023-02-29", "time:2024-05-01T24",
        "time:2024-05-01T10:60", "time:2024-05-01T10:00:60", "time:2024-5-1", "time:2024-05-01T", "time:-1y",
        "time:-h", "time>-1.5h", "time:-99999999999999999w", "time:2024-05-01T10:00:00.Z", "time:2024-05-01*",
        "time:2024-05-01T10:00+2", "time:20240501",
    ])
    func badTimes(_ query: String) throws {
        let error = try #require(syntaxError(query))
        #expect(error.column == 5)
        #expect(error.message.hasPrefix("invalid time '\(query.dropFirst(5))'"), "\(error.message)")
        #expect(error.message.hasSuffix(
            "expected a date such as 2024-05-01, a time such as 2024-05-01T10:00Z, or a relative time such as -15m, -1h, -7d"))
    }

    @Test func timeBoundContains() {
        let newest = t("2024-05-01T12:00:00Z")
        let lastHour = TimeBound.relative(seconds: 3600, inclusive: false)
        #expect(lastHour.instant(newest: newest) == t("2024-05-01T11:00:00Z"))
        #expect(TimeBound.contains(t("2024-05-01T11:30:00Z"), lower: lastHour, upper: nil, newest: newest))
        #expect(!TimeBound.contains(t("2024-05-01T11:00:00Z"), lower: lastHour, upper: nil, newest: newest))
        #expect(TimeBound.contains(t("2024-05-01T11:00:00Z"), lower: .relative(seconds: 3600, inclusive: true),
                                   upper: nil, newest: newest))

        let day = (TimeBound.absolute(t("2024-05-01T00:00:00Z"), inclusive: true),
                   TimeBound.absolute(t("2024-05-02T00:00:00Z"), inclusive: false))
        #expect(TimeBound.contains(t("2024-05-01T00:00:00Z"), lower: day.0, upper: day.1, newest: newest))
        #expect(TimeBound.contains(t("2024-05-01T23:59:59.999Z"), lower: day.0, upper: day.1, newest: newest))
        #expect(!TimeBound.contains(t("2024-05-02T00:00:00Z"), lower: day.0, upper: day.1, newest: newest))
        #expect(!TimeBound.contains(t("2024-04-30T23:59:59Z"), lower: day.0, upper: day.1, newest: newest))
        #expect(TimeBound.contains(t("2024-05-02T00:00:00Z"), lower: nil,
                                   upper: .absolute(t("2024-05-02T00:00:00Z"), inclusive: true), newest: newest))
        #expect(TimeBound.contains(t("1999-01-01T00:00:00Z"), lower: nil, upper: nil, newest: newest))
    }
}

// MARK: - Boolean structure

@Suite struct QueryBooleanTests {
    @Test func implicitAndExplicitAnd() throws {
        let expected = QueryExpression.and([
            fieldTerm(.user, .matches(exact("alice"))), fieldTerm(.action, .matches(exact("CreateUser"))),
        ])
        #expect(try parse("user:alice action:CreateUser") == expected)
        #expect(try parse("user:alice AND action:CreateUser") == expected)
        #expect(try parse("(user:alice)   (action:CreateUser)") == expected)
    }

    @Test func orAndNot() throws {
        #expect(try parse("a OR b") == .or([text("a"), text("b")]))
        #expect(try parse("NOT a") == .not(text("a")))
        #expect(try parse("-a") == .not(text("a")))
        #expect(try parse("-user:root") == .not(fieldTerm(.user, .matches(exact("root")))))
        #expect(try parse("--a") == .not(.not(text("a"))))
        #expect(try parse("NOT -a") == .not(.not(text("a"))))
        #expect(try parse("-(a OR b)") == .not(.or([text("a"), text("b")])))
        #expect(try parse("a-b") == text("a-b"))
    }

    @Test func nestedOperatorsAreFlattened() throws {
        #expect(try parse("a AND (b AND c) d") == .and([text("a"), text("b"), text("c"), text("d")]))
        #expect(try parse("a OR (b OR (c OR d))") == .or([text("a"), text("b"), text("c"), text("d")]))
        #expect(try parse("((a))") == text("a"))
        #expect(try parse("(a OR b) AND (c OR d)")
            == .and([.or([text("a"), text("b")]), .or([text("c"), text("d")])]))
    }

    @Test func precedence() throws {
        // NOT > AND > OR.
        #expect(try parse("a OR b AND c") == .or([text("a"), .and([text("b"), text("c")])]))
        #expect(try parse("a AND b OR c") == .or([.and([text("a"), text("b")]), text("c")]))
        #expect(try parse("a b OR c d") == .or([.and([text("a"), text("b")]), .and([text("c"), text("d")])]))
        #expect(try parse("NOT a AND b") == .and([.not(text("a")), text("b")]))
        #expect(try parse("NOT a OR b") == .or([.not(text("a")), text("b")]))
        #expect(try parse("NOT (a OR b) c") == .and([.not(.or([text("a"), text("b")])), text("c")]))
        #expect(try parse("-a b OR -c") == .or([.and([.not(text("a")), text("b")]), .not(text("c"))]))
    }

    @Test func fieldGroupsDistributeTheField() throws {
        #expect(try parse("action:(CreateUser OR CreateAccessKey)") == .or([
            fieldTerm(.action, .matches(exact("CreateUser"))), fieldTerm(.action, .matches(exact("CreateAccessKey"))),
        ]))
        #expect(try parse("port:(22 OR 3389) -src:10.0.0.0/8") == .and([
            .or([fieldTerm(.destinationPort, .compare(.equal, 22)), fieldTerm(.destinationPort, .compare(.equal, 3389))]),
            .not(fieldTerm(.sourceAddress, .cidr(CIDRBlock("10.0.0.0/8")!))),
        ]))
        #expect(try parse(#"user:(alice "bob smith" -root) kind:cloudtrail"#) == .and([
            fieldTerm(.user, .matches(exact("alice"))), fieldTerm(.user, .matches(exact("bob smith"))),
            .not(fieldTerm(.user, .matches(exact("root")))), fieldTerm(.kind, .kind(.cloudTrail)),
        ]))
        #expect(try parse("bytes>(10 OR 20)") == .or([
            fieldTerm(.bytes, .compare(.greater, 10)), fieldTerm(.bytes, .compare(.greater, 20)),
        ]))
        #expect(try parse("has:(user OR key)") == .or([fieldTerm(.user, .exists), fieldTerm(.accessKey, .exists)]))
        // An explicit field inside the group wins; the group field ends at its ')'.
        #expect(try parse("user:(alice OR ip:10.0.0.1) bob") == .and([
            .or([fieldTerm(.user, .matches(exact("alice"))), fieldTerm(.sourceIP, .address(IPAddress("10.0.0.1")!))]),
            text("bob"),
        ]))
    }

    @Test func termsListsEveryTermInOrder() throws {
        let terms = try parse("a OR NOT (user:b c)").terms
        #expect(terms == [.text(exact("a")), QueryTerm(field: .user, predicate: .matches(exact("b"))), .text(exact("c"))])
    }

    @Test func conjunctionAndDisjunctionHelpers() {
        #expect(QueryExpression.conjunction([]) == .all)
        #expect(QueryExpression.conjunction([.all, text("a"), .all]) == text("a"))
        #expect(QueryExpression.disjunction([text("a"), .all]) == .all)
        #expect(QueryExpression.disjunction([]) == .not(.all))
        #expect(QueryExpression.disjunction([.or([text("a"), text("b")]), text("c")])
            == .or([text("a"), text("b"), text("c")]))
    }
}

// MARK: - Canonical form

@Suite struct QueryCanonicalFormTests {
    @Test(arguments: [
        ("user:alice", "user:alice"),
        ("USERNAME:alice", "user:alice"),
        ("eventName:ConsoleLogin", "action:ConsoleLogin"),
        ("EventSource=iam.amazonaws.com", "service:iam.amazonaws.com"),
        ("sourceIPAddress:203.0.113.9", "ip:203.0.113.9"),
        ("srcaddr:10.0.0.0/8 dstaddr:2001:db8::/32", "src:10.0.0.0/8 AND dst:2001:db8::/32"),
        ("a b", "a AND b"),
        ("a OR b c", "a OR b AND c"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("-(a b)", "NOT (a AND b)"),
        ("-a", "NOT a"),
        ("NOT (a OR b)", "NOT (a OR b)"),
        ("NOT NOT a", "NOT NOT a"),
        (#""access denied""#, #""access denied""#),
        (#"user:"alice smith""#, #"user:"alice smith""#),
        (#"user:"alice""#, "user:alice"),
        ("\"a:b\"", "\"a:b\""),
        ("\"-x\"", "\"-x\""),
        ("\"AND\"", "\"AND\""),
        ("\"x=y\"", "\"x=y\""),
        (#"ua:f\(x\)"#, #"ua:f\(x\)"#),
        (#"ua:"f(x) y*""#, #"ua:"f(x) y*""#),
        (#"ua:"star\* q\? b\\ \"""#, #"ua:"star\* q\? b\\ \"""#),
        (#"user:">x""#, #"user:">x""#),
        (#"user:"""#, #"user:"""#),
        ("2001:db8::1", "\"2001:db8::1\""),
        ("Create*", "Create*"),
        ("ip:10.0.0.9/8", "ip:10.0.0.0/8"),
        ("ip:2001:DB8::1", "ip:2001:db8::1"),
        ("bytes>=1e6", "bytes>=1000000"),
        ("bytes:>=.5", "bytes>=0.5"),
        ("port:443", "dstport:443"),
        ("srcport<1024", "srcport<1024"),
        ("protocol:6", "protocol:tcp"),
        ("protocol:UDP", "protocol:udp"),
        ("protocol:47", "protocol:47"),
        ("protocol>6", "protocol>6"),
        ("severity>=HIGH", "severity>=high"),
        ("severity:crit", "severity:critical"),
        ("severity>7", "severity>7"),
        ("kind:GuardDuty", "kind:finding"),
        ("kind:ct", "kind:cloudtrail"),
        ("outcome:failed", "outcome:failure"),
        ("outcome:ok", "outcome:success"),
        ("has:eventName", "has:action"),
        ("has:requestParameters.bucketName", "has:requestParameters.bucketName"),
        ("time:2024-05-01", "time:2024-05-01"),
        ("time:2024-05", "time:2024-05"),
        ("time:2024", "time:2024"),
        ("time:2024-05-01T10", "time:2024-05-01T10Z"),
        ("time:2024-05-01T10:30", "time:2024-05-01T10:30Z"),
        ("time:2024-05-01T10:30:15", "time:2024-05-01T10:30:15Z"),
        ("time:2024-05-01T10:30:15.5", "time:2024-05-01T10:30:15.5Z"),
        ("time:2024-05-01T10:30:15.05", "time:2024-05-01T10:30:15.05Z"),
        ("time:2024-05-01T10:30:15.123", "time:2024-05-01T10:30:15.123Z"),
        ("time:2024-05-01T01:30+02:00", "time:2024-04-30T23:30Z"),
        ("time>2024-05-01", "time>=2024-05-02"),
        ("time<=2024-05-01", "time<2024-05-02"),
        ("time>=2024-05-01T10:00Z", "time>=2024-05-01T10:00:00Z"),
        ("time<2024-05-01T10:00:00.250Z", "time<2024-05-01T10:00:00.250Z"),
        ("time>-1h", "time>-1h"),
        ("time:-1h", "time>=-1h"),
        ("time>-60m", "time>-1h"),
        ("time>-90m", "time>-90m"),
        ("time>-14d", "time>-2w"),
        ("time>-45s", "time>-45s"),
        ("time<=-1d", "time<=-1d"),
        ("action:(A OR B) kind:cloudtrail", "(action:A OR action:B) AND kind:cloudtrail"),
        ("requestParameters.tags[\"aws:x\"]:y", "requestParameters.tags[\"aws:x\"]:y"),
    ])
    func canonicalText(_ input: String, _ expected: String) throws {
        let query = try Query(input)
        #expect(query.description == expected)
        // The canonical text parses back to the same expression.
        #expect(try Query(expected).expression == query.expression)
    }

    @Test func handBuiltTermsRender() {
        let range = QueryTerm(field: .time, predicate: .timeRange(
            lower: .absolute(t("2024-05-01T10:00:00Z"), inclusive: true),
            upper: .absolute(t("2024-05-01T10:00:07Z"), inclusive: true)))
        #expect(range.description == "(time>=2024-05-01T10:00:00Z AND time<=2024-05-01T10:00:07Z)")
        let open = QueryTerm(field: .time, predicate: .timeRange(lower: nil, upper: nil))
        #expect(open.description == "has:time")
        let exclusive = QueryTerm(field: .time, predicate: .timeRange(
            lower: .absolute(t("2024-05-01T10:00:00Z"), inclusive: false), upper: nil))
        #expect(exclusive.description == "time>2024-05-01T10:00:00Z")
        #expect(QueryExpression.not(.all).description == "NOT *")
        #expect(QueryTerm(field: .bytes, predicate: .compare(.less, 2.25)).description == "bytes<2.25")
    }
}

// MARK: - Errors

@Suite struct QuerySyntaxErrorTests {
    @Test(arguments: [
        ("action:Create* AND (user:alice", 19, "unclosed '(': expected ')'"),
        ("((a) b", 0, "unclosed '(': expected ')'"),
        ("(a (b)", 0, "unclosed '(': expected ')'"),
        ("a (b (c) d", 2, "unclosed '(': expected ')'"),
        ("a)", 1, "unexpected ')' without a matching '('"),
        (")", 0, "unexpected ')' without a matching '('"),
        ("(a)) b", 3, "unexpected ')' without a matching '('"),
        ("()", 0, "empty parentheses: expected a term inside"),
        ("a ( ) b", 2, "empty parentheses: expected a term inside"),
        ("user:", 5, "expected a value after 'user:' (quote values that contain spaces)"),
        ("user: alice", 5, "expected a value after 'user:' (quote values that contain spaces)"),
        ("(user:)", 6, "expected a value after 'user:' (quote values that contain spaces)"),
        ("bytes>= 5", 7, "expected a value after 'bytes>=' (quote values that contain spaces)"),
        ("AND a", 0, "expected a term before 'AND'"),
        ("OR a", 0, "expected a term before 'OR'"),
        ("(OR a)", 1, "expected a term before 'OR'"),
        ("a (AND b)", 3, "expected a term before 'AND'"),
        ("a AND", 2, "expected a term after 'AND'"),
        ("a OR", 2, "expected a term after 'OR'"),
        ("a AND OR b", 2, "expected a term after 'AND'"),
        ("a OR AND b", 2, "expected a term after 'OR'"),
        ("(a AND) b", 3, "expected a term after 'AND'"),
        ("NOT", 0, "expected a term after 'NOT'"),
        ("a NOT", 2, "expected a term after 'NOT'"),
        ("NOT OR a", 0, "expected a term after 'NOT'"),
        ("(NOT)", 1, "expected a term after 'NOT'"),
        ("-", 0, "expected a term right after '-' (write -term, without a space)"),
        ("a - b", 2, "expected a term right after '-' (write -term, without a space)"),
        ("(a -)", 3, "expected a term right after '-' (write -term, without a space)"),
        ("-AND a", 0, "expected a term after '-'"),
        ("\"abc", 0, "unterminated quoted string: expected a closing '\"'"),
        ("user:\"abc", 5, "unterminated quoted string: expected a closing '\"'"),
        ("a \"b\\\"", 2, "unterminated quoted string: expected a closing '\"'"),
        ("user:\"a\"b", 8, "expected a space after the closing quote"),
        ("ab\"c\"", 2, "unexpected '\"' inside a word: quote the whole value, or escape it as \\\""),
        ("user:al\"ice", 7, "unexpected '\"' inside a word: quote the whole value, or escape it as \\\""),
        ("\"\"", 0, "empty quoted string: expected text to search for"),
    ])
    func errorsPointAtTheProblem(_ query: String, _ column: Int, _ message: String) {
        #expect(syntaxError(query) == QuerySyntaxError(message, column: column))
    }

    @Test func renderedUnclosedParenthesis() throws {
        let query = "action:Create* AND (user:alice"
        let error = try #require(syntaxError(query))
        #expect(error.rendered(query: query) == """
            action:Create* AND (user:alice
                               ^ unclosed '(': expected ')'
            """)
    }

    @Test func renderedMissingValueAtTheEnd() throws {
        let query = "kind:flow AND port:"
        let error = try #require(syntaxError(query))
        #expect(error.rendered(query: query) == """
            kind:flow AND port:
                               ^ expected a value after 'port:' (quote values that contain spaces)
            """)
    }

    @Test func renderedComparisonOnText() throws {
        let query = "user>alice"
        let error = try #require(syntaxError(query))
        #expect(error.rendered(query: query) == """
            user>alice
                ^ cannot use '>' on user: it is not a number or time field (write user:VALUE)
            """)
    }

    @Test func renderedBadTimeAndCIDR() throws {
        let timeQuery = "kind:cloudtrail time>=2024-5-1"
        #expect(try #require(syntaxError(timeQuery)).rendered(query: timeQuery) == """
            kind:cloudtrail time>=2024-5-1
                                  ^ invalid time '2024-5-1': expected a date such as 2024-05-01, a time such as \
            2024-05-01T10:00Z, or a relative time such as -15m, -1h, -7d
            """)
        let cidrQuery = "ip:10.0.0.0/40"
        #expect(try #require(syntaxError(cidrQuery)).rendered(query: cidrQuery) == """
            ip:10.0.0.0/40
               ^ invalid CIDR block '10.0.0.0/40': expected ADDRESS/LENGTH such as 10.0.0.0/8 or 2001:db8::/32
            """)
    }

    @Test func renderedKeepsTabsAndFlattensNewlines() {
        let error = QuerySyntaxError("oops", column: 3)
        #expect(error.rendered(query: "\ta\nb") == "\ta b\n\t  ^ oops")
        #expect(QuerySyntaxError("missing", column: 4).rendered(query: "ab") == "ab\n    ^ missing")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let query = "user:élise AND (ünïcödé"
        let error = try #require(syntaxError(query))
        #expect(error.column == 15)
        #expect(error.rendered(query: query).hasSuffix("\n" + String(repeating: " ", count: 15) + "^ unclosed '(': expected ')'"))
        #expect(syntaxError("🇫🇷 user>x")?.column == 6)
    }

    @Test func errorDescription() {
        #expect(QuerySyntaxError("bad", column: 2).description == "column 2: bad")
    }

    @Test func quotedValuesAreNamedAsWritten() {
        #expect(syntaxError(#"kind:"vpc flow""#)?.message
            == #"unknown kind "vpc flow": expected cloudtrail, flow, finding, dns or auth"#)
    }
}

// MARK: - Lexer

@Suite struct QueryLexerTests {
    @Test func tokensAndColumns() throws {
        let tokens = try QueryLexer.tokenize("NOT (a OR b) AND -c:d")
        #expect(tokens.map(\.column) == [0, 4, 5, 7, 10, 11, 13, 17, 18])
        #expect(tokens[0].kind == .not)
        #expect(tokens[1].kind == .leftParen)
        #expect(tokens[3].kind == .or)
        #expect(tokens[5].kind == .rightParen)
        #expect(tokens[6].kind == .and)
        #expect(tokens[7].kind == .minus)
        guard case .word(let prefix?, let value) = tokens[8].kind else {
            Issue.record("expected a field word, got \(tokens[8].kind)")
            return
        }
        #expect(prefix == QueryFieldPrefix(name: "c", column: 18, op: .equal, operatorText: ":", operatorColumn: 19))
        #expect(value.column == 20)
        #expect(value.source == "d")
        #expect(value.quoted == false)
    }

    @Test(arguments: [
        ("a:1", QueryLexOperator.equal, ":"), ("a=1", .equal, "="), ("a<1", .less, "<"), ("a<=1", .lessOrEqual, "<="),
        ("a>1", .greater, ">"), ("a>=1", .greaterOrEqual, ">="), ("a:<1", .less, ":<"), ("a:>=1", .greaterOrEqual, ":>="),
    ])
    func operators(_ query: String, _ op: QueryLexOperator, _ written: String) throws {
        let tokens = try QueryLexer.tokenize(query)
        guard tokens.count == 1, case .word(let prefix?, let value) = tokens[0].kind else {
            Issue.record("unexpected tokens \(tokens)")
            return
        }
        #expect(prefix.op == op)
        #expect(prefix.operatorText == written)
        #expect(value.literalText == "1")
    }

    @Test func fieldGroupToken() throws {
        let tokens = try QueryLexer.tokenize("user:(a)")
        #expect(tokens.count == 4)
        guard case .fieldGroup(let prefix) = tokens[0].kind else {
            Issue.record("expected a field group, got \(tokens[0].kind)")
            return
        }
        #expect(prefix.name == "user")
        #expect(tokens[1].kind == .leftParen)
        #expect(tokens[1].column == 5)
    }

    @Test func escapedKeywordIsAWord() throws {
        #expect(try parse(#"\AND"#) == .term(.text(exact(#"\AND"#))))
        #expect(try parse("ANDROID") == text("ANDROID"))
    }
}
