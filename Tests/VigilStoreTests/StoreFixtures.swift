import VigilCore
@testable import VigilStore

/// Small hand-made events for store and query tests.
enum StoreFixtures {
    static let base = ISO8601Parser.parse("2026-03-10T14:00:00Z")!

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: base.milliseconds + seconds * 1000) }

    static func call(_ t: Int64, user: String, action: String, service: String = "iam.amazonaws.com",
                     ip: String = "203.0.113.5", key: String? = nil, error: String? = nil, region: String = "us-east-1",
                     resources: [String] = [], id: String? = nil, raw: String? = nil,
                     type: Principal.IdentityType = .iamUser) -> Event {
        let rawText = raw ?? "{\"eventName\":\"\(action)\",\(error == nil ? "" : "\"errorCode\":\"\(error!)\",\"errorMessage\":\"denied\",")\"eventID\":\"\(id ?? "")\",\"requestParameters\":{\"bucketName\":\"\(resources.first ?? "")\"},\"user\":\"\(user)\"}"
        return Event(time: at(t), kind: .cloudTrail, service: service, action: action,
                     outcome: error.map { .failure(code: $0, message: "denied") } ?? .success,
                     principal: Principal(arn: "arn:aws:iam::111122223333:user/\(user)", type: type, userName: user),
                     accessKeyID: key, sourceIP: ip, userAgent: "aws-cli/2", region: region, account: "111122223333",
                     resources: resources, eventID: id, raw: Array(rawText.utf8))
    }

    static func flow(_ t: Int64, src: String, dst: String, dport: Int, bytes: Int64, accept: Bool = true) -> Event {
        var f = FlowFields(version: 2, interfaceID: "eni-1", sourceAddress: IPAddress(src), destinationAddress: IPAddress(dst),
                           sourcePort: 40000, destinationPort: dport, ipProtocol: 6, packets: 10, bytes: bytes,
                           start: at(t), end: at(t + 60), action: accept ? .accept : .reject)
        f.status = .ok
        let line = "2 111122223333 eni-1 \(src) \(dst) 40000 \(dport) 6 10 \(bytes) 0 60 \(accept ? "ACCEPT" : "REJECT") OK"
        return Event(time: at(t), kind: .flow, service: "vpc-flow-logs", action: accept ? "ACCEPT" : "REJECT",
                     outcome: accept ? .success : .failure(code: "REJECT", message: nil), sourceIP: src,
                     account: "111122223333", resources: ["eni-1"], flow: f, raw: Array(line.utf8))
    }

    static func finding(_ t: Int64, id: String, type: String, score: Double, count: Int) -> Event {
        Event(time: at(t), kind: .finding, service: "guardduty", action: type, region: "us-east-1", account: "111122223333",
              resources: ["i-0abc"], eventID: id,
              finding: FindingFields(id: id, type: type, score: score, count: count),
              raw: Array("{\"Id\":\"\(id)\",\"Type\":\"\(type)\",\"Service\":{\"Count\":\(count)}}".utf8))
    }
}
