/// Fields of a VPC flow log record.
public struct FlowFields: Sendable, Equatable {
    public enum Action: UInt8, Sendable { case accept, reject, none }
    /// `OK`, `NODATA` (no traffic in the window) or `SKIPDATA` (records were skipped: a coverage gap).
    public enum Status: UInt8, Sendable { case ok, noData, skipData }
    public enum Direction: UInt8, Sendable { case ingress, egress, unknown }

    public var version: Int
    public var interfaceID: String?
    public var instanceID: String?
    public var sourceAddress: IPAddress?
    public var destinationAddress: IPAddress?
    public var sourcePort: Int?
    public var destinationPort: Int?
    /// IANA protocol number (6 TCP, 17 UDP, 1 ICMP).
    public var ipProtocol: Int?
    public var packets: Int64?
    public var bytes: Int64?
    /// Capture window start and end.
    public var start: Timestamp?
    public var end: Timestamp?
    public var action: Action
    public var status: Status
    /// `pkt-srcaddr` / `pkt-dstaddr` (v3+), when they differ from the interface's view.
    public var packetSourceAddress: IPAddress?
    public var packetDestinationAddress: IPAddress?
    public var vpcID: String?
    public var subnetID: String?
    public var tcpFlags: Int?
    public var direction: Direction

    public init(version: Int = 2, interfaceID: String? = nil, instanceID: String? = nil,
                sourceAddress: IPAddress? = nil, destinationAddress: IPAddress? = nil,
                sourcePort: Int? = nil, destinationPort: Int? = nil, ipProtocol: Int? = nil,
                packets: Int64? = nil, bytes: Int64? = nil, start: Timestamp? = nil, end: Timestamp? = nil,
                action: Action = .none, status: Status = .ok,
                packetSourceAddress: IPAddress? = nil, packetDestinationAddress: IPAddress? = nil,
                vpcID: String? = nil, subnetID: String? = nil, tcpFlags: Int? = nil,
                direction: Direction = .unknown) {
        self.version = version
        self.interfaceID = interfaceID
        self.instanceID = instanceID
        self.sourceAddress = sourceAddress
        self.destinationAddress = destinationAddress
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.ipProtocol = ipProtocol
        self.packets = packets
        self.bytes = bytes
        self.start = start
        self.end = end
        self.action = action
        self.status = status
        self.packetSourceAddress = packetSourceAddress
        self.packetDestinationAddress = packetDestinationAddress
        self.vpcID = vpcID
        self.subnetID = subnetID
        self.tcpFlags = tcpFlags
        self.direction = direction
    }
}

/// Fields of a GuardDuty finding.
public struct FindingFields: Sendable, Equatable {
    public enum Severity: UInt8, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case info, low, medium, high, critical
        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

        /// GuardDuty's numeric scale: Low 1–3.9, Medium 4–6.9, High 7–8.9, Critical 9 and above.
        public init(guardDutyScore score: Double) {
            switch score {
            case 9...: self = .critical
            case 7..<9: self = .high
            case 4..<7: self = .medium
            case 1..<4: self = .low
            default: self = .info
            }
        }

        public var description: String {
            switch self {
            case .info: "info"
            case .low: "low"
            case .medium: "medium"
            case .high: "high"
            case .critical: "critical"
            }
        }
    }

    public var id: String
    /// e.g. `UnauthorizedAccess:EC2/SSHBruteForce`.
    public var type: String
    public var score: Double
    public var severity: Severity
    public var title: String?
    /// `resource.resourceType` (Instance, AccessKey, S3Bucket…).
    public var resourceType: String?
    /// `service.action.actionType` (NETWORK_CONNECTION, AWS_API_CALL, DNS_REQUEST, PORT_PROBE…).
    public var actionType: String?
    /// `service.count`: how many times GuardDuty has seen it.
    public var count: Int
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?

    public init(id: String, type: String, score: Double, title: String? = nil, resourceType: String? = nil,
                actionType: String? = nil, count: Int = 1, firstSeen: Timestamp? = nil, lastSeen: Timestamp? = nil) {
        self.id = id
        self.type = type
        self.score = score
        self.severity = Severity(guardDutyScore: score)
        self.title = title
        self.resourceType = resourceType
        self.actionType = actionType
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// Fields of a Route 53 Resolver query log record.
public struct DNSFields: Sendable, Equatable {
    public var queryName: String
    public var queryType: String?
    public var queryClass: String?
    /// NOERROR, NXDOMAIN, SERVFAIL…
    public var responseCode: String?
    public var answers: [String]
    public var vpcID: String?
    public var instanceID: String?

    public init(queryName: String, queryType: String? = nil, queryClass: String? = nil, responseCode: String? = nil,
                answers: [String] = [], vpcID: String? = nil, instanceID: String? = nil) {
        self.queryName = queryName
        self.queryType = queryType
        self.queryClass = queryClass
        self.responseCode = responseCode
        self.answers = answers
        self.vpcID = vpcID
        self.instanceID = instanceID
    }
}

/// Fields of an sshd authentication log line.
public struct AuthFields: Sendable, Equatable {
    /// password, publickey, keyboard-interactive, none…
    public var method: String?
    public var host: String
    public var process: String
    public var pid: Int?
    public var port: Int?
    /// True for `Invalid user` / `for invalid user`.
    public var invalidUser: Bool

    public init(method: String? = nil, host: String, process: String = "sshd", pid: Int? = nil, port: Int? = nil,
                invalidUser: Bool = false) {
        self.method = method
        self.host = host
        self.process = process
        self.pid = pid
        self.port = port
        self.invalidUser = invalidUser
    }
}
