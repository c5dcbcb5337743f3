import VigilCore

/// A flow record's numbers in 80 bytes, for the store's side table (`FlowFields` with its optionals and strings
/// takes about 330). Interface, instance, VPC and subnet ids live in the event's resources; packet-level addresses,
/// which rarely differ from the flow's, are kept apart by the store.
///
/// Detectors read it through a ``ColumnReader``; the `…Value` accessors give nil for fields the record did not have.
public struct FlowRow: Sendable {
    var sourceHigh: UInt64 = 0, sourceLow: UInt64 = 0
    var destinationHigh: UInt64 = 0, destinationLow: UInt64 = 0
    var start: Int64 = 0, end: Int64 = 0
    var packets: Int64 = 0, bytes: Int64 = 0
    var sourcePort: UInt16 = 0, destinationPort: UInt16 = 0
    var tcpFlags: UInt16 = 0
    var ipProtocol: UInt8 = 0
    var version: UInt8 = 0
    /// action (2 bits), status (2 bits), direction (2 bits).
    var codes: UInt8 = 0
    /// Which optional fields are present (bits from `Present`).
    var present: UInt16 = 0

    enum Present {
        static let source: UInt16 = 1 << 0, sourceV4: UInt16 = 1 << 1
        static let destination: UInt16 = 1 << 2, destinationV4: UInt16 = 1 << 3
        static let start: UInt16 = 1 << 4, end: UInt16 = 1 << 5
        static let packets: UInt16 = 1 << 6, bytes: UInt16 = 1 << 7
        static let sourcePort: UInt16 = 1 << 8, destinationPort: UInt16 = 1 << 9
        static let tcpFlags: UInt16 = 1 << 10, ipProtocol: UInt16 = 1 << 11
    }

    init(_ f: FlowFields) {
        if let a = f.sourceAddress {
            sourceHigh = a.high; sourceLow = a.low
            present |= Present.source | (a.isV4 ? Present.sourceV4 : 0)
        }
        if let a = f.destinationAddress {
            destinationHigh = a.high; destinationLow = a.low
            present |= Present.destination | (a.isV4 ? Present.destinationV4 : 0)
        }
        if let t = f.start { start = t.milliseconds; present |= Present.start }
        if let t = f.end { end = t.milliseconds; present |= Present.end }
        if let v = f.packets { packets = v; present |= Present.packets }
        if let v = f.bytes { bytes = v; present |= Present.bytes }
        if let p = f.sourcePort, let v = UInt16(exactly: p) { sourcePort = v; present |= Present.sourcePort }
        if let p = f.destinationPort, let v = UInt16(exactly: p) { destinationPort = v; present |= Present.destinationPort }
        if let t = f.tcpFlags, let v = UInt16(exactly: t) { tcpFlags = v; present |= Present.tcpFlags }
        if let p = f.ipProtocol, let v = UInt8(exactly: p) { ipProtocol = v; present |= Present.ipProtocol }
        version = UInt8(clamping: f.version)
        codes = f.action.rawValue | f.status.rawValue << 2 | f.direction.rawValue << 4
    }

    @inline(__always) func has(_ bit: UInt16) -> Bool { present & bit != 0 }

    public var sourcePortValue: Int? { has(Present.sourcePort) ? Int(sourcePort) : nil }
    public var destinationPortValue: Int? { has(Present.destinationPort) ? Int(destinationPort) : nil }
    public var packetsValue: Int64? { has(Present.packets) ? packets : nil }
    public var bytesValue: Int64? { has(Present.bytes) ? bytes : nil }
    public var action: FlowFields.Action { FlowFields.Action(rawValue: codes & 3) ?? .none }
    public var status: FlowFields.Status { FlowFields.Status(rawValue: codes >> 2 & 3) ?? .ok }

    public var sourceAddress: IPAddress? {
        guard has(Present.source) else { return nil }
        return has(Present.sourceV4) ? IPAddress(v4: UInt32(truncatingIfNeeded: sourceLow)) : IPAddress(v6: sourceHigh, sourceLow)
    }

    public var destinationAddress: IPAddress? {
        guard has(Present.destination) else { return nil }
        return has(Present.destinationV4) ? IPAddress(v4: UInt32(truncatingIfNeeded: destinationLow)) : IPAddress(v6: destinationHigh, destinationLow)
    }

    /// The fields back, without the ids (which the store keeps as resources).
    var fields: FlowFields {
        FlowFields(version: Int(version), sourceAddress: sourceAddress, destinationAddress: destinationAddress,
                   sourcePort: sourcePortValue, destinationPort: destinationPortValue,
                   ipProtocol: has(Present.ipProtocol) ? Int(ipProtocol) : nil,
                   packets: packetsValue, bytes: bytesValue,
                   start: has(Present.start) ? Timestamp(milliseconds: start) : nil,
                   end: has(Present.end) ? Timestamp(milliseconds: end) : nil,
                   action: action, status: status,
                   tcpFlags: has(Present.tcpFlags) ? Int(tcpFlags) : nil,
                   direction: FlowFields.Direction(rawValue: codes >> 4 & 3) ?? .unknown)
    }
}
