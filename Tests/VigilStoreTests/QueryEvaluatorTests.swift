import Testing
import VigilCore
@testable import VigilStore

@Suite("QueryEvaluator")
struct QueryEvaluatorTests {
    typealias F = StoreFixtures

    static let events: [Event] = [
        F.call(0, user: "alice", action: "CreateUser", key: "AKIAALICE", resources: ["backdoor"], id: "e0"),
        F.call(10, user: "alice", action: "CreateAccessKey", key: "AKIAALICE", resources: ["backdoor"], id: "e1"),
        F.call(20, user: "bob", action: "ListBuckets", service: "s3.amazonaws.com", ip: "198.51.100.7", key: "AKIABOB", id: "e2"),
        F.call(30, user: "bob", action: "GetObject", service: "s3.amazonaws.com", ip: "198.51.100.7", key: "AKIABOB",
               error: "AccessDenied", resources: ["prod-secrets"], id: "e3"),
        F.call(40, user: "ci-runner", action: "AssumeRole", service: "sts.amazonaws.com", ip: "ec2.amazonaws.com",
               region: "eu-west-1", id: "e4", type: .assumedRole),
        F.call(50, user: "Alice", action: "DeleteTrail", service: "cloudtrail.amazonaws.com", ip: "2001:db8::5",
               error: "TrailNotFoundException", id: "e5"),
        F.flow(60, src: "203.0.113.9", dst: "10.0.0.5", dport: 22, bytes: 120, accept: false),
        F.flow(70, src: "10.0.0.5", dst: "198.51.100.99", dport: 3333, bytes: 5_000_000),
        F.finding(80, id: "f1", type: "CryptoCurrency:EC2/BitcoinTool.B!DNS", score: 8, count: 2),
        F.finding(90, id: "f2", type: "Recon:EC2/PortProbeUnprotectedPort", score: 2, count: 1),
    ]

    static let store = EventStore.build(events)

    /// Runs a query and names the matches: the CloudTrail eventID, else kind and action.
    func names(_ text: String) throws -> [String] {
        let store = Self.store
        return try store.search(Query(text)).map { id in
            let e = store.event(id)
            return e.kind == .cloudTrail ? (e.eventID ?? "?") : "\(e.kind):\(e.action)"
        }
    }

    @Test("answers queries as a responder would expect", arguments: [
        ("user:alice", ["e0", "e1", "e5"]),
        ("user:alice action:Create*", ["e0", "e1"]),
        ("user:alice AND action:Create*", ["e0", "e1"]),
        ("user:bob OR user:ci-*", ["e2", "e3", "e4"]),
        ("service:s3.amazonaws.com NOT error:*", ["e2"]),
        ("service:s3.amazonaws.com -has:error", ["e2"]),
        ("has:error", ["e3", "e5", "flow:REJECT"]),
        ("error:AccessDenied", ["e3"]),
        ("key:AKIABOB", ["e2", "e3"]),
        ("ip:198.51.100.0/24", ["e2", "e3", "flow:ACCEPT"]),
        ("ip:2001:db8::/32", ["e5"]),
        ("ip:ec2.amazonaws.com", ["e4"]),
        ("src:203.0.113.9", ["flow:REJECT"]),
        ("dst:10.0.0.5", ["flow:REJECT"]),
        ("region:eu-west-1", ["e4"]),
        ("type:AssumedRole", ["e4"]),
        ("resource:backdoor", ["e0", "e1"]),
        ("resource:prod-*", ["e3"]),
        ("kind:flow", ["flow:REJECT", "flow:ACCEPT"]),
        ("kind:flow bytes>1000000", ["flow:ACCEPT"]),
        ("dstport:22", ["flow:REJECT"]),
        ("port<1024", ["flow:REJECT"]),
        ("protocol:tcp action:REJECT", ["flow:REJECT"]),
        ("severity>=high", ["finding:CryptoCurrency:EC2/BitcoinTool.B!DNS"]),
        ("severity<4", ["finding:Recon:EC2/PortProbeUnprotectedPort"]),
        ("outcome:failure kind:cloudtrail", ["e3", "e5"]),
        ("time>=2026-03-10T14:00:30Z time<2026-03-10T14:00:50Z", ["e3", "e4"]),
        ("time>-15s", ["finding:CryptoCurrency:EC2/BitcoinTool.B!DNS", "finding:Recon:EC2/PortProbeUnprotectedPort"]),
        ("requestParameters.bucketName:prod-*", ["e3"]),
        ("eventName:DeleteTrail", ["e5"]),
        ("\"DeleteTrail\"", ["e5"]),
        ("backdoor user:alice", ["e0", "e1"]),
        ("(user:alice OR user:bob) AND NOT (action:List* OR action:Create*)", ["e3", "e5"]),
        ("id:e4", ["e4"]),
        ("", ["e0", "e1", "e2", "e3", "e4", "e5", "flow:REJECT", "flow:ACCEPT",
              "finding:CryptoCurrency:EC2/BitcoinTool.B!DNS", "finding:Recon:EC2/PortProbeUnprotectedPort"]),
        ("user:nobody", []),
        ("user:alice user:bob", []),
    ])
    func queries(text: String, expected: [String]) throws {
        #expect(try names(text) == expected, "\(text)")
    }

    @Test("agrees with a brute-force filter on generated data")
    func bruteForce() throws {
        var events: [Event] = []
        var rng = SystemRandomNumberGenerator()
        let users = ["alice", "bob", "carol", "dave"], actions = ["CreateUser", "ListBuckets", "GetObject", "PutObject"]
        for i in 0..<2000 {
            let u = users.randomElement(using: &rng)!, a = actions.randomElement(using: &rng)!
            let failed = Int.random(in: 0..<5, using: &rng) == 0
            events.append(F.call(Int64(Int.random(in: 0..<3600, using: &rng)), user: u, action: a,
                                 ip: "203.0.113.\(Int.random(in: 0..<20, using: &rng))", error: failed ? "AccessDenied" : nil,
                                 id: "r\(i)"))
        }
        let store = EventStore.build(events)
        let checks: [(String, (Event) -> Bool)] = [
            ("user:alice action:*Object", { $0.principal?.userName == "alice" && $0.action.hasSuffix("Object") }),
            ("user:bob OR error:AccessDenied", { $0.principal?.userName == "bob" || $0.outcome.errorCode == "AccessDenied" }),
            ("NOT ip:203.0.113.0/29 action:List*", { !(Int($0.sourceIP!.split(separator: ".").last!)! < 8) && $0.action.hasPrefix("List") }),
            ("time<2026-03-10T14:30:00Z -user:carol", { $0.time.milliseconds < F.at(1800).milliseconds && $0.principal?.userName != "carol" }),
        ]
        for (text, predicate) in checks {
            let got = store.search(try Query(text)).map { store.recordID(of: $0)! }.sorted()
            let want = events.filter(predicate).map { $0.eventID! }.sorted()
            #expect(got == want, "\(text)")
        }
    }

    @Test("set operations on sorted id lists")
    func setOperations() {
        #expect(QueryEvaluator.intersect([1, 3, 5, 7], [3, 4, 5]) == [3, 5])
        #expect(QueryEvaluator.intersect([5], Array(0..<1000)) == [5])
        #expect(QueryEvaluator.union([1, 4], [2, 4, 9]) == [1, 2, 4, 9])
        #expect(QueryEvaluator.subtract([1, 2, 3, 4], [2, 4, 6]) == [1, 3])
        #expect(QueryEvaluator.unionAll((0..<20).map { [UInt32($0), UInt32($0 + 1)] }) == Array(0...20))
    }
}
