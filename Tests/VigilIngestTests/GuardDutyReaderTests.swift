import Foundation
import Testing
import VigilCore
@testable import VigilIngest

// MARK: - Fixtures (written for these tests)

/// An SSH brute-force finding as `aws guardduty get-findings` prints it (PascalCase).
private let sshFinding = #"""
{
    "AccountId": "111122223333",
    "Arn": "arn:aws:guardduty:eu-west-1:111122223333:detector/d1/finding/f-ssh-1",
    "CreatedAt": "2024-03-02T08:00:00.000Z",
    "Id": "f-ssh-1",
    "Partition": "aws",
    "Region": "eu-west-1",
    "Resource": {
        "InstanceDetails": {
            "InstanceId": "i-0a1b2c3d4e5f60718",
            "InstanceType": "t3.micro",
            "Tags": [{"Key": "Type", "Value": "bastion"}]
        },
        "ResourceType": "Instance"
    },
    "SchemaVersion": "2.0",
    "Service": {
        "Action": {
            "ActionType": "NETWORK_CONNECTION",
            "NetworkConnectionAction": {
                "ConnectionDirection": "INBOUND",
                "LocalIpDetails": {"IpAddressV4": "10.20.1.15"},
                "LocalPortDetails": {"Port": 22, "PortName": "SSH"},
                "RemoteIpDetails": {"IpAddressV4": "203.0.113.50", "Organization": {"Asn": "64500"}}
            }
        },
        "AdditionalInfo": {"Type": "default", "Value": "{}"},
        "Count": 17,
        "EventFirstSeen": "2024-03-02T07:55:00.000Z",
        "EventLastSeen": "2024-03-02T09:10:00.000Z",
        "ServiceName": "guardduty"
    },
    "Severity": 2,
    "Title": "203.0.113.50 is performing SSH brute force attacks against i-0a1b2c3d4e5f60718.",
    "Type": "UnauthorizedAccess:EC2/SSHBruteForce",
    "UpdatedAt": "2024-03-02T09:12:30.250Z"
}
"""#

/// An access-key finding from an API call (PascalCase).
private let keyFinding = #"""
{
    "AccountId": "111122223333",
    "Arn": "arn:aws:guardduty:eu-west-1:111122223333:detector/d1/finding/f-key-2",
    "CreatedAt": "2024-04-10T16:00:00.000Z",
    "Id": "f-key-2",
    "Region": "eu-west-1",
    "Resource": {
        "AccessKeyDetails": {
            "AccessKeyId": "AKIAEXAMPLEVIGIL0001",
            "PrincipalId": "AIDAEXAMPLEVIGIL0001",
            "UserName": "ci-deploy",
            "UserType": "IAMUser"
        },
        "ResourceType": "AccessKey"
    },
    "Service": {
        "Action": {
            "ActionType": "AWS_API_CALL",
            "AwsApiCallAction": {
                "Api": "ListBuckets",
                "CallerType": "Remote IP",
                "RemoteIpDetails": {"IpAddressV4": "192.0.2.77"},
                "ServiceName": "s3.amazonaws.com",
                "UserAgent": "python-requests/2.31.0"
            }
        },
        "Count": 3,
        "EventFirstSeen": "2024-04-10T16:00:00.000Z",
        "EventLastSeen": "2024-04-10T16:20:05.000Z"
    },
    "Severity": 8,
    "Title": "Credentials of ci-deploy were used from an unusual address.",
    "Type": "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
    "UpdatedAt": "2024-04-10T16:21:00.000Z"
}
"""#

/// An S3 finding as an S3 export writes it (camelCase), pretty-printed.
private let s3FindingCamel = #"""
{
  "schemaVersion": "2.0",
  "accountId": "444455556666",
  "region": "us-east-2",
  "partition": "aws",
  "id": "f-s3-3",
  "arn": "arn:aws:guardduty:us-east-2:444455556666:detector/d9/finding/f-s3-3",
  "type": "Exfiltration:S3/AnomalousBehavior",
  "resource": {
    "resourceType": "S3Bucket",
    "accessKeyDetails": {
      "accessKeyId": "ASIAEXAMPLEVIGIL0003",
      "principalId": "AROAEXAMPLEVIGIL0003:build-session",
      "userName": "build-role",
      "userType": "AssumedRole"
    },
    "s3BucketDetails": [
      {"name": "vigil-finance-exports", "type": "Destination"},
      {"name": "vigil-audit-logs", "type": "Destination"},
      {"name": "vigil-finance-exports", "type": "Source"}
    ]
  },
  "service": {
    "serviceName": "guardduty",
    "action": {
      "actionType": "AWS_API_CALL",
      "awsApiCallAction": {"api": "GetObject", "remoteIpDetails": {"ipAddressV4": "198.51.100.23"}}
    },
    "additionalInfo": {"userAgent": {"fullUserAgent": "aws-cli/2.15.0 Python/3.11.6", "userAgentCategory": "CLI"}},
    "count": 1,
    "eventFirstSeen": "2024-03-02T07:55:00.000Z",
    "eventLastSeen": "2024-03-02T09:10:00.000Z"
  },
  "severity": 7,
  "createdAt": "2024-03-02T08:00:00.000Z",
  "updatedAt": "2024-03-02T09:12:30.250Z",
  "title": "Anomalous S3 data access by build-role."
}
"""#

/// The same S3 finding in PascalCase.
private let s3FindingPascal = #"""
{
  "SchemaVersion": "2.0",
  "AccountId": "444455556666",
  "Region": "us-east-2",
  "Partition": "aws",
  "Id": "f-s3-3",
  "Arn": "arn:aws:guardduty:us-east-2:444455556666:detector/d9/finding/f-s3-3",
  "Type": "Exfiltration:S3/AnomalousBehavior",
  "Resource": {
    "ResourceType": "S3Bucket",
    "AccessKeyDetails": {
      "AccessKeyId": "ASIAEXAMPLEVIGIL0003",
      "PrincipalId": "AROAEXAMPLEVIGIL0003:build-session",
      "UserName": "build-role",
      "UserType": "AssumedRole"
    },
    "S3BucketDetails": [
      {"Name": "vigil-finance-exports", "Type": "Destination"},
      {"Name": "vigil-audit-logs", "Type": "Destination"},
      {"Name": "vigil-finance-exports", "Type": "Source"}
    ]
  },
  "Service": {
    "ServiceName": "guardduty",
    "Action": {
      "ActionType": "AWS_API_CALL",
      "AwsApiCallAction": {"Api": "GetObject", "RemoteIpDetails": {"IpAddressV4": "198.51.100.23"}}
    },
    "AdditionalInfo": {"UserAgent": {"FullUserAgent": "aws-cli/2.15.0 Python/3.11.6", "UserAgentCategory": "CLI"}},
    "Count": 1,
    "EventFirstSeen": "2024-03-02T07:55:00.000Z",
    "EventLastSeen": "2024-03-02T09:10:00.000Z"
  },
  "Severity": 7,
  "CreatedAt": "2024-03-02T08:00:00.000Z",
  "UpdatedAt": "2024-03-02T09:12:30.250Z",
  "Title": "Anomalous S3 data access by build-role."
}
"""#

/// A DNS exfiltration finding delivered by EventBridge.
private let eventBridgeFinding = #"""
{
  "version": "0",
  "id": "6f1a7d1e-0000-4000-8000-00000000eb01",
  "detail-type": "GuardDuty Finding",
  "source": "aws.guardduty",
  "account": "111122223333",
  "time": "2024-03-02T09:15:42Z",
  "region": "eu-west-1",
  "resources": [],
  "detail": {
    "SchemaVersion": "2.0",
    "AccountId": "111122223333",
    "Region": "eu-west-1",
    "Id": "f-dns-4",
    "Arn": "arn:aws:guardduty:eu-west-1:111122223333:detector/d1/finding/f-dns-4",
    "Type": "Trojan:EC2/DNSDataExfiltration",
    "Resource": {"ResourceType": "Instance", "InstanceDetails": {"InstanceId": "i-0fedcba9876543210"}},
    "Service": {
      "Action": {"ActionType": "DNS_REQUEST", "DnsRequestAction": {"Domain": "x1y2z3.exfil.example.", "Protocol": "UDP", "Blocked": false}},
      "Count": 4
    },
    "Severity": 8,
    "CreatedAt": "2024-03-02T08:00:00.000Z",
    "UpdatedAt": "2024-03-02T09:12:30.250Z",
    "Title": "Data exfiltration through DNS queries from i-0fedcba9876543210."
  }
}
"""#

/// A compact camelCase finding for one JSON line; `extra` is spliced in as more members.
private func line(id: String, type: String = "Recon:EC2/Portscan", severity: String = "5", extra: String = "") -> String {
    #"{"schemaVersion":"2.0","accountId":"777788889999","region":"ap-southeast-2","id":"\#(id)","type":"\#(type)","severity":\#(severity),"updatedAt":"2024-03-02T09:12:30.250Z"\#(extra)}"#
}

private func read(_ text: String, source: String = "findings.json") -> IngestBatch {
    var batch = IngestBatch()
    Array(text.utf8).withUnsafeBytes { GuardDutyReader.read($0, source: source, into: &batch) }
    return batch
}

private func looksLike(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBytes { GuardDutyReader.looksLike($0) }
}

private func ms(_ value: Int64) -> Timestamp { Timestamp(milliseconds: value) }

// 2024-03-02T09:12:30.250Z and friends, computed independently.
private let updated1 = ms(1_709_370_750_250)
private let created1 = ms(1_709_366_400_000)
private let firstSeen1 = ms(1_709_366_100_000)
private let lastSeen1 = ms(1_709_370_600_000)
private let eventBridgeTime = ms(1_709_370_942_000)

// MARK: - Shapes

@Suite("GuardDutyReader")
struct GuardDutyReaderTests {
    @Test("get-findings output: every field of every finding, raw is the element's bytes")
    func getFindingsOutput() throws {
        let document = "{\n  \"Findings\": [\n" + sshFinding + ",\n" + keyFinding + "\n  ],\n  \"NextToken\": \"\"\n}\n"
        let batch = read(document)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.skippedRecords == 0)
        try #require(batch.events.count == 2)

        let ssh = batch.events[0]
        #expect(ssh.time == updated1)
        #expect(ssh.kind == .finding)
        #expect(ssh.service == "guardduty")
        #expect(ssh.action == "UnauthorizedAccess:EC2/SSHBruteForce")
        #expect(ssh.outcome == .success)
        #expect(ssh.eventID == "f-ssh-1")
        #expect(ssh.region == "eu-west-1")
        #expect(ssh.account == "111122223333")
        #expect(ssh.principal == nil)
        #expect(ssh.accessKeyID == nil)
        #expect(ssh.sourceIP == "203.0.113.50")
        #expect(ssh.userAgent == nil)
        #expect(ssh.resources == ["i-0a1b2c3d4e5f60718"])
        #expect(ssh.finding == FindingFields(
            id: "f-ssh-1", type: "UnauthorizedAccess:EC2/SSHBruteForce", score: 2,
            title: "203.0.113.50 is performing SSH brute force attacks against i-0a1b2c3d4e5f60718.",
            resourceType: "Instance", actionType: "NETWORK_CONNECTION", count: 17,
            firstSeen: firstSeen1, lastSeen: lastSeen1))
        #expect(ssh.finding?.severity == .low)
        #expect(ssh.raw == Array(sshFinding.utf8))
        #expect(ssh.rawIsJSON)
        #expect(ssh.flow == nil && ssh.dns == nil && ssh.auth == nil)

        let key = batch.events[1]
        #expect(key.time == ms(1_712_766_060_000))
        #expect(key.action == "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS")
        #expect(key.eventID == "f-key-2")
        #expect(key.accessKeyID == "AKIAEXAMPLEVIGIL0001")
        #expect(key.principal == Principal(arn: "AIDAEXAMPLEVIGIL0001", type: .iamUser, userName: "ci-deploy"))
        #expect(key.sourceIP == "192.0.2.77")
        #expect(key.userAgent == "python-requests/2.31.0")
        #expect(key.resources == ["AKIAEXAMPLEVIGIL0001"])
        #expect(key.finding == FindingFields(
            id: "f-key-2", type: "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", score: 8,
            title: "Credentials of ci-deploy were used from an unusual address.",
            resourceType: "AccessKey", actionType: "AWS_API_CALL", count: 3,
            firstSeen: ms(1_712_764_800_000), lastSeen: ms(1_712_766_005_000)))
        #expect(key.finding?.severity == .high)
        #expect(key.raw == Array(keyFinding.utf8))
    }

    @Test("A single finding reads the same in camelCase and PascalCase", arguments: [s3FindingCamel, s3FindingPascal])
    func singleFindingEitherCasing(text: String) throws {
        let batch = read(text)
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(batch.events.count == 1)
        #expect(event.time == updated1)
        #expect(event.action == "Exfiltration:S3/AnomalousBehavior")
        #expect(event.eventID == "f-s3-3")
        #expect(event.region == "us-east-2")
        #expect(event.account == "444455556666")
        #expect(event.accessKeyID == "ASIAEXAMPLEVIGIL0003")
        #expect(event.principal == Principal(arn: "AROAEXAMPLEVIGIL0003:build-session", type: .assumedRole,
                                             userName: "build-role"))
        #expect(event.sourceIP == "198.51.100.23")
        #expect(event.userAgent == "aws-cli/2.15.0 Python/3.11.6")
        #expect(event.resources == ["ASIAEXAMPLEVIGIL0003", "vigil-finance-exports", "vigil-audit-logs"])
        #expect(event.finding == FindingFields(
            id: "f-s3-3", type: "Exfiltration:S3/AnomalousBehavior", score: 7,
            title: "Anomalous S3 data access by build-role.", resourceType: "S3Bucket",
            actionType: "AWS_API_CALL", count: 1, firstSeen: firstSeen1, lastSeen: lastSeen1))
        #expect(event.finding?.severity == .high)
        #expect(event.raw == Array(text.utf8))
    }

    @Test("EventBridge event: the finding comes from detail, raw is the whole event")
    func eventBridge() throws {
        let batch = read(eventBridgeFinding)
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(batch.events.count == 1)
        #expect(event.time == updated1)
        #expect(event.action == "Trojan:EC2/DNSDataExfiltration")
        #expect(event.eventID == "f-dns-4")
        #expect(event.region == "eu-west-1")
        #expect(event.account == "111122223333")
        #expect(event.sourceIP == nil)
        #expect(event.resources == ["i-0fedcba9876543210", "x1y2z3.exfil.example"])
        #expect(event.finding == FindingFields(
            id: "f-dns-4", type: "Trojan:EC2/DNSDataExfiltration", score: 8,
            title: "Data exfiltration through DNS queries from i-0fedcba9876543210.", resourceType: "Instance",
            actionType: "DNS_REQUEST", count: 4, firstSeen: nil, lastSeen: nil))
        #expect(event.raw == Array(eventBridgeFinding.utf8))
    }

    @Test("EventBridge event without times, region or account in detail falls back to the envelope")
    func eventBridgeFallbacks() throws {
        let text = #"{"detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"123456789012","time":"2024-03-02T09:15:42Z","region":"sa-east-1","detail":{"Id":"f-env","Type":"Recon:EC2/Portscan","Severity":5}}"#
        let batch = read(text)
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.time == eventBridgeTime)
        #expect(event.region == "sa-east-1")
        #expect(event.account == "123456789012")
        #expect(event.finding?.severity == .medium)
        #expect(event.finding?.count == 1)
    }

    @Test("CreatedAt is used when UpdatedAt is missing or invalid")
    func createdAtFallback() throws {
        let missing = read(#"{"Id":"a","Type":"T:X/Y","CreatedAt":"2024-03-02T08:00:00.000Z"}"#)
        #expect(missing.events.first?.time == created1)
        let invalid = read(#"{"Id":"a","Type":"T:X/Y","UpdatedAt":"yesterday","CreatedAt":"2024-03-02T08:00:00.000Z"}"#)
        #expect(invalid.events.first?.time == created1)
        #expect(invalid.diagnostics.isEmpty)
    }

    @Test("Epoch numbers are accepted for times (seconds and milliseconds)")
    func epochTimes() throws {
        let batch = read(#"{"id":"e","type":"T:X/Y","updatedAt":1709370750.25,"service":{"eventFirstSeen":1709366100000,"eventLastSeen":1709370600}}"#)
        let event = try #require(batch.events.first)
        #expect(event.time == updated1)
        #expect(event.finding?.firstSeen == firstSeen1)
        #expect(event.finding?.lastSeen == lastSeen1)
    }

    @Test("An EventBridge event of another type is an error naming its detail-type")
    func eventBridgeOtherType() {
        let batch = read(#"{"detail-type":"EC2 Instance State-change Notification","detail":{"instance-id":"i-1"}}"#, source: "eb.json")
        #expect(batch.events.isEmpty)
        #expect(batch.skippedRecords == 1)
        // One line on its own is read as JSON lines: the line number locates it, no record number.
        #expect(batch.diagnostics == [IngestDiagnostic(.error, source: "eb.json", line: 1,
            message: "EventBridge event with detail-type \"EC2 Instance State-change Notification\" is not a GuardDuty finding")])
    }

    @Test("An EventBridge GuardDuty event without a detail object is an error")
    func eventBridgeWithoutDetail() {
        let batch = read(#"{"detail-type":"GuardDuty Finding","detail":"none"}"#)
        #expect(batch.events.isEmpty)
        #expect(batch.diagnostics.map(\.message) == ["EventBridge event has no detail object"])
    }

    @Test("A JSON array mixing findings, EventBridge events and get-findings outputs, numbered in order")
    func arrayOfShapes() {
        let document = "[\n" + line(id: "a1") + ",\n" + eventBridgeFinding + ",\n"
            + #"{"Findings":[{"Id":"w1","Type":"T:W/One","UpdatedAt":"2024-03-02T09:12:30.250Z"},"#
            + #"{"Type":"T:W/NoId","UpdatedAt":"2024-03-02T09:12:30.250Z"}, {"Id":"w3","Type":"T:W/Three","UpdatedAt":"2024-03-02T09:12:30.250Z"}]},"#
            + "\n" + line(id: "a5") + "\n]"
        let batch = read(document, source: "mixed.json")
        #expect(batch.events.map { $0.eventID ?? "" } == ["a1", "f-dns-4", "w1", "w3", "a5"])
        #expect(batch.events[1].raw == Array(eventBridgeFinding.utf8))
        #expect(batch.events[0].raw == Array(line(id: "a1").utf8))
        #expect(batch.skippedRecords == 1)
        // The wrapper starts on the line after the EventBridge event, which starts on line 3.
        let wrapperLine = 3 + eventBridgeFinding.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(batch.diagnostics == [IngestDiagnostic(.error, source: "mixed.json", line: wrapperLine, record: 4,
                                                       message: "not a GuardDuty finding: missing Id")])
    }

    @Test("JSON lines: camelCase findings and EventBridge events, blank lines skipped, bad lines reported by number")
    func jsonLines() throws {
        let compactEventBridge = #"{"version":"0","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"111122223333","time":"2024-03-02T09:15:42Z","region":"eu-west-1","detail":{"id":"f-eb","type":"Backdoor:EC2/C&CActivity.B!DNS","severity":8.5,"updatedAt":"2024-03-02T09:12:30.250Z"}}"#
        let lines = [
            line(id: "l1"),
            "",
            compactEventBridge,
            #"{"id":"l4","type":"Recon:EC2/Portscan","severity":5,"#,  // truncated
            #"{"id":"l5","severity":5,"updatedAt":"2024-03-02T09:12:30.250Z"}"#,
            "   ",
            line(id: "l7", severity: "\"HIGH\""),
            "[1, 2]",
            line(id: "l9") + " trailing",
        ]
        let batch = read(lines.joined(separator: "\n") + "\n", source: "export.jsonl")
        #expect(batch.events.map { $0.eventID ?? "" } == ["l1", "f-eb", "l7"])
        #expect(batch.events.map(\.raw) == [Array(lines[0].utf8), Array(compactEventBridge.utf8), Array(lines[6].utf8)])
        #expect(batch.events[1].action == "Backdoor:EC2/C&CActivity.B!DNS")
        #expect(batch.events[1].finding?.score == 8.5)
        #expect(batch.events[1].finding?.severity == .high)
        #expect(batch.events[2].finding?.severity == .high)
        #expect(batch.skippedRecords == 5)
        try #require(batch.diagnostics.count == 5)
        #expect(batch.diagnostics.map(\.line) == [4, 5, 8, 8, 9])
        #expect(batch.diagnostics.map(\.record) == [nil, nil, 1, 2, nil])
        #expect(batch.diagnostics.allSatisfy { $0.severity == .error && $0.source == "export.jsonl" })
        #expect(batch.diagnostics[0].message.hasPrefix("malformed JSON: unexpected end of input"))
        #expect(batch.diagnostics[1].message == "not a GuardDuty finding: missing Type")
        #expect(batch.diagnostics[2].message == "expected a finding object, found a number")
        #expect(batch.diagnostics[4].message == "unexpected content after the JSON value at column \(line(id: "l9").utf8.count + 2)")
    }

    @Test("JSON lines whose first line is malformed are still read as lines")
    func jsonLinesBadFirstLine() {
        let text = "{\"id\": \"broken\"\n" + line(id: "ok2") + "\n" + line(id: "ok3") + "\n"
        let batch = read(text)
        #expect(batch.events.map { $0.eventID ?? "" } == ["ok2", "ok3"])
        #expect(batch.diagnostics.map(\.line) == [1])
        #expect(batch.diagnostics.first?.message.hasPrefix("malformed JSON:") == true)
    }

    @Test("CRLF line endings and a byte-order mark")
    func crlfAndBOM() {
        let text = "\u{FEFF}" + line(id: "c1") + "\r\n" + line(id: "c2") + "\r\n"
        let batch = read(text)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.map { $0.eventID ?? "" } == ["c1", "c2"])
        #expect(batch.events.first?.raw == Array(line(id: "c1").utf8))
        let pretty = read("\u{FEFF}" + s3FindingCamel)
        #expect(pretty.events.map { $0.eventID ?? "" } == ["f-s3-3"])
    }

    @Test("Concatenated pretty-printed findings are read one after another")
    func concatenated() {
        let batch = read(sshFinding + "\n" + s3FindingCamel + "\n" + eventBridgeFinding)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.map { $0.eventID ?? "" } == ["f-ssh-1", "f-s3-3", "f-dns-4"])
        #expect(batch.events[1].raw == Array(s3FindingCamel.utf8))
    }

    @Test("Empty input, whitespace and an empty Findings list give nothing", arguments: ["", "  \n\t\n", "{\"Findings\": []}", "[]"])
    func emptyInputs(text: String) {
        let batch = read(text)
        #expect(batch.events.isEmpty)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.skippedRecords == 0)
    }

    // MARK: Severity

    @Test("Numeric severity bands, at their boundaries",
          arguments: zip(["0", "0.5", "1", "1.0", "3.9", "4", "4.0", "6.9", "7", "7.0", "8.9", "9", "9.0", "10"],
                         [FindingFields.Severity.info, .info, .low, .low, .low, .medium, .medium, .medium, .high, .high,
                          .high, .critical, .critical, .critical]))
    func numericSeverity(text: String, expected: FindingFields.Severity) throws {
        let batch = read(line(id: "s", severity: text))
        let finding = try #require(batch.events.first?.finding)
        #expect(finding.score == Double(text))
        #expect(finding.severity == expected)
    }

    @Test("Severity given as a label or a number in a string",
          arguments: zip(["\"LOW\"", "\"Medium\"", "\"HIGH\"", "\"critical\"", "\"CRITICAL\"", "\"8.9\"", "\"3.9\""],
                         [(1.0, FindingFields.Severity.low), (4, .medium), (7, .high), (9, .critical), (9, .critical),
                          (8.9, .high), (3.9, .low)]))
    func stringSeverity(text: String, expected: (Double, FindingFields.Severity)) throws {
        let batch = read(line(id: "s", severity: text))
        #expect(batch.diagnostics.isEmpty)
        let finding = try #require(batch.events.first?.finding)
        #expect(finding.score == expected.0)
        #expect(finding.severity == expected.1)
    }

    @Test("An unrecognised severity keeps the finding with score 0 and a warning")
    func unknownSeverity() throws {
        let batch = read(line(id: "odd", severity: "\"SEVERE\""), source: "odd.jsonl")
        let finding = try #require(batch.events.first?.finding)
        #expect(finding.score == 0)
        #expect(finding.severity == .info)
        #expect(batch.skippedRecords == 0)
        #expect(batch.diagnostics == [IngestDiagnostic(.warning, source: "odd.jsonl", line: 1,
                                                       message: "finding odd: unrecognised Severity \"SEVERE\", read as 0")])
    }

    // MARK: Missing fields and bad input

    @Test("A minimal finding gets defaults for everything optional")
    func minimalFinding() throws {
        let batch = read(#"{"Id":"m","Type":"Policy:IAMUser/RootCredentialUsage","UpdatedAt":"2024-03-02T09:12:30.250Z"}"#)
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.finding == FindingFields(id: "m", type: "Policy:IAMUser/RootCredentialUsage", score: 0))
        #expect(event.finding?.count == 1)
        #expect(event.finding?.severity == .info)
        #expect(event.principal == nil)
        #expect(event.sourceIP == nil)
        #expect(event.userAgent == nil)
        #expect(event.region == nil)
        #expect(event.account == nil)
        #expect(event.resources.isEmpty)
    }

    @Test("Records that are not findings are errors naming the record and what is missing",
          arguments: zip([#"{"Type":"T:X/Y","UpdatedAt":"2024-03-02T09:12:30Z"}"#,
                          #"{"Id":"x","UpdatedAt":"2024-03-02T09:12:30Z"}"#,
                          #"{"Id":"","Type":"","UpdatedAt":"2024-03-02T09:12:30Z"}"#,
                          #"{"Id":"x","Type":"T:X/Y"}"#,
                          #"{"Id":"x","Type":"T:X/Y","UpdatedAt":"soon","CreatedAt":"later"}"#,
                          #""just a string""#],
                         ["not a GuardDuty finding: missing Id",
                          "not a GuardDuty finding: missing Type",
                          "not a GuardDuty finding: missing Id and Type",
                          "finding x: missing UpdatedAt and CreatedAt",
                          "finding x: invalid UpdatedAt and CreatedAt",
                          "expected a finding object, found a string"]))
    func notAFinding(record: String, message: String) {
        let document = "[\n" + line(id: "before") + ",\n" + record + ",\n" + line(id: "after") + "\n]"
        let batch = read(document, source: "bad.json")
        #expect(batch.events.map { $0.eventID ?? "" } == ["before", "after"])
        #expect(batch.skippedRecords == 1)
        #expect(batch.diagnostics == [IngestDiagnostic(.error, source: "bad.json", line: 3, record: 2, message: message)])
    }

    @Test("Malformed JSON inside get-findings output: earlier records kept, error names record and line")
    func malformedDocument() throws {
        let document = "{\"Findings\": [\n" + line(id: "good") + ",\n"
            + #"{"id": "bad" "type": "T:X/Y"},"# + "\n" + line(id: "unreached") + "\n]}\n"
        let batch = read(document, source: "gf.json")
        #expect(batch.events.map { $0.eventID ?? "" } == ["good"])
        #expect(batch.skippedRecords == 1)
        let d = try #require(batch.diagnostics.first)
        #expect(batch.diagnostics.count == 1)
        #expect(d.severity == .error)
        #expect(d.line == 3)
        #expect(d.record == 2)
        #expect(d.message == "malformed JSON: unexpected '\"', expected ',' or '}'; the rest of the file was not read")
        #expect(d.description == "gf.json:3: record 2: malformed JSON: unexpected '\"', expected ',' or '}'; the rest of the file was not read")
    }

    @Test("Malformed JSON in a top-level array and a truncated single finding")
    func malformedArrayAndTruncated() {
        let array = read("[\n" + line(id: "one") + ",\n" + line(id: "two") + ",\n{\"id\": tru}\n]", source: "a.json")
        #expect(array.events.map { $0.eventID ?? "" } == ["one", "two"])
        #expect(array.diagnostics.map(\.record) == [3])
        #expect(array.diagnostics.map(\.line) == [4])
        #expect(array.diagnostics.first?.message.hasPrefix("malformed JSON: invalid literal") == true)

        let truncated = read(String(sshFinding.prefix(400)), source: "t.json")
        #expect(truncated.events.isEmpty)
        #expect(truncated.skippedRecords == 1)
        #expect(truncated.diagnostics.map(\.record) == [1])
        #expect(truncated.diagnostics.first?.message.hasPrefix("malformed JSON: ") == true)
    }

    @Test("A document that is not JSON at all")
    func notJSON() {
        let batch = read("Findings: none\n", source: "x.txt")
        #expect(batch.events.isEmpty)
        #expect(batch.diagnostics == [IngestDiagnostic(.error, source: "x.txt", line: 1, record: 1,
            message: "malformed JSON: unexpected 'F', expected a JSON object or array; the rest of the file was not read")])
    }

    @Test("Member names written with escapes still match")
    func escapedKeys() throws {
        let batch = read(#"{"\u0049d":"esc","T\u0079pe":"T:X/Y","Updated\u0041t":"2024-03-02T09:12:30.250Z","Severity":4}"#)
        let event = try #require(batch.events.first)
        #expect(event.eventID == "esc")
        #expect(event.action == "T:X/Y")
        #expect(event.time == updated1)
    }

    // MARK: Actions, principals and resources

    @Test("The source address comes from whichever action the finding has",
          arguments: [
            (#""actionType":"PORT_PROBE","portProbeAction":{"blocked":false,"portProbeDetails":[{"localPortDetails":{"port":3389}},{"remoteIpDetails":{"ipAddressV4":"203.0.113.9"}},{"remoteIpDetails":{"ipAddressV4":"203.0.113.10"}}]}"#,
             "PORT_PROBE", "203.0.113.9"),
            (#""actionType":"NETWORK_CONNECTION","networkConnectionAction":{"remoteIpDetails":{"ipAddressV6":"2001:db8::7"}}"#,
             "NETWORK_CONNECTION", "2001:db8::7"),
            (#""actionType":"KUBERNETES_API_CALL","kubernetesApiCallAction":{"requestUri":"/api/v1/secrets","remoteIpDetails":{"ipAddressV4":"198.51.100.61"},"userAgent":"kubectl/v1.29.0"}"#,
             "KUBERNETES_API_CALL", "198.51.100.61"),
            (#""actionType":"RDS_LOGIN_ATTEMPT","rdsLoginAttemptAction":{"remoteIpDetails":{"ipAddressV4":"192.0.2.200"}}"#,
             "RDS_LOGIN_ATTEMPT", "192.0.2.200"),
            (#""actionType":"AWS_API_CALL","awsApiCallAction":{"api":"GetCallerIdentity","remoteIpDetails":{"ipAddressV4":"192.0.2.1"}}"#,
             "AWS_API_CALL", "192.0.2.1"),
            (#""actionType":"DNS_REQUEST","dnsRequestAction":{"domain":"evil.example"}"#,
             "DNS_REQUEST", nil),
          ] as [(String, String, String?)])
    func sourceAddress(action: String, actionType: String, ip: String?) throws {
        let batch = read(line(id: "a", extra: #","service":{"action":{"# + action + "}}"))
        #expect(batch.diagnostics.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.finding?.actionType == actionType)
        #expect(event.sourceIP == ip)
    }

    @Test("Kubernetes findings carry the user agent; the action's agent wins over additionalInfo")
    func userAgents() throws {
        let k8s = read(line(id: "k", extra: #","service":{"action":{"kubernetesApiCallAction":{"userAgent":"kubectl/v1.29.0"}},"additionalInfo":{"userAgent":{"fullUserAgent":"ignored"}}}"#))
        #expect(k8s.events.first?.userAgent == "kubectl/v1.29.0")
        let api = read(line(id: "u", extra: #","service":{"action":{"awsApiCallAction":{"userAgent":{"fullUserAgent":"Boto3/1.34.0","userAgentCategory":"SDK"}}}}"#))
        #expect(api.events.first?.userAgent == "Boto3/1.34.0")
    }

    @Test("Principal types map through CloudTrail's spelling",
          arguments: zip(["IAMUser", "AssumedRole", "Root", "FederatedUser", "Martian"],
                         [Principal.IdentityType.iamUser, .assumedRole, .root, .federatedUser, .unknown]))
    func principalTypes(userType: String, expected: Principal.IdentityType) throws {
        let batch = read(line(id: "p", extra: #","resource":{"accessKeyDetails":{"accessKeyId":"AKIAEXAMPLE","userName":"u1","userType":"\#(userType)"}}"#))
        let principal = try #require(batch.events.first?.principal)
        #expect(principal == Principal(type: expected, userName: "u1"))
        #expect(batch.events.first?.accessKeyID == "AKIAEXAMPLE")
    }

    @Test("Resources: what a responder pivots on, deduplicated, empties dropped")
    func resources() throws {
        let extra = #","resource":{"instanceDetails":{"instanceId":"i-0123"},"accessKeyDetails":{"accessKeyId":"i-0123"},"eksClusterDetails":{"name":"prod-eks"},"ecsClusterDetails":{"name":"jobs"},"rdsDbInstanceDetails":{"dbInstanceIdentifier":"orders-db"},"lambdaDetails":{"functionName":"thumbnailer"},"s3BucketDetails":[{"name":""},{"name":"logs-bucket"}]},"service":{"action":{"dnsRequestAction":{"domain":"c2.example.org."}}}"#
        let batch = read(line(id: "r", extra: extra))
        let event = try #require(batch.events.first)
        #expect(event.resources == ["i-0123", "logs-bucket", "prod-eks", "jobs", "orders-db", "thumbnailer", "c2.example.org"])
    }

    @Test("Repeated findings are all emitted (the store deduplicates)")
    func repeatedFindings() {
        let batch = read(line(id: "same", extra: #","service":{"count":1}"#) + "\n" + line(id: "same", extra: #","service":{"count":5}"#))
        #expect(batch.events.map { $0.finding?.count ?? 0 } == [1, 5])
    }

    // MARK: looksLike

    @Test("looksLike recognises every shape, also from a truncated sample",
          arguments: [
            "{\n  \"Findings\": [\n" + sshFinding + "]}",
            s3FindingCamel,
            s3FindingPascal,
            eventBridgeFinding,
            "[" + eventBridgeFinding + "]",
            line(id: "x1", extra: #","arn":"arn:aws:guardduty:ap-southeast-2:777788889999:detector/d/finding/x1""#) + "\n",
            String(eventBridgeFinding.prefix(120)),
            String(sshFinding.prefix(160)),
            "\u{FEFF}" + s3FindingCamel,
            #"{"schemaVersion":"2.0","id":"n","type":"T:X/Y","severity":2,"resource":{}}"#,
          ])
    func looksLikeTrue(sample: String) {
        #expect(looksLike(sample))
    }

    @Test("looksLike rejects other logs",
          arguments: [
            "",
            "   ",
            "[]",
            #"{"Records":[{"eventVersion":"1.08","eventSource":"guardduty.amazonaws.com","eventName":"GetFindings","resources":[{"ARN":"arn:aws:guardduty:us-east-1:111122223333:detector/d1/finding/f1"}]}]}"#,
            #"{"version":"1.100000","account_id":"111122223333","region":"eu-west-1","query_name":"example.com.","query_type":"A","rcode":"NOERROR"}"#,
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
            #"{"Findings":[{"SchemaVersion":"2018-10-08","ProductArn":"arn:aws:securityhub:us-east-1::product/aws/guardduty","GeneratorId":"x","Id":"arn:aws:guardduty:us-east-1:111122223333:detector/d1/finding/f1","Severity":{"Label":"HIGH"}}]}"#,
            #"{"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2"}"#,
            "Mar  2 09:12:30 host sshd[123]: Failed password for root from 203.0.113.5 port 4242 ssh2\n",
          ])
    func looksLikeFalse(sample: String) {
        #expect(!looksLike(sample))
    }

    // MARK: Public samples

    @Test("Public GuardDuty samples (when ../shared/data is present) read with the right type and severity")
    func publicSamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/guardduty")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue,
              let walker = FileManager.default.enumerator(atPath: root.path) else { return }
        var files: [String] = []
        while let name = walker.nextObject() as? String {
            if name.hasSuffix(".json") { files.append(name) }
        }
        #expect(files.count >= 18)
        for name in files.sorted() {
            let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(name)))
            #expect(bytes.withUnsafeBytes { GuardDutyReader.looksLike(UnsafeRawBufferPointer(rebasing: $0.prefix(4096))) },
                    "\(name) sniffed")
            var batch = IngestBatch()
            bytes.withUnsafeBytes { GuardDutyReader.read($0, source: name, into: &batch) }
            #expect(batch.diagnostics.isEmpty, "\(name): \(batch.diagnostics)")
            try #require(batch.events.count == 1, "\(name)")
            let event = batch.events[0]
            // Expected values read independently, by path.
            let detail = JSONPath("detail")!.strings(inRecord: bytes).isEmpty ? "" : "detail."
            let type = JSONPath(detail + (detail.isEmpty ? "type" : "Type"))!.strings(inRecord: bytes).first
            let score = JSONPath(detail + (detail.isEmpty ? "severity" : "Severity"))!.strings(inRecord: bytes).first
                .flatMap(Double.init)
            let id = JSONPath(detail + (detail.isEmpty ? "id" : "Id"))!.strings(inRecord: bytes).first
            #expect(type != nil && event.action == type, "\(name)")
            #expect(event.finding?.type == type)
            #expect(event.eventID == id)
            #expect(event.finding?.score == score, "\(name)")
            #expect(event.finding?.severity == score.map { FindingFields.Severity(guardDutyScore: $0) })
            var end = bytes.count
            while end > 0, JSONScanner.isWhitespace(bytes[end - 1]) { end -= 1 }
            #expect(event.raw == Array(bytes[0..<end]), "\(name) raw is the whole record")
            #expect(event.region == "us-east-1")
        }
    }
}
