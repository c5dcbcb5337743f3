import Synchronization
import Testing
import VigilCore
import VigilIngest
import VigilStore
@testable import VigilDetect

/// Builders of small synthetic log lines for the detector tests, and runners that feed them to detectors alone.
enum DetectorFixtures {
    /// 2026-03-10T00:00:00Z, in seconds.
    static let day: Int64 = 1_773_100_800

    // MARK: Stores

    /// A store built from groups of lines, each group one file in one format (formats cannot be mixed in a file).
    static func store(_ groups: [String]...) -> EventStore {
        var events: [Event] = []
        for lines in groups where !lines.isEmpty {
            var batch = IngestBatch()
            let text = Array(lines.joined(separator: "\n").utf8)
            text.withUnsafeBytes { b in
                _ = Ingestor.read(b, source: "test", options: IngestOptions(year: 2026),
                                  referenceTime: Timestamp(seconds: day), into: &batch)
            }
            precondition(batch.diagnostics.allSatisfy { $0.severity != .error }, "\(batch.diagnostics)")
            events += batch.events
        }
        return EventStore.build(events)
    }

    /// Findings of `detectors` alone (no rules, no GuardDuty pass-through) over every event of `store`.
    static func findings(_ detectors: [any Detector], _ store: EventStore, intel: ThreatIntel = ThreatIntel()) -> [Finding] {
        let engine = DetectionEngine(store: store, rules: RuleSet(), detectors: detectors, intel: intel, guardDutyFindings: false)
        engine.processAll()
        return engine.findings
    }

    /// Checks that feeding the events in two pieces, cut at several places, gives the findings of feeding them at
    /// once. `make` builds fresh detectors for each run.
    static func expectSameInPieces(_ make: () -> [any Detector], _ store: EventStore, intel: ThreatIntel = ThreatIntel(),
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = DetectionEngine(store: store, rules: RuleSet(), detectors: make(), intel: intel, guardDutyFindings: false)
        whole.processAll()
        let expected = signature(whole.findings)
        #expect(!expected.isEmpty, "the pieces test needs findings to compare", sourceLocation: sourceLocation)
        let ids = store.idsInTimeOrder()
        for cut in Set([1, ids.count / 3, ids.count / 2, ids.count - 1]) where cut > 0 && cut < ids.count {
            let pieces = DetectionEngine(store: store, rules: RuleSet(), detectors: make(), intel: intel, guardDutyFindings: false)
            pieces.process(Array(ids[..<cut]))
            pieces.process(Array(ids[cut...]))
            #expect(signature(pieces.findings) == expected, "cut at \(cut)", sourceLocation: sourceLocation)
        }
    }

    /// Checks that a detector's run-at-once entry points (``Detector/observe(_:in:report:)`` with a slice of ids,
    /// and its parts run one by one and merged as the engine merges them) report exactly what asking it about each
    /// event in turn does: the same hits, raised by the same events, in the same order. `make` builds a fresh
    /// detector for each run.
    static func expectBatchMatchesEach(_ make: () -> any Detector, _ store: EventStore,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = store.idsInTimeOrder()
        let single = make()
        var each: [String] = []
        for (position, id) in ids.enumerated() where single.kinds.contains(store.kind(of: id)) {
            single.observe(id, in: store) { each.append(hitSignature(position, $0)) }
        }
        #expect(!each.isEmpty, "the comparison needs hits", sourceLocation: sourceLocation)
        var batch: [String] = []
        make().observe(ids[...], in: store) { batch.append(hitSignature($0, $1)) }
        #expect(batch == each, sourceLocation: sourceLocation)
        // Part by part, merged as the engine merges them.
        let parts = DetectionEngine.hits(of: make(), ids[...], in: store).map { hitSignature($0.position, $0.hit) }
        #expect(parts == each, sourceLocation: sourceLocation)
    }

    private static func hitSignature(_ position: Int, _ hit: DetectorHit) -> String {
        "\(position) \(hit.primary) \(hit.time) \(hit.events) \(hit.count) \(hit.summary ?? "")"
    }

