import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite struct InstanceCredentialsOutsideDetectorTests {
    typealias F = DetectorFixtures
    let day = DetectorFixtures.day

    /// An instance that calls through a VPC endpoint (10.20.1.21) and through its public address (192.0.2.10).
    var instanceAtHome: [String] {
        [
            F.roleCall("GetObject", at: day, ip: "10.20.1.21"),
            F.roleCall("PutMetricData", service: "monitoring.amazonaws.com", at: day + 60, ip: "192.0.2.10"),
            F.roleCall("PutMetricData", service: "monitoring.amazonaws.com", at: day + 7200, ip: "192.0.2.10"),
            F.roleCall("GetObject", at: day + 7300, ip: "10.20.1.21"),
            F.roleCall("DescribeInstances", service: "ec2.amazonaws.com", at: day + 7400, ip: "ec2.amazonaws.com"),
        ]
    }

    @Test("an instance session calling from an unknown public address is reported, high, on the instance")
    func reportsOutsideUse() {
        let lines = instanceAtHome + [
            F.roleCall("ListBuckets", at: day + 10_800, ip: "203.0.113.50", agent: "Boto3/1.34.69"),
            F.roleCall("GetCallerIdentity", service: "sts.amazonaws.com", at: day + 10_860, ip: "203.0.113.50"),
        ]
        let findings = F.findings([InstanceCredentialsOutsideDetector()], F.store(lines))
        #expect(findings.count == 1)
        let finding = findings.first
        #expect(finding?.ruleID == "vigil.credentials.instance-credentials-outside")
        #expect(finding?.severity == .high)
        #expect(finding?.primaryEntity == Entity(.instance, "i-0123456789abcdef0"))
        #expect(finding?.count == 2)
        #expect(finding?.summary?.contains("203.0.113.50") == true)
        #expect(finding?.summary?.contains("192.0.2.10") == true)
        #expect(finding?.entities.contains(Entity(.sourceIP, "203.0.113.50")) == true)
    }

    @Test("sessions recognised by ec2RoleDelivery rather than their name are watched too")
    func roleDeliverySessions() {
        let lines = [
            F.roleCall("GetObject", at: day, session: "custom-session", ip: "192.0.2.10", roleDelivery: true),
            F.roleCall("GetObject", at: day + 3600, session: "custom-session", ip: "198.51.100.200", roleDelivery: true),
        ]
        let findings = F.findings([InstanceCredentialsOutsideDetector()], F.store(lines))
        #expect(findings.map(\.primaryEntity) == [Entity(.principal, "arn:aws:sts::111122223333:assumed-role/app-server-instance-role/custom-session")])
    }

    @Test("learned and internal addresses, service sources and non-instance sessions are not reported")
    func quietCases() {
        let lines = instanceAtHome + [
            // A container task role moving between NAT and endpoint addresses is not an instance session.
            F.roleCall("GetObject", at: day, role: "orders-api-task", session: "7a87bba6f8a82743836f8440d3556ddc", ip: "10.20.1.77"),
            F.roleCall("GetObject", at: day + 7200, role: "orders-api-task", session: "7a87bba6f8a82743836f8440d3556ddc", ip: "192.0.2.201"),
            F.roleCall("GetObject", at: day + 9000, role: "orders-api-task", session: "7a87bba6f8a82743836f8440d3556ddc", ip: "198.51.100.3"),
            // An IAM user is never an instance session.
            F.userCall("ListBuckets", at: day + 9000, ip: "203.0.113.50"),
            // A second instance whose first public address arrives within its learning period.
            F.roleCall("GetObject", at: day + 100, session: "i-0fedcba9876543210", ip: "10.30.1.5"),
            F.roleCall("GetObject", at: day + 300, session: "i-0fedcba9876543210", ip: "198.51.100.30"),
            F.roleCall("GetObject", at: day + 9000, session: "i-0fedcba9876543210", ip: "198.51.100.30"),
        ]
        #expect(F.findings([InstanceCredentialsOutsideDetector()], F.store(lines)).isEmpty)
    }

    @Test("same findings whether the events are fed at once or in two pieces")
    func piecesMatchWhole() {
        var lines = instanceAtHome
        for k in 0..<6 {
            lines.append(F.roleCall("GetObject", at: day + 10_000 + Int64(k) * 300, session: k % 2 == 0 ? "i-0123456789abcdef0" : "i-0fedcba9876543210",
                                    ip: k < 2 ? "192.0.2.\(20 + k)" : "203.0.113.\(k)"))
        }
        F.expectSameInPieces({ [InstanceCredentialsOutsideDetector()] }, F.store(lines))
    }
}
