import VigilCore
import VigilStore

/// How to read one rule field from an event of one kind: from a store column when the column holds exactly
/// what the record says, else from the raw record.
///
/// Column reads are memoised per symbol by the engine, so a rule on `eventSource` or `userAgent` costs a table
/// lookup per event instead of a JSON walk.
enum FieldAccessor: Sendable, Hashable {
    /// A column whose value is the record's own value (`eventSource`, `eventName`, `awsRegion`…).
    case column(IndexedField)
    /// `userIdentity.arn`: the principal column holds the ARN when the record has one, else a fallback (principal
    /// id, invoking service), so values not starting with `arn:` are read from the record.
    case principalARN
    /// `userIdentity.type`: the column keeps a code; unknown codes are read from the record.
    case identityType
    case errorCode
    /// A scalar member the fast load path captures per row (``RecordAttribute``); rows without it read the record.
    case attribute(RecordAttribute)
    case raw(FieldPath)
    case flow(FlowField)
    case auth(AuthField)

    /// A flow-log field, by its name in the flow log format.
    enum FlowField: String, Sendable, CaseIterable {
        case version, accountID = "account-id", interfaceID = "interface-id", sourceAddress = "srcaddr",
             destinationAddress = "dstaddr", sourcePort = "srcport", destinationPort = "dstport", ipProtocol = "protocol",
             packets, bytes, start, end, action, logStatus = "log-status", vpcID = "vpc-id", subnetID = "subnet-id",
             instanceID = "instance-id", tcpFlags = "tcp-flags", packetSourceAddress = "pkt-srcaddr",
             packetDestinationAddress = "pkt-dstaddr", region, flowDirection = "flow-direction"
    }

    enum AuthField: String, Sendable, CaseIterable {
        case host, process, pid, port, method, user, sourceAddress = "src_ip", action, invalidUser = "invalid_user"
    }

    /// The accessor for a field name in rules over events of `kind`; nil for a flow field no flow log has.
    static func resolve(_ field: String, kind: EventKind) -> FieldAccessor? {
        switch kind {
        case .cloudTrail:
            switch field {
            case "eventSource": return .column(.service)
            case "eventName": return .column(.action)
            case "awsRegion": return .column(.region)
            case "sourceIPAddress": return .column(.sourceIP)
            case "userAgent": return .column(.userAgent)
            case "userIdentity.accessKeyId": return .column(.accessKey)
            case "userIdentity.arn": return .principalARN
            case "userIdentity.type": return .identityType
            case "errorCode": return .errorCode
            default:
                if let attribute = RecordAttribute(path: field) { return .attribute(attribute) }
                return .raw(FieldPath(field))
            }
        case .flow:
            let normalised = field.lowercased().replacingUnderscores
            if let f = FlowField(rawValue: normalised) { return .flow(f) }
            switch normalised {
            case "src-addr", "source-address", "sourceipaddress": return .flow(.sourceAddress)
            case "dst-addr", "destination-address": return .flow(.destinationAddress)
            case "src-port": return .flow(.sourcePort)
            case "dst-port": return .flow(.destinationPort)
            case "account": return .flow(.accountID)
            default: return nil
            }
        case .auth:
            let lower = field.lowercased()
            if let f = AuthField(rawValue: lower) { return .auth(f) }
            switch lower {
            case "sourceipaddress", "src", "source_ip", "ip", "rhost": return .auth(.sourceAddress)
            case "username", "user_name", "account": return .auth(.user)
            case "hostname": return .auth(.host)
            default: return .raw(FieldPath(field))
            }
        case .finding, .dns:
            return .raw(FieldPath(field))
        }
    }

    /// Whether a matcher's result can be remembered per column symbol or per attribute combination.
    var isMemoisable: Bool {
        if case .attribute = self { return true }
        return memoisedColumn != nil
    }

    /// Whether values can be memoised per symbol of `column`.
    var memoisedColumn: IndexedField? {
        switch self {
        case .column(let f): f
        case .principalARN: .principal
        case .errorCode: .errorCode
        case .identityType: .principalType
        default: nil
        }
    }
}

extension String {
    /// Flow field names are written with hyphens in the format and with underscores by many tools.
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