    static func signature(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.id) \($0.severity) \($0.count) \($0.firstSeen) \($0.lastSeen) \($0.evidence) \($0.summary ?? "")" }
    }

    // MARK: Flow logs

    /// A version-2 default-format flow record (no instance id).
    static func flow(_ source: String, _ destination: String, _ sourcePort: Int, _ destinationPort: Int, at seconds: Int64,
                     packets: Int = 10, bytes: Int = 1200, action: String = "ACCEPT", interface: String = "eni-0a1b2c3d4e5f60718") -> String {
        "2 111122223333 \(interface) \(source) \(destination) \(sourcePort) \(destinationPort) 6 \(packets) \(bytes) \(seconds) \(seconds + 55) \(action) OK"
    }

    static let flowV5Header = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport "
        + "pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status region az-id flow-direction traffic-path"

    /// A version-5 flow record with an instance id (follow ``flowV5Header``).
    static func flowV5(_ source: String, _ destination: String, _ sourcePort: Int, _ destinationPort: Int, at seconds: Int64,
                       instance: String = "i-0a7f3c9e21b4d5f68", interface: String = "eni-0e5d4c3b2a1908f76",
                       packets: Int = 15, bytes: Int = 3000, action: String = "ACCEPT", direction: String = "egress") -> String {
        "5 vpc-0d4e5f6a7b8c9d0e1 subnet-0f3e2d1c0b9a8e7d6 \(instance) \(interface) 111122223333 IPv4 \(source) \(destination) "
            + "\(sourcePort) \(destinationPort) \(source) \(destination) 6 \(bytes) \(packets) \(seconds) \(seconds + 55) \(action) 3 OK "
            + "ap-southeast-2 apse2-az3 \(direction) 8"
    }

    // MARK: Route 53 Resolver

    static func dns(_ name: String, at seconds: Int64, answers: [String] = [], type: String = "A", rcode: String = "NOERROR",
                    source: String = "172.31.18.44", instance: String? = "i-0a7f3c9e21b4d5f68") -> String {
        let answerJSON = answers.map { #"{"Rdata":"\#($0)","Type":"\#(type)","Class":"IN"}"# }.joined(separator: ",")
        let ids = instance.map { #","srcids":{"instance":"\#($0)"}"# } ?? ""
        return #"{"version":"1.100000","account_id":"111122223333","region":"ap-southeast-2","vpc_id":"vpc-0d4e5f6a7b8c9d0e1","#
            + #""query_timestamp":"\#(Timestamp(seconds: seconds).iso8601())","query_name":"\#(name).","query_type":"\#(type)","#
            + #""query_class":"IN","rcode":"\#(rcode)","answers":[\#(answerJSON)],"srcaddr":"\#(source)","srcport":"53000","#
            + #""transport":"UDP"\#(ids)}"#
    }

    // MARK: sshd

    /// An sshd line at `seconds` (syslog time, no year) on host `bastion`.
    static func sshd(_ message: String, at seconds: Int64, pid: Int = 2199) -> String {
        let t = Timestamp(seconds: seconds).iso8601()  // 2026-03-10T16:12:44Z
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Int(t.dropFirst(5).prefix(2))! - 1]
        let dayOfMonth = Int(t.dropFirst(8).prefix(2))!
        let clock = t.dropFirst(11).prefix(8)
        let dayText = dayOfMonth < 10 ? " \(dayOfMonth)" : "\(dayOfMonth)"
        return "\(month) \(dayText) \(clock) bastion sshd[\(pid)]: \(message)"
    }

    // MARK: CloudTrail

    /// An API call by an IAM user.
    static func userCall(_ name: String, service: String = "ec2.amazonaws.com", at seconds: Int64, user: String = "alice",
                         ip: String = "192.0.2.34", agent: String = "aws-cli/2.15.0 Python/3.11.6 Darwin/23.1.0",
                         region: String = "us-east-1", type: String = "IAMUser") -> String {
        let arn = type == "AWSService" ? "" : #","arn":"arn:aws:iam::111122223333:user/\#(user)","userName":"\#(user)""#
        return #"{"eventVersion":"1.09","userIdentity":{"type":"\#(type)","principalId":"AIDA\#(user.uppercased())"\#(arn),"#
            + #""accountId":"111122223333","accessKeyId":"AKIAEXAMPLE\#(user.uppercased())"},"eventTime":"\#(Timestamp(seconds: seconds).iso8601())","#
            + #""eventSource":"\#(service)","eventName":"\#(name)","awsRegion":"\#(region)","sourceIPAddress":"\#(ip)","#
            + #""userAgent":"\#(agent)","eventID":"\#(uuid())","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    }

    /// An API call by a role session (`assumed-role/ROLE/SESSION`).
    static func roleCall(_ name: String, service: String = "s3.amazonaws.com", at seconds: Int64, role: String = "app-server-instance-role",
                         session: String = "i-0123456789abcdef0", ip: String = "10.20.1.21", roleDelivery: Bool = false,
                         agent: String = "aws-sdk-go-v2/1.30.0 os/linux", region: String = "us-east-1") -> String {
        let delivery = roleDelivery ? #","ec2RoleDelivery":"2.0""# : ""
        return #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:\#(session)","#
            + #""arn":"arn:aws:sts::111122223333:assumed-role/\#(role)/\#(session)","accountId":"111122223333","#
            + #""accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/\#(role)","#
            + #""userName":"\#(role)"},"attributes":{"creationDate":"2026-03-10T00:00:00Z","mfaAuthenticated":"false"}\#(delivery)}},"#
            + #""eventTime":"\#(Timestamp(seconds: seconds).iso8601())","eventSource":"\#(service)","eventName":"\#(name)","#
            + #""awsRegion":"\#(region)","sourceIPAddress":"\#(ip)","userAgent":"\#(agent)","eventID":"\#(uuid())","#
            + #""eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    }

    private static let counter = Atomic<UInt64>(0)

    /// A unique event id (records with the same id are dropped as duplicates).
    static func uuid() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let hex = String(n, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}
