import Foundation
import Testing
@testable import VigilIngest
import VigilCore

/// Our own CloudTrail fixtures, shaped like real deliveries.
enum CloudTrailFixtures {
    static let iamUserCreateKey = #"""
    {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE1","arn":"arn:aws:iam::111122223333:user/dev-alice","accountId":"111122223333","accessKeyId":"AKIAEXAMPLEALICE0001","userName":"dev-alice"},"eventTime":"2026-03-10T14:05:09Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.50","userAgent":"Boto3/1.34.0 Python/3.12.1","requestParameters":{"userName":"backdoor"},"responseElements":{"accessKey":{"accessKeyId":"AKIAEXAMPLENEW00001","status":"Active","userName":"backdoor"}},"requestID":"r-1","eventID":"11111111-1111-1111-1111-111111111111","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"}
    """#

    static let assumedRoleDenied = #"""
    {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:ci-runner","arn":"arn:aws:sts::111122223333:assumed-role/ci-deploy/ci-runner","accountId":"111122223333","accessKeyId":"ASIAEXAMPLETEMP0001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/ci-deploy","accountId":"111122223333","userName":"ci-deploy"},"attributes":{"creationDate":"2026-03-10T13:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2026-03-10T14:01:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"terraform/1.7","errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized to perform this operation.","requestParameters":{"instancesSet":{"items":[{"imageId":"ami-0abc","minCount":1}]},"instanceType":"p3.16xlarge"},"responseElements":null,"eventID":"22222222-2222-2222-2222-222222222222","eventType":"AwsApiCall","recipientAccountId":"111122223333"}
    """#

    static let consoleLogin = #"""
    {"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"2026-03-10T13:59:59Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No","MobileVersion":"No"},"eventID":"33333333-3333-3333-3333-333333333333","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"}
    """#

    static let serviceCall = #"""
    {"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},"eventTime":"2026-03-10T14:00:30Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"ec2.amazonaws.com","userAgent":"ec2.amazonaws.com","requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/web","roleSessionName":"i-0123456789abcdef0"},"resources":[{"accountId":"111122223333","type":"AWS::IAM::Role","ARN":"arn:aws:iam::111122223333:role/web"}],"eventID":"44444444-4444-4444-4444-444444444444","eventType":"AwsApiCall","recipientAccountId":"111122223333","sharedEventID":"x"}
    """#

    static var records: [String] { [iamUserCreateKey, assumedRoleDenied, consoleLogin, serviceCall] }

    static func s3Delivery(_ records: [String]) -> String { "{\"Records\":[" + records.joined(separator: ",") + "]}" }
}

@Suite("CloudTrailReader")
struct CloudTrailReaderTests {
    func read(_ text: String) -> IngestBatch {
        var batch = IngestBatch()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { CloudTrailReader.read($0, source: "t.json", into: &batch) }
        return batch
    }

    @Test("normalises an IAM user's API call")
    func iamUser() throws {
        let batch = read(CloudTrailFixtures.s3Delivery([CloudTrailFixtures.iamUserCreateKey]))
        #expect(batch.diagnostics.isEmpty)
        let e = try #require(batch.events.first)
        #expect(e.kind == .cloudTrail)
        #expect(e.time == ISO8601Parser.parse("2026-03-10T14:05:09Z"))
        #expect(e.service == "iam.amazonaws.com")
        #expect(e.action == "CreateAccessKey")
        #expect(e.outcome == .success)
        #expect(e.principal?.type == .iamUser)
        #expect(e.principal?.arn == "arn:aws:iam::111122223333:user/dev-alice")
        #expect(e.principal?.userName == "dev-alice")
        #expect(e.accessKeyID == "AKIAEXAMPLEALICE0001")
        #expect(e.sourceIP == "203.0.113.50")
        #expect(e.userAgent == "Boto3/1.34.0 Python/3.12.1")
        #expect(e.region == "us-east-1")
        #expect(e.account == "111122223333")
        #expect(e.recipientAccount == "111122223333")
        #expect(e.eventID == "11111111-1111-1111-1111-111111111111")
        #expect(e.resources == ["backdoor", "AKIAEXAMPLENEW00001"])
        #expect(String(decoding: e.raw, as: UTF8.self) == CloudTrailFixtures.iamUserCreateKey)
    }

    @Test("keeps errors, the role session and its issuer, and nested resource ids")
    func assumedRole() throws {
        let e = try #require(read(CloudTrailFixtures.assumedRoleDenied).events.first)
        #expect(e.outcome == .failure(code: "Client.UnauthorizedOperation", message: "You are not authorized to perform this operation."))
        #expect(e.principal?.type == .assumedRole)
        #expect(e.principal?.userName == "ci-runner")
        #expect(e.principal?.sessionIssuer == "arn:aws:iam::111122223333:role/ci-deploy")
        #expect(e.principal?.mfaAuthenticated == false)
        #expect(e.resources == ["ami-0abc"])
    }

    @Test("root console sign-in records MFA use and the console flag")
    func consoleLogin() throws {
        let e = try #require(read(CloudTrailFixtures.consoleLogin).events.first)
        #expect(e.principal?.type == .root)
        #expect(e.principal?.userName == "root")
        #expect(e.principal?.console == true)
        #expect(e.principal?.mfaAuthenticated == false)
        #expect(e.outcome == .success)
    }

    @Test("a failed console sign-in is a failure")
    func failedConsoleLogin() throws {
        let failed = CloudTrailFixtures.consoleLogin.replacingOccurrences(of: "\"ConsoleLogin\":\"Success\"", with: "\"ConsoleLogin\":\"Failure\"")
            .replacingOccurrences(of: "\"requestParameters\":null", with: "\"errorMessage\":\"Failed authentication\",\"requestParameters\":null")
        let e = try #require(read(failed).events.first)
        #expect(e.outcome == .failure(code: "ConsoleLoginFailure", message: "Failed authentication"))
    }

    @Test("service principals keep the service name as source, distinct from addresses")
    func service() throws {
        let e = try #require(read(CloudTrailFixtures.serviceCall).events.first)
        #expect(e.principal?.type == .awsService)
        #expect(e.principal?.arn == "ec2.amazonaws.com")
        #expect(e.sourceIP == "ec2.amazonaws.com")
        #expect(IPAddress(e.sourceIP!) == nil)
        #expect(e.account == "111122223333")
        #expect(e.resources == ["arn:aws:iam::111122223333:role/web"])
    }

    @Test("reads every container shape", arguments: [
        ("S3 delivery", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records)),
        ("bare array", "[" + CloudTrailFixtures.records.joined(separator: ",\n") + "]"),
        ("JSON lines", CloudTrailFixtures.records.joined(separator: "\n") + "\n"),
        ("pretty printed", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records).replacingOccurrences(of: ",\"", with: ",\n    \"")),
    ])
    func shapes(name: String, text: String) {
        let batch = read(text)
        #expect(batch.diagnostics.isEmpty, "\(name): \(batch.diagnostics)")
        #expect(batch.events.map(\.action) == ["CreateAccessKey", "RunInstances", "ConsoleLogin", "AssumeRole"], "\(name)")
    }

    @Test("reads Logstash-wrapped JSON lines")
    func logstash() {
        let line = "{\"@timestamp\":\"2026-03-10T14:05:10.000Z\",\"@version\":\"1\"," + CloudTrailFixtures.iamUserCreateKey.dropFirst()
        let embedded = "{\"@timestamp\":\"2026-03-10T14:05:10.000Z\",\"message\":" + JSONValue.quoted(CloudTrailFixtures.consoleLogin) + "}"
        let batch = read(line + "\n" + embedded + "\n")
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.map(\.action) == ["CreateAccessKey", "ConsoleLogin"])
    }

    @Test("Logstash output without eventTime is timed by @timestamp")
    func logstashTimestamp() throws {
        let record = CloudTrailFixtures.iamUserCreateKey.replacingOccurrences(of: "\"eventTime\":\"2026-03-10T14:05:09Z\",", with: "")
        let line = "{\"@timestamp\":\"2026-03-10T14:05:09.000Z\",\"@version\":\"1\"," + record.dropFirst()
        let batch = read(line + "\n")
        #expect(batch.diagnostics.isEmpty, "\(batch.diagnostics)")
        #expect(batch.events.first?.time == ISO8601Parser.parse("2026-03-10T14:05:09Z"))
        // Without either time the record is still an error.
        #expect(read(record).diagnostics.map(\.message) == ["missing eventTime"])
    }

    @Test("reads lookup-events output, whose records are escaped JSON strings")
    func lookupEvents() {
        let events = CloudTrailFixtures.records.map { r in
            "{\"EventId\":\"x\",\"EventName\":\"n\",\"ReadOnly\":\"false\",\"EventTime\":\"2026-03-10T14:05:09+00:00\",\"CloudTrailEvent\":" + JSONValue.quoted(r) + "}"
        }
        let text = "{\n  \"Events\": [\n" + events.joined(separator: ",\n") + "\n  ],\n  \"NextToken\": \"abc\"\n}"
        let batch = read(text)
        #expect(batch.diagnostics.isEmpty, "\(batch.diagnostics)")
        #expect(batch.events.count == 4)
        #expect(batch.events[0].principal?.userName == "dev-alice")
        #expect(batch.events[3].raw.first == UInt8(ascii: "{"))
    }

    @Test("reads CloudTrail Insights events")
    func insights() throws {
        let insight = #"{"eventVersion":"1.08","eventTime":"2026-03-10T14:00:00Z","awsRegion":"us-east-1","eventID":"55555555-5555-5555-5555-555555555555","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","sharedEventID":"s","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight"},"eventCategory":"Insight","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}"#
        let e = try #require(read(insight).events.first)
        #expect(e.action == "RunInstances")
        #expect(e.account == "111122223333")
        #expect(e.principal == nil)
    }

    @Test("skips digest files with a note")
    func digest() {
        let digest = #"{"awsAccountId":"111122223333","digestStartTime":"2026-03-10T13:00:00Z","digestEndTime":"2026-03-10T14:00:00Z","digestS3Bucket":"b","logFiles":[]}"#
        let batch = read(digest)
        #expect(batch.events.isEmpty)
        #expect(batch.ignoredRecords == 1)
        #expect(batch.diagnostics.map(\.severity) == [.note])
    }

    @Test("reports bad records by number and line and reads the rest")
    func badRecords() {
        let missingName = CloudTrailFixtures.iamUserCreateKey.replacingOccurrences(of: "\"eventName\":\"CreateAccessKey\",", with: "")
        let badTime = CloudTrailFixtures.consoleLogin.replacingOccurrences(of: "2026-03-10T13:59:59Z", with: "last tuesday")
        let text = [CloudTrailFixtures.serviceCall, missingName, "{\"eventName\": oops}", badTime, CloudTrailFixtures.assumedRoleDenied].joined(separator: "\n")
        let batch = read(text)
        #expect(batch.events.map(\.action) == ["AssumeRole", "RunInstances"])
        #expect(batch.skippedRecords == 3)
        let messages = batch.diagnostics.map(\.description)
        #expect(messages.count == 3)
        #expect(messages[0] == "t.json:2: record 2: missing eventName")
        #expect(messages[1].hasPrefix("t.json:3: record 3: malformed JSON: unexpected 'o'"))
        #expect(messages[2] == "t.json:4: record 4: eventTime 'last tuesday' is not an ISO 8601 time")
    }

    @Test("a truncated delivery yields the records before the cut")
    func truncated() {
        let full = CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records)
        let cut = String(full.prefix(full.count - 200))
        let batch = read(cut)
        #expect(batch.events.map(\.action) == ["CreateAccessKey", "RunInstances", "ConsoleLogin"])
        #expect(batch.diagnostics.count == 1)
        #expect(batch.diagnostics[0].record == 4)
        #expect(batch.diagnostics[0].message.contains("truncated"))
    }

    @Test("hostile values are kept verbatim and never crash the reader")
    func hostile() throws {
        let evil = CloudTrailFixtures.iamUserCreateKey.replacingOccurrences(of: "Boto3/1.34.0 Python/3.12.1", with: #"\u001b]0;owned\u0007\u202e\ud800"#)
        let e = try #require(read(evil).events.first)
        #expect(e.userAgent == "\u{1B}]0;owned\u{07}\u{202E}\u{FFFD}")
        #expect(TextSanitizer.sanitize(e.userAgent!) == "\\x1B]0;owned\\x07<U+202E>\u{FFFD}")
        // Random garbage of every byte value: errors, no crash.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var junk = Array(CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records).utf8)
            for _ in 0..<20 { junk[Int.random(in: 0..<junk.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            var batch = IngestBatch()
            junk.withUnsafeBytes { CloudTrailReader.read($0, source: "junk", into: &batch) }
            #expect(batch.events.count <= 4)
        }
    }
}

@Suite("CloudTrail public samples")
struct CloudTrailPublicSampleTests {
    @Test("the OTRF Logstash export (when ../shared/data is present) reads every record")
    func otrf() throws {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        let path = parts.joined(separator: "/") + "/shared/data/otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.json"
        guard FileManager.default.fileExists(atPath: path) else { return }
        let (report, batch) = Ingestor.readFile(path)
        #expect(report.format == .cloudTrail)
        #expect(batch.events.count == 103)
        #expect(batch.diagnostics.isEmpty)
    }
}
