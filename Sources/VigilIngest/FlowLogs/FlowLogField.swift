/// A column of a VPC flow log record, as named in a header line or a custom log format.
///
/// Fields of versions 2–5 are known; ECS fields and fields this reader does not model are accepted and kept only
/// in the raw line. Any other name is `.unknown` (allowed, kept only in raw).
enum FlowLogField: UInt8, Sendable, CaseIterable {
    case version, accountID, interfaceID, sourceAddress, destinationAddress, sourcePort, destinationPort
    case ipProtocol, packets, bytes, start, end, action, logStatus
    case vpcID, subnetID, instanceID, tcpFlags, type, packetSourceAddress, packetDestinationAddress
    case region, azID, sublocationType, sublocationID, packetSourceAWSService, packetDestinationAWSService
    case flowDirection, trafficPath, ecs, rejectReason
    case unknown

    /// The version-2 default format (CloudWatch Logs delivery without a header).
    static let defaultFormat: [FlowLogField] = [
        .version, .accountID, .interfaceID, .sourceAddress, .destinationAddress, .sourcePort, .destinationPort,
        .ipProtocol, .packets, .bytes, .start, .end, .action, .logStatus,
    ]

    /// The header name of the field, as AWS spells it (`ecs` stands for every `ecs-*` field).
    var name: String {
        switch self {
        case .version: "version"
        case .accountID: "account-id"
        case .interfaceID: "interface-id"
        case .sourceAddress: "srcaddr"
        case .destinationAddress: "dstaddr"
        case .sourcePort: "srcport"
        case .destinationPort: "dstport"
        case .ipProtocol: "protocol"
        case .packets: "packets"
        case .bytes: "bytes"
        case .start: "start"
        case .end: "end"
        case .action: "action"
        case .logStatus: "log-status"
        case .vpcID: "vpc-id"
        case .subnetID: "subnet-id"
        case .instanceID: "instance-id"
        case .tcpFlags: "tcp-flags"
        case .type: "type"
        case .packetSourceAddress: "pkt-srcaddr"
        case .packetDestinationAddress: "pkt-dstaddr"
        case .region: "region"
        case .azID: "az-id"
        case .sublocationType: "sublocation-type"
        case .sublocationID: "sublocation-id"
        case .packetSourceAWSService: "pkt-src-aws-service"
        case .packetDestinationAWSService: "pkt-dst-aws-service"
        case .flowDirection: "flow-direction"
        case .trafficPath: "traffic-path"
        case .ecs: "ecs-*"
        case .rejectReason: "reject-reason"
        case .unknown: "unknown"
        }
    }

    /// The flow log version that introduced the field (used when a header has no `version` column).
    var introducedIn: Int {
        switch self {
        case .version, .accountID, .interfaceID, .sourceAddress, .destinationAddress, .sourcePort,
             .destinationPort, .ipProtocol, .packets, .bytes, .start, .end, .action, .logStatus, .unknown:
            2
        case .vpcID, .subnetID, .instanceID, .tcpFlags, .type, .packetSourceAddress, .packetDestinationAddress:
            3
        case .region, .azID, .sublocationType, .sublocationID:
            4
        case .packetSourceAWSService, .packetDestinationAWSService, .flowDirection, .trafficPath:
            5
        case .ecs, .rejectReason:
            // ECS fields and reject-reason arrived as version 7/8 fields; keep them at 5 for FlowFields' purposes.
            5
        }
    }

    private static let byName: [String: FlowLogField] = {
        var map = [String: FlowLogField]()
        for field in FlowLogField.allCases where field != .ecs && field != .unknown { map[field.name] = field }
        return map
    }()

    /// Looks up a header token: `srcaddr`, `$srcaddr` or `${srcaddr}`. Returns nil when the token cannot be a
    /// field name at all (it must be lowercase letters, digits and `-`, starting with a letter), `.unknown` for a
    /// well-formed name this reader does not know.
    static func lookup(_ token: UnsafeRawBufferPointer) -> FlowLogField? {
        guard let (start, end) = nameBounds(token) else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: token[start..<end]), as: UTF8.self)
        if let field = byName[name] { return field }
        if name.hasPrefix("ecs-") { return .ecs }
        return .unknown
    }

    /// True when the token could name a field (see ``lookup(_:)``).
    static func isNameLike(_ token: UnsafeRawBufferPointer) -> Bool { nameBounds(token) != nil }

    /// The bounds of the name inside `$name` / `${name}`, when the token is well formed.
    private static func nameBounds(_ token: UnsafeRawBufferPointer) -> (Int, Int)? {
        var start = 0, end = token.count
        if start < end, token[start] == UInt8(ascii: "$") {
            start += 1
            if start < end, token[start] == UInt8(ascii: "{") {
                guard end - start >= 2, token[end - 1] == UInt8(ascii: "}") else { return nil }
                start += 1
                end -= 1
            }
        }
        guard start < end else { return nil }
        let first = token[start]
        guard first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return nil }
        for k in start..<end {
            let c = token[k]
            let ok = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "-")
            if !ok { return nil }
        }
        return (start, end)
    }
}
