import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct FirstSeenDetectorTests {
    typealias F = DetectorFixtures
    let day = DetectorFixtures.day

    static func all(learningPeriod: Int64 = 24 * 3_600_000) -> [any Detector] {
        FirstSeenDetector.Dimension.allCases.map { FirstSeenDetector(dimension: $0, learningPeriod: learningPeriod) }
    }

    /// Alice's first day: the office address, the CLI, us-east-1, ec2:DescribeInstances.
    var aliceFirstDay: [String] {
        [F.userCall("DescribeInstances", at: day + 3600), F.userCall("DescribeInstances", at: day + 7200)]
    }

    @Test("new address, tool, region and API after the learning period are each reported under their own rule")
    func reportsEachDimension() {
        let lines = aliceFirstDay + [
            F.userCall("DescribeInstances", at: day + 90_000),  // 25 h: nothing new
            F.userCall("ListUsers", service: "iam.amazonaws.com", at: day + 91_000, ip: "203.0.113.77",
                       agent: "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.15.0", region: "ap-southeast-2"),
        ]
        let findings = F.findings(Self.all(), F.store(lines))
        let byRule = Dictionary(uniqueKeysWithValues: findings.map { ($0.ruleID, $0) })
        #expect(Set(byRule.keys) == ["vigil.baseline.new-source-ip", "vigil.baseline.new-user-agent",
                                     "vigil.baseline.new-region", "vigil.baseline.new-api"])
        for finding in findings {
            #expect(finding.primaryEntity == Entity(.principal, "arn:aws:iam::111122223333:user/alice"))
            #expect(finding.count == 1)
            #expect(finding.source == .detector)
        }
        #expect(byRule["vigil.baseline.new-region"]?.severity == .medium)
        #expect(byRule["vigil.baseline.new-source-ip"]?.severity == .low)
        #expect(byRule["vigil.baseline.new-source-ip"]?.summary?.contains("203.0.113.77") == true)
        #expect(byRule["vigil.baseline.new-user-agent"]?.summary?.contains("boto3") == true)
        #expect(byRule["vigil.baseline.new-region"]?.summary?.contains("ap-southeast-2") == true)
        #expect(byRule["vigil.baseline.new-api"]?.summary?.contains("iam:ListUsers") == true)
    }

    @Test("values first seen while learning, AWS service principals and non-address sources are not reported")
    func quietWhileLearningAndForServices() {
        let lines = aliceFirstDay + [
            F.userCall("DescribeInstances", at: day + 72_000, ip: "203.0.113.9"),       // 20 h: still learning
            F.userCall("DescribeInstances", at: day + 108_000, ip: "203.0.113.9"),      // 30 h: already known
            F.userCall("GetBucketAcl", service: "s3.amazonaws.com", at: day + 3600, user: "svc", ip: "config.amazonaws.com"),
            F.userCall("ListRoles", service: "iam.amazonaws.com", at: day + 108_000, ip: "AWS Internal", agent: "AWS Internal",
                       region: "eu-west-1"),
            F.userCall("Decrypt", service: "kms.amazonaws.com", at: day + 3600, user: "lambda", ip: "lambda.amazonaws.com",
                       type: "AWSService"),
            F.userCall("Encrypt", service: "kms.amazonaws.com", at: day + 108_000, user: "lambda", ip: "198.51.100.7",
                       type: "AWSService"),
        ]
        #expect(F.findings(Self.all(), F.store(lines)).isEmpty)
    }

    @Test("role sessions are baselined per role, Identity Center sessions per person")
    func groupsRoleSessions() {
        let lines = [
            F.roleCall("GetObject", at: day + 3600, role: "ci-deploy", session: "gha-run-1", ip: "198.51.100.181"),
            F.roleCall("GetObject", at: day + 108_000, role: "ci-deploy", session: "gha-run-2", ip: "198.51.100.181"),
            F.roleCall("GetObject", at: day + 109_000, role: "ci-deploy", session: "gha-run-3", ip: "198.51.100.99"),
            F.roleCall("ListBuckets", at: day + 3600, role: "AWSReservedSSO_Admin_5f3e", session: "elena@example.com", ip: "192.0.2.50"),
            F.roleCall("ListBuckets", at: day + 108_000, role: "AWSReservedSSO_Admin_5f3e", session: "bob@example.com", ip: "192.0.2.60"),
        ]
        let findings = F.findings([FirstSeenDetector(dimension: .sourceIP)], F.store(lines))
        #expect(findings.map(\.primaryEntity) == [Entity(.role, "arn:aws:iam::111122223333:role/ci-deploy")])
        #expect(findings.first?.summary?.contains("198.51.100.99") == true)
    }

    @Test("a principal past its value cap is saturated and silent; evicted principals learn again without reports")
    func boundedState() {
        var lines = ["192.0.2.1", "192.0.2.2", "192.0.2.3"].map { F.userCall("DescribeInstances", at: day + 3600, ip: $0) }
        lines += ["198.51.100.4", "198.51.100.5"].map { F.userCall("DescribeInstances", at: day + 100_000, ip: $0) }
        #expect(F.findings([FirstSeenDetector(dimension: .sourceIP, maximumValuesPerPrincipal: 3)], F.store(lines)).isEmpty)

        // Room for two principals: u3's arrival evicts u1, the least recently active.
        let evicting = [
            F.userCall("DescribeInstances", at: day + 3600, user: "u1"),
            F.userCall("DescribeInstances", at: day + 3601, user: "u2"),
            F.userCall("DescribeInstances", at: day + 3602, user: "u3"),
            F.userCall("DescribeInstances", at: day + 100_000, user: "u1", ip: "203.0.113.1"),  // re-learning: silent
            F.userCall("DescribeInstances", at: day + 100_001, user: "u3", ip: "203.0.113.3"),  // kept: reported
        ]
        let findings = F.findings([FirstSeenDetector(dimension: .sourceIP, maximumPrincipals: 2)], F.store(evicting))
        #expect(findings.map(\.primaryEntity?.value) == ["arn:aws:iam::111122223333:user/u3"])
    }

    @Test("the learning period is configurable")
    func configurableLearning() {
        let lines = aliceFirstDay + [F.userCall("DescribeInstances", at: day + 3 * 3600, ip: "203.0.113.9")]
        #expect(F.findings(Self.all(), F.store(lines)).isEmpty)
        let short = F.findings(Self.all(learningPeriod: 3_600_000), F.store(lines))
        #expect(short.map(\.ruleID) == ["vigil.baseline.new-source-ip"])
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        var lines = aliceFirstDay
        for k in 0..<12 {
            lines.append(F.userCall(k % 2 == 0 ? "GetUser" : "ListRoles", service: "iam.amazonaws.com", at: day + 90_000 + Int64(k) * 60,
                                    ip: "203.0.113.\(k % 4)", agent: k % 3 == 0 ? "TruffleHog" : "aws-cli/2.15.0",
                                    region: k % 5 == 0 ? "eu-west-1" : "us-east-1"))
        }
        F.expectSameInPieces({ Self.all() }, F.store(lines))
    }

    @Test("user agents are reduced to their product, role session ARNs to their role")
    func normalisation() {
        #expect(FirstSeenDetector.product(ofUserAgent: "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0 exe/x86_64") == "aws-cli")
        #expect(FirstSeenDetector.product(ofUserAgent: "[Boto3/1.34.69 md/Botocore#1.34.69]") == "boto3")
        #expect(FirstSeenDetector.product(ofUserAgent: "AWS Internal") == "aws internal")
        #expect(FirstSeenDetector.product(ofUserAgent: "console.amazonaws.com") == "console.amazonaws.com")
        #expect(FirstSeenDetector.product(ofUserAgent: "TruffleHog") == "trufflehog")
        #expect(FirstSeenDetector.group(principal: "arn:aws:sts::111122223333:assumed-role/ci-deploy/gha-1")
            == Entity(.role, "arn:aws:iam::111122223333:role/ci-deploy"))
        #expect(FirstSeenDetector.group(principal: "arn:aws-cn:sts::111122223333:assumed-role/app/i-0abc")
            == Entity(.role, "arn:aws-cn:iam::111122223333:role/app"))
        #expect(FirstSeenDetector.group(principal: "arn:aws:iam::111122223333:user/alice")
            == Entity(.principal, "arn:aws:iam::111122223333:user/alice"))
    }
}
