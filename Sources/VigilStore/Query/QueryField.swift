import VigilCore

/// A field a query term can test: one of the event model's normalised fields, or any JSON path into the raw record.
///
/// Names are resolved case-insensitively through ``QueryField/init(name:)``: each field has a canonical short name
/// (``name``) and a few aliases, including the CloudTrail and flow-log names of the same data (`eventName` is
/// ``action``, `srcaddr` is ``sourceAddress``). Any other name becomes a ``path(_:)``, which reads the raw JSON record
/// and is case-sensitive, like JSON keys.
public enum QueryField: Sendable, Hashable, CustomStringConvertible {
    /// The principal's user name (`userIdentity.userName`, the role session name, or the host account).
    case user
    /// The principal's ARN.
    case principal
    /// The principal's identity type: `Root`, `IAMUser`, `AssumedRole`…
    case principalType
    /// The access key id the call was signed with.
    case accessKey
    /// The source address as the log gives it (CloudTrail `sourceIPAddress`, which may be a service name); for flows,
    /// either end of the connection (`srcaddr` or `dstaddr`).
    case sourceIP
    /// A flow's source address (`srcaddr`).
    case sourceAddress
    /// A flow's destination address (`dstaddr`).
    case destinationAddress
    /// CloudTrail `eventName`, a finding type, a DNS query type, an sshd action, `ACCEPT`/`REJECT` for flows.
    case action
    /// CloudTrail `eventSource`, or the fixed service name of other kinds (`vpc-flow-logs`, `guardduty`…).
    case service
    case region
    case account
    /// Any of the resources the record touches (instance ids, bucket names, ARNs…).
    case resource
    /// CloudTrail `errorCode` (or the failure code of other kinds).
    case errorCode
    case userAgent
    /// The log family: ``EventKind``.
    case kind
    /// The record's own id (CloudTrail `eventID`, finding id).
    case eventID
    /// Success or failure.
    case outcome
    /// A finding's severity: info < low < medium < high < critical; a number compares with the GuardDuty score.
    case severity
    case sourcePort
    case destinationPort
    /// IANA protocol number (names `tcp`, `udp`, `icmp`… are accepted in queries).
    case `protocol`
    case bytes
    case packets
    /// The event time.
    case time
    /// A DNS query name.
    case query
    /// Any other value in the raw JSON record (scanned, not indexed).
    case path(JSONPath)

    /// How a field's values are written and compared.
    public enum ValueType: Sendable, Hashable {
        /// Strings matched with ``QueryPattern`` (exact or wildcard, case-insensitive).
        case text
        /// IP addresses: an address, a CIDR block, or a wildcard pattern on the address text.
        case address
        /// Numbers: equality and `<` `<=` `>` `>=`.
        case number
        /// Instants: absolute spans (`2024-05-01`) or relative to the newest event (`-1h`).
        case time
        /// ``EventKind`` names.
        case kind
        /// ``FindingFields/Severity`` names, ordered; or a GuardDuty score.
        case severity
        /// `success` or `failure`.
        case outcome
    }

    /// Every field except ``path(_:)``, in the order the documentation lists them.
    public static let named: [QueryField] = [
        .user, .principal, .principalType, .accessKey, .sourceIP, .sourceAddress, .destinationAddress, .action,
        .service, .region, .account, .resource, .errorCode, .userAgent, .kind, .eventID, .outcome, .severity,
        .sourcePort, .destinationPort, .protocol, .bytes, .packets, .time, .query,
    ]

    /// The canonical (short) name, used when rendering queries; for a path, the path text.
    public var name: String {
        switch self {
        case .user: "user"
        case .principal: "principal"
        case .principalType: "type"
        case .accessKey: "key"
        case .sourceIP: "ip"
        case .sourceAddress: "src"
        case .destinationAddress: "dst"
        case .action: "action"
        case .service: "service"
        case .region: "region"
        case .account: "account"
        case .resource: "resource"
        case .errorCode: "error"
        case .userAgent: "ua"
        case .kind: "kind"
        case .eventID: "id"
        case .outcome: "outcome"
        case .severity: "severity"
        case .sourcePort: "srcport"
        case .destinationPort: "dstport"
        case .protocol: "protocol"
        case .bytes: "bytes"
        case .packets: "packets"
        case .time: "time"
        case .query: "query"
        case .path(let path): path.description
        }
    }

