import Testing
import VigilCore
@testable import VigilDetect

@Suite("Correlations")
struct CorrelationTests {
    static let base = """
    title: Denied call
    id: denied
    name: denied
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {errorCode: AccessDenied}
        condition: selection
    ---
    title: Create user
    id: create-user
    name: create-user
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {eventName: CreateUser}
        condition: selection
    ---
    title: Attach admin
    id: attach-admin
    name: attach-admin
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {eventName: AttachUserPolicy, requestParameters.policyArn|endswith: /AdministratorAccess}
        condition: selection
    """

    static func denied(_ name: String, minute: Int, user: String = "alice") -> String {
        DetectFixtures.cloudTrail(name, time: "2026-03-02T10:\(minute < 10 ? "0" : "")\(minute):00Z", user: user,
                                  extra: #""errorCode":"AccessDenied""#)
    }

    @Test("value_count counts distinct values per group inside the window")
    func valueCount() {
        let yaml = Self.base + """

        ---
        title: Enumeration by denied calls
        id: enum
        correlation: {type: value_count, rules: [denied], group-by: [userIdentity.arn], timespan: 10m, condition: {gte: 4, field: eventName}}
        level: medium
        """
        // alice: 4 distinct names inside 10 minutes; bob: the same name 6 times; carol: 4 names spread over 40 minutes.
        var lines = ["ListUsers", "ListRoles", "GetUser", "ListPolicies"].enumerated().map { Self.denied($1, minute: $0) }
        lines += (0..<6).map { Self.denied("ListUsers", minute: $0, user: "bob") }
        lines += ["ListUsers", "ListRoles", "GetUser", "ListPolicies"].enumerated().map { Self.denied($1, minute: $0 * 13, user: "carol") }
        let findings = DetectFixtures.findings(yaml, lines).filter { $0.ruleID == "enum" }
        #expect(findings.map { $0.primaryEntity!.value } == ["arn:aws:iam::111122223333:user/alice"])
        #expect(findings.first?.primaryEntity?.kind == .principal)
        #expect(findings.first?.evidence.count == 4)
    }

    @Test("temporal_ordered needs the order; temporal does not")
    func ordered() {
        let ordered = Self.base + """

        ---
        title: New admin user
        id: new-admin
        correlation: {type: temporal_ordered, rules: [create-user, attach-admin], group-by: [userIdentity.arn], timespan: 1h}
        level: high
        """
        let attach = #""requestParameters":{"userName":"x","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#
        let inOrder = [DetectFixtures.cloudTrail("CreateUser", time: "2026-03-02T10:00:00Z"),
                       DetectFixtures.cloudTrail("AttachUserPolicy", time: "2026-03-02T10:20:00Z", extra: attach)]
        let reversed = [DetectFixtures.cloudTrail("AttachUserPolicy", time: "2026-03-02T10:00:00Z", extra: attach),
                        DetectFixtures.cloudTrail("CreateUser", time: "2026-03-02T10:20:00Z")]
        let tooLate = [DetectFixtures.cloudTrail("CreateUser", time: "2026-03-02T10:00:00Z"),
                       DetectFixtures.cloudTrail("AttachUserPolicy", time: "2026-03-02T11:30:00Z", extra: attach)]
        #expect(DetectFixtures.findings(ordered, inOrder).contains { $0.ruleID == "new-admin" })
        #expect(!DetectFixtures.findings(ordered, reversed).contains { $0.ruleID == "new-admin" })
        #expect(!DetectFixtures.findings(ordered, tooLate).contains { $0.ruleID == "new-admin" })
        let unordered = ordered.replacingOccurrences(of: "temporal_ordered", with: "temporal")
        #expect(DetectFixtures.findings(unordered, reversed).contains { $0.ruleID == "new-admin" })
    }

    @Test("a burst after firing extends the same finding instead of opening new ones")
    func burst() {
        let yaml = Self.base + """

        ---
        title: Many denied
        id: many-denied
        correlation: {type: event_count, rules: [denied], group-by: [sourceIPAddress], timespan: 5m, condition: {gte: 3}}
        """
        let lines = (0..<10).map { Self.denied("ListUsers", minute: $0) }
        let f = DetectFixtures.findings(yaml, lines).filter { $0.ruleID == "many-denied" }
        #expect(f.count == 1)
        #expect(f.first?.count == 10)
        #expect(f.first?.primaryEntity == Entity(.sourceIP, "203.0.113.10"))
    }

    @Test("a correlation naming a missing rule is an error; the others still load")
    func missingReference() {
        let yaml = Self.base + """

        ---
        title: Broken
        id: broken
        correlation: {type: event_count, rules: [nope], timespan: 5m, condition: {gte: 3}}
        """
        let set = DetectFixtures.rules(yaml)
        #expect(set.errors.count == 1)
        #expect(set.errors.first?.description.contains("refers to rule 'nope'") == true)
        #expect(set.runnableCount == 3)
    }
}

extension CorrelationTests {
    @Test("value_count on a field read from the record counts distinct values without regard to case")
    func valueCountOnRecordField() {
        let yaml = Self.base + """

        ---
        title: Many buckets probed
        id: buckets
        correlation: {type: value_count, rules: [denied], group-by: [userIdentity.arn], timespan: 10m, condition: {gte: 3, field: requestParameters.bucketName}}
        level: medium
        """
        func probe(_ bucket: String, minute: Int, user: String) -> String {
            DetectFixtures.cloudTrail("GetBucketPolicy", source: "s3.amazonaws.com", time: "2026-03-02T10:0\(minute):00Z", user: user,
                                      extra: #""errorCode":"AccessDenied","requestParameters":{"bucketName":"\#(bucket)"}"#)
        }
        // alice: three distinct buckets; bob: one bucket written three ways (case folds) and one more.
        let lines = [probe("logs", minute: 0, user: "alice"), probe("backups", minute: 1, user: "alice"),
                     probe("Logs", minute: 2, user: "alice"), probe("finance", minute: 3, user: "alice"),
                     probe("data", minute: 0, user: "bob"), probe("DATA", minute: 1, user: "bob"),
                     probe("Data", minute: 2, user: "bob"), probe("other", minute: 3, user: "bob")]
        let findings = DetectFixtures.findings(yaml, lines).filter { $0.ruleID == "buckets" }
        #expect(findings.map { $0.primaryEntity!.value } == ["arn:aws:iam::111122223333:user/alice"])
    }
}
