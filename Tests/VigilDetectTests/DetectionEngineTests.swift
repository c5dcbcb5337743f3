import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

@Suite("Detection engine")
struct DetectionEngineTests {
    static let createKey = """
    title: Access key created
    id: test-create-key
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {eventSource: iam.amazonaws.com, eventName: CreateAccessKey}
        condition: selection
    level: high
    """

    @Test("repeated matches on one entity fold into one finding with a count")
    func folding() {
        let lines = (0..<5).map { i in DetectFixtures.cloudTrail("CreateAccessKey", time: "2026-03-02T10:0\(i):00Z", user: "alice") }
            + [DetectFixtures.cloudTrail("CreateAccessKey", time: "2026-03-02T11:00:00Z", user: "bob")]
        let findings = DetectFixtures.findings(Self.createKey, lines)
        #expect(findings.count == 2)
        let alice = findings.first { $0.primaryEntity?.value.hasSuffix("user/alice") == true }
        #expect(alice?.count == 5)
        #expect(alice?.evidence.count == 5)
        #expect(alice?.firstSeen.description == "2026-03-02T10:00:00Z")
        #expect(alice?.lastSeen.description == "2026-03-02T10:04:00Z")
        #expect(alice?.severity == .high)
        #expect(alice?.entities.contains(Entity(.sourceIP, "203.0.113.10")) == true)
        #expect(alice?.entities.contains(Entity(.accessKey, "AKIAEXAMPLEALICE")) == true)
    }

    @Test("a finding's entities come from all its evidence, in order of first appearance, each once")
    func entitiesFromRepeatedEvidence() {
        // Five calls by alice: the same principal, key and account throughout, and a second address only in the
        // fourth (evidence that repeats what came before is passed over without spelling it out again).
        let ips = ["203.0.113.10", "203.0.113.10", "203.0.113.10", "203.0.113.11", "203.0.113.10"]
        let lines = ips.enumerated().map { i, ip in
            DetectFixtures.cloudTrail("CreateAccessKey", time: "2026-03-02T10:0\(i):00Z", user: "alice", ip: ip)
        }
        let findings = DetectFixtures.findings(Self.createKey, lines)
        let alice = findings.first
        #expect(findings.count == 1 && alice?.evidence.count == 5)
        let entities = alice?.entities ?? []
        #expect(Set(entities).count == entities.count, "each entity once")
        let addresses = entities.filter { $0.kind == .sourceIP }.map(\.value)
        #expect(addresses == ["203.0.113.10", "203.0.113.11"])
        #expect(entities.first == alice?.primaryEntity)
        #expect(entities.contains(Entity(.accessKey, "AKIAEXAMPLEALICE")))
    }

    @Test("many findings get their entities worked out on all cores, each from its own evidence")
    func manyFindingsEntities() {
        // 100 users, each creating a key twice from an address of its own: 100 findings, enough for the parallel path.
        let lines = (0..<100).flatMap { u in
            (0..<2).map { k in
                DetectFixtures.cloudTrail("CreateAccessKey", time: "2026-03-02T10:0\(k):\(u % 60 < 10 ? "0" : "")\(u % 60)Z",
                                          user: "user\(u)", ip: "198.51.100.\(u)")
            }
        }
        let findings = DetectFixtures.findings(Self.createKey, lines)
        #expect(findings.count == 100)
        for finding in findings {
            guard let user = finding.primaryEntity?.value.split(separator: "/").last, let n = Int(user.dropFirst(4)) else {
                Issue.record("unexpected entity \(String(describing: finding.primaryEntity))")
                continue
            }
            #expect(finding.entities.first == finding.primaryEntity)
            #expect(finding.entities.contains(Entity(.sourceIP, "198.51.100.\(n)")))
            #expect(finding.entities.contains(Entity(.accessKey, "AKIAEXAMPLEUSER\(n)")))
            #expect(!finding.entities.contains(Entity(.sourceIP, "198.51.100.\((n + 1) % 100)")))
        }
    }

    @Test("an unrelated event does not fire; a wildcard eventName is dispatched correctly")
    func dispatch() {
        let rule = """
        title: Deletes
        id: test-deletes
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {eventName|startswith: Delete}
            filter: {eventSource: s3.amazonaws.com}
            condition: selection and not filter
        """
        let lines = [
            DetectFixtures.cloudTrail("DeleteUser"),
            DetectFixtures.cloudTrail("DeleteBucket", source: "s3.amazonaws.com"),
            DetectFixtures.cloudTrail("ListUsers"),
            DetectFixtures.cloudTrail("DeleteRole", time: "2026-03-02T10:05:00Z"),
        ]
        let findings = DetectFixtures.findings(rule, lines)
        #expect(findings.count == 1)
        #expect(findings.first?.count == 2)
    }