    public var description: String { name }

    /// The other names accepted for this field (lowercase; matched case-insensitively). Empty for a path.
    public var aliases: [String] {
        switch self {
        case .user: ["username", "useridentity.username"]
        case .principal: ["principalarn", "useridentity.arn"]
        case .principalType: ["principaltype", "useridentity.type"]
        case .accessKey: ["accesskey", "accesskeyid", "useridentity.accesskeyid"]
        case .sourceIP: ["sourceip", "sourceipaddress"]
        case .sourceAddress: ["srcaddr", "sourceaddress"]
        case .destinationAddress: ["dstaddr", "destinationaddress"]
        case .action: ["eventname"]
        case .service: ["eventsource"]
        case .region: ["awsregion"]
        case .account: ["accountid", "account-id", "useridentity.accountid"]
        case .resource: ["resources"]
        case .errorCode: ["errorcode"]
        case .userAgent: ["useragent"]
        case .kind: []
        case .eventID: ["eventid"]
        case .outcome: []
        case .severity: ["sev"]
        case .sourcePort: ["sourceport"]
        case .destinationPort: ["port", "destinationport"]
        case .protocol: ["proto"]
        case .bytes: []
        case .packets: []
        case .time: ["eventtime"]
        case .query: ["qname", "queryname", "query_name"]
        case .path: []
        }
    }

    /// A one-line description for help screens.
    public var summary: String {
        switch self {
        case .user: "principal user name (IAM user, role session, host account)"
        case .principal: "principal ARN"
        case .principalType: "identity type: Root, IAMUser, AssumedRole, AWSService…"
        case .accessKey: "access key id"
        case .sourceIP: "source IP or service name; for flows either address"
        case .sourceAddress: "flow source address"
        case .destinationAddress: "flow destination address"
        case .action: "API call (eventName), finding type, flow ACCEPT/REJECT, DNS query type"
        case .service: "event source (iam.amazonaws.com, guardduty, vpc-flow-logs…)"
        case .region: "AWS region"
        case .account: "AWS account id"
        case .resource: "any resource the record touches"
        case .errorCode: "error code of a failed call"
        case .userAgent: "user agent"
        case .kind: "log kind: cloudtrail, flow, finding, dns, auth"
        case .eventID: "record id (CloudTrail eventID, finding id)"
        case .outcome: "success or failure"
        case .severity: "finding severity: info, low, medium, high, critical (or a score)"
        case .sourcePort: "flow source port"
        case .destinationPort: "flow destination port"
        case .protocol: "flow protocol: tcp, udp, icmp, icmpv6 or a number"
        case .bytes: "flow bytes"
        case .packets: "flow packets"
        case .time: "event time"
        case .query: "DNS query name"
        case .path(let path): "JSON path \(path)"
        }
    }

    /// How values for this field are written. A path holds text, but also accepts numeric comparisons.
    public var valueType: ValueType {
        switch self {
        case .sourceIP, .sourceAddress, .destinationAddress: .address
        case .sourcePort, .destinationPort, .protocol, .bytes, .packets: .number
        case .time: .time
        case .kind: .kind
        case .severity: .severity
        case .outcome: .outcome
        default: .text
        }
    }

    /// True when the store keeps an index for the field (everything but JSON paths); paths are scanned.
    public var isIndexed: Bool {
        if case .path = self { false } else { true }
    }

    /// Whether `<`, `<=`, `>`, `>=` apply: numbers, time, severity, and JSON paths (compared as numbers).
    public var isComparable: Bool {
        switch valueType {
        case .number, .time, .severity: true
        case .text: !isIndexed
        case .address, .kind, .outcome: false
        }
    }

    private static let byName: [String: QueryField] = {
        var table: [String: QueryField] = [:]
        for field in named {
            table[field.name] = field
            for alias in field.aliases { table[alias] = field }
        }
        return table
    }()

    /// Resolves a field name: a canonical name or alias (case-insensitive), otherwise a JSON path.
    /// Returns nil when the name is not a valid JSON path either (`a..b`, `a[x]`).
    public init?(name: String) {
        if let field = QueryField.byName[name.lowercased()] {
            self = field
        } else if let path = JSONPath(name) {
            self = .path(path)
        } else {
            return nil
        }
    }
}
