/// The family of log an event came from.
public enum EventKind: UInt8, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case cloudTrail = 0
    case flow = 1
    case finding = 2
    case dns = 3
    case auth = 4

    /// The short name used by the query language (`kind:flow`) and in reports.
    public var description: String {
        switch self {
        case .cloudTrail: "cloudtrail"
        case .flow: "flow"
        case .finding: "finding"
        case .dns: "dns"
        case .auth: "auth"
        }
    }

    /// Parses the query-language name of a kind; accepts a few common spellings.
    public init?(name: String) {
        switch name.lowercased() {
        case "cloudtrail", "ct", "trail": self = .cloudTrail
        case "flow", "flows", "vpcflow", "vpc-flow": self = .flow
        case "finding", "findings", "guardduty", "gd": self = .finding
        case "dns", "resolver", "route53": self = .dns
        case "auth", "sshd", "ssh": self = .auth
        default: return nil
        }
    }
}