    @Test("a rule with no eventName constraint runs on every event")
    func undispatched() {
        let rule = """
        title: Scanner agent
        id: test-agent
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {userAgent|contains: trufflehog}
            condition: selection
        """
        let lines = [
            DetectFixtures.cloudTrail("GetCallerIdentity", source: "sts.amazonaws.com", agent: "TruffleHog"),
            DetectFixtures.cloudTrail("ListBuckets", source: "s3.amazonaws.com", agent: "trufflehog/3.0"),
            DetectFixtures.cloudTrail("ListBuckets", source: "s3.amazonaws.com", agent: "aws-cli/2"),
        ]
        #expect(DetectFixtures.findings(rule, lines).first?.count == 2)
    }

    @Test("fieldref, exists, null, numbers and nested paths")
    func modifiers() {
        let rule = """
        title: Key for someone else
        id: test-fieldref
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection:
                eventName: CreateAccessKey
                requestParameters.userName|exists: true
            self: {requestParameters.userName|fieldref: userIdentity.userName}
            condition: selection and not self
        """
        let other = DetectFixtures.cloudTrail("CreateAccessKey", user: "alice", extra: #""requestParameters":{"userName":"mallory"}"#)
        let own = DetectFixtures.cloudTrail("CreateAccessKey", user: "bob", extra: #""requestParameters":{"userName":"BOB"}"#)
        let none = DetectFixtures.cloudTrail("CreateAccessKey", user: "carol", extra: #""requestParameters":null"#)
        let findings = DetectFixtures.findings(rule, [other, own, none])
        #expect(findings.map { $0.primaryEntity!.value } == ["arn:aws:iam::111122223333:user/alice"])

        let nullRule = """
        title: No MFA info
        id: test-null
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {eventName: ConsoleLogin, additionalEventData.MFAUsed: null}
            big: {requestParameters.maxItems|gte: 500}
            condition: selection or big
        """
        let login = DetectFixtures.cloudTrail("ConsoleLogin", source: "signin.amazonaws.com", user: "dan")
        let withMFA = DetectFixtures.cloudTrail("ConsoleLogin", source: "signin.amazonaws.com", user: "erin", extra: #""additionalEventData":{"MFAUsed":"Yes"}"#)
        let list = DetectFixtures.cloudTrail("ListUsers", user: "frank", extra: #""requestParameters":{"maxItems":1000}"#)
        let small = DetectFixtures.cloudTrail("ListUsers", user: "gina", extra: #""requestParameters":{"maxItems":100}"#)
        let names = DetectFixtures.findings(nullRule, [login, withMFA, list, small]).map { $0.primaryEntity!.value }.sorted()
        #expect(names == ["arn:aws:iam::111122223333:user/dan", "arn:aws:iam::111122223333:user/frank"])
    }

    @Test("contains|all over a policy document held as a JSON string")
    func policyDocument() {
        let rule = """
        title: Admin inline policy
        id: test-policy
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection:
                eventName: PutUserPolicy
                requestParameters|contains|all: ['"Effect": "Allow"', '"Action": "\\*"']
            condition: selection
        """
        let doc = #"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"#
        let admin = DetectFixtures.cloudTrail("PutUserPolicy", extra: #""requestParameters":{"userName":"x","policyDocument":"\#(doc)"}"#)
        let narrow = DetectFixtures.cloudTrail("PutUserPolicy", user: "bob", extra: #""requestParameters":{"userName":"x","policyDocument":"{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\"}"}"#)
        #expect(DetectFixtures.findings(rule, [admin, narrow]).count == 1)
    }

    @Test("intel lists are offered to rules with |intel")
    func intel() {
        let rule = """
        title: Call from a listed address
        id: test-intel
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {sourceIPAddress|intel: tor-exits}
            condition: selection
        """
        var intel = ThreatIntel()
        let bad = intel.add(name: "tor-exits", text: "# exits\n203.0.113.0/28\n198.51.100.9 2024-01-01\nnot an address!\n")
        #expect(bad.count == 1)
        #expect(bad.first?.line == 4)
        let lines = [DetectFixtures.cloudTrail("ListUsers", ip: "203.0.113.10"), DetectFixtures.cloudTrail("ListUsers", user: "b", ip: "203.0.113.99"),
                     DetectFixtures.cloudTrail("ListUsers", user: "c", ip: "198.51.100.9")]
        #expect(DetectFixtures.findings(rule, lines, intel: intel).count == 2)
    }

    @Test("feeding events in pieces gives the same findings as all at once")
    func piecewise() {
        let yaml = """
        title: Failed login
        id: test-failed
        name: failed-login
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}
            condition: selection
        ---
        title: Brute force
        id: test-brute
        correlation: {type: event_count, rules: [failed-login], group-by: [sourceIPAddress], timespan: 10m, condition: {gte: 5}}
        level: high
        ---
        title: Key created
        id: test-key
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {eventName: CreateAccessKey}
            condition: selection
        """
        var lines: [String] = []
        for i in 0..<40 {
            let minute = String(format2(i / 4)), second = String(format2((i % 4) * 15))
            if i % 3 == 0 {
                lines.append(DetectFixtures.cloudTrail("CreateAccessKey", time: "2026-03-02T10:\(minute):\(second)Z", user: "u\(i % 5)"))
            } else {
                lines.append(DetectFixtures.cloudTrail("ConsoleLogin", source: "signin.amazonaws.com", time: "2026-03-02T10:\(minute):\(second)Z",
                                                       user: "u\(i % 7)", ip: "198.51.100.\(i % 2)", extra: #""responseElements":{"ConsoleLogin":"Failure"}"#))
            }
        }
        let set = DetectFixtures.rules(yaml)
        #expect(set.errors.isEmpty)
        let store = DetectFixtures.store(lines)
        let whole = DetectionEngine(store: store, rules: set, guardDutyFindings: false)
        whole.processAll()
        let ids = store.idsInTimeOrder()
        for cut in [1, 7, 20, 39] {
            let pieces = DetectionEngine(store: store, rules: set, guardDutyFindings: false)
            pieces.process(Array(ids[..<cut]))
            pieces.process(Array(ids[cut...]))
            #expect(Self.signature(pieces.findings) == Self.signature(whole.findings))
        }
        #expect(whole.findings.contains { $0.ruleID == "test-brute" })
        // The base rule of a correlation does not report on its own (generate: false).
        #expect(!whole.findings.contains { $0.ruleID == "test-failed" })
    }

    @Test("matching on all cores gives the same findings as matching on one", .enabled(if: System.cores > 1))
    func parallel() {
        var lines: [String] = []
        let names = ["ConsoleLogin", "CreateAccessKey", "ListUsers", "GetUser", "DeleteUser"]
        for i in 0..<3000 {
            let t = "2026-03-02T\(format2(10 + i / 3600)):\(format2(i / 60 % 60)):\(format2(i % 60))Z"
            let name = names[i % 5]
            let extra = name == "ConsoleLogin" ? #""responseElements":{"ConsoleLogin":"Failure"}"# : ""
            lines.append(DetectFixtures.cloudTrail(name, source: name == "ConsoleLogin" ? "signin.amazonaws.com" : "iam.amazonaws.com",
                                                   time: t, user: "u\(i % 13)", ip: "198.51.100.\(i % 3)", extra: extra))
        }
        Self.expectSameOnAllCores(DetectFixtures.store(lines))
    }

    @Test("flow detectors on all cores give the same findings, in the same order, as on one", .enabled(if: System.cores > 1))
    func parallelDetectors() {
        var lines: [String] = []
        for i in 0..<4000 {
            let start = 1_772_445_600 + i
            // A scan of many ports from one address, brute force on 22, big transfers, and ordinary traffic.
            switch i % 4 {
            case 0: lines.append("2 111122223333 eni-1 203.0.113.66 10.0.0.5 40000 \(1 + i / 4) 6 1 40 \(start) \(start + 1) REJECT OK")
            case 1: lines.append("2 111122223333 eni-1 198.51.100.\(i % 7) 10.0.0.5 5\(i % 1000) 22 6 3 180 \(start) \(start + 2) REJECT OK")
            case 2: lines.append("2 111122223333 eni-2 10.0.0.9 192.0.2.\(i % 5) 443\(i % 10) 443 6 900 2000000000 \(start) \(start + 50) ACCEPT OK")
            default: lines.append("2 111122223333 eni-3 10.0.0.7 10.0.1.\(i % 9) 33\(i % 100) 443 6 10 800 \(start) \(start + 5) ACCEPT OK")
            }
        }
        Self.expectSameOnAllCores(DetectFixtures.store(lines), expectingDetectorFindings: true)
    }

    /// Runs the built-in rules and the standard detectors over `store` on one core and on all, and compares.
    static func expectSameOnAllCores(_ store: EventStore, expectingDetectorFindings: Bool = false) {
        let set = RuleSet.load(includeBuiltIn: true)
        let serial = DetectionEngine(store: store, rules: set, detectors: StandardDetectors.make(intel: ThreatIntel()),
                                     guardDutyFindings: false)
        serial.parallelThreshold = .max
        serial.processAll()
        let parallel = DetectionEngine(store: store, rules: set, detectors: StandardDetectors.make(intel: ThreatIntel()),
                                       guardDutyFindings: false)
        parallel.parallelThreshold = 1
        parallel.chunkSize = 64
        parallel.processAll()
        #expect(!serial.findings.isEmpty)
        if expectingDetectorFindings { #expect(serial.findings.filter { $0.ruleID.hasPrefix("vigil.") }.count >= 2) }
        #expect(Self.signature(parallel.findings) == Self.signature(serial.findings))
        #expect(parallel.matchCounts == serial.matchCounts)
    }

    static func signature(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.id) \($0.count) \($0.firstSeen) \($0.lastSeen) \($0.evidence)" }
    }
}

private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
