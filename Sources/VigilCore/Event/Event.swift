/// One normalised log record of any kind, with its raw bytes.
///
/// Readers produce `Event` values; the store interns their strings into columns. Fields that a kind does not
/// have stay nil. The raw record is kept byte for byte so that any JSON path can be read later
/// (``JSONPath``), and so the detail view can show exactly what the log said.
public struct Event: Sendable {
    /// When the action happened (CloudTrail `eventTime`, flow window start, finding `updatedAt`…).
    public var time: Timestamp
    public var kind: EventKind
    /// CloudTrail `eventSource` (`iam.amazonaws.com`); for other kinds a fixed name (`vpc-flow-logs`, `guardduty`, `route53resolver`, `sshd`).
    public var service: String
    /// CloudTrail `eventName`; a finding type; a DNS query type; an sshd action (`AcceptedPassword`…); `ACCEPT`/`REJECT` for flows.
    public var action: String
    public var outcome: Outcome
    public var principal: Principal?
    public var accessKeyID: String?
    /// The source as the log gives it: an address, or a service name (`ec2.amazonaws.com`, `AWS Internal`).
    public var sourceIP: String?
    public var userAgent: String?
    public var region: String?
    /// The account the record belongs to (`userIdentity.accountId`, flow `account-id`, finding `accountId`).
    public var account: String?
    /// CloudTrail `recipientAccountId`, when present.
    public var recipientAccount: String?
    /// Identifiers of the resources the record touches (instance ids, bucket names, ARNs, key ids…), deduplicated.
    public var resources: [String]
    /// The record's own unique id (CloudTrail `eventID`, finding id); used to drop duplicates.
    public var eventID: String?
    /// Kind-specific details, boxed so that an `Event` stays small to copy and sort.
    public var details: EventDetails

    public var flow: FlowFields? {
        get { if case .flow(let f) = details { f } else { nil } }
        set { details = newValue.map(EventDetails.flow) ?? .none }
    }

    public var finding: FindingFields? {
        get { if case .finding(let f) = details { f } else { nil } }
        set { details = newValue.map(EventDetails.finding) ?? .none }
    }

    public var dns: DNSFields? {
        get { if case .dns(let d) = details { d } else { nil } }
        set { details = newValue.map(EventDetails.dns) ?? .none }
    }

    public var auth: AuthFields? {
        get { if case .auth(let a) = details { a } else { nil } }
        set { details = newValue.map(EventDetails.auth) ?? .none }
    }
    /// The record exactly as read: a JSON object for JSON kinds, the text line for flow and auth logs.
    public var raw: [UInt8]

    public init(time: Timestamp, kind: EventKind, service: String, action: String, outcome: Outcome = .success,
                principal: Principal? = nil, accessKeyID: String? = nil, sourceIP: String? = nil,
                userAgent: String? = nil, region: String? = nil, account: String? = nil,
                recipientAccount: String? = nil, resources: [String] = [], eventID: String? = nil,
                flow: FlowFields? = nil, finding: FindingFields? = nil, dns: DNSFields? = nil,
                auth: AuthFields? = nil, raw: [UInt8] = []) {
        self.time = time
        self.kind = kind
        self.service = service
        self.action = action
        self.outcome = outcome
        self.principal = principal
        self.accessKeyID = accessKeyID
        self.sourceIP = sourceIP
        self.userAgent = userAgent
        self.region = region
        self.account = account
        self.recipientAccount = recipientAccount
        self.resources = resources
        self.eventID = eventID
        if let flow { details = .flow(flow) } else if let finding { details = .finding(finding) }
        else if let dns { details = .dns(dns) } else if let auth { details = .auth(auth) } else { details = .none }
        self.raw = raw
    }

    /// True when the raw record is a JSON object (CloudTrail, findings, DNS), false for text lines.
    public var rawIsJSON: Bool { raw.first == UInt8(ascii: "{") }
}

/// The details only one kind of event has.
public enum EventDetails: Sendable {
    case none
    indirect case flow(FlowFields)
    indirect case finding(FindingFields)
    indirect case dns(DNSFields)
    indirect case auth(AuthFields)
}
