/// The event fields the store keeps as interned columns with posting lists.
public enum IndexedField: Int, Sendable, CaseIterable, CustomStringConvertible {
    case service, action, principal, user, accessKey, sourceIP, destinationIP, userAgent, region, account,
         errorCode, resource, kind, principalType, sourcePort, destinationPort

    public var description: String {
        switch self {
        case .service: "service"
        case .action: "action"
        case .principal: "principal"
        case .user: "user"
        case .accessKey: "key"
        case .sourceIP: "ip"
        case .destinationIP: "dst"
        case .userAgent: "ua"
        case .region: "region"
        case .account: "account"
        case .errorCode: "error"
        case .resource: "resource"
        case .kind: "kind"
        case .principalType: "type"
        case .sourcePort: "srcport"
        case .destinationPort: "dstport"
        }
    }
}
