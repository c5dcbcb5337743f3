import VigilCore

/// A flow record's numbers in 80 bytes, for the store's side table (`FlowFields` with its optionals and strings
/// takes about 330). Interface, instance, VPC and subnet ids live in the event's resources; packet-level addresses,
/// which rarely differ from the flow's, are kept apart by the store.
///
/// Detectors read it through a ``ColumnReader``; the `…Value` accessors give nil for fields the record did not have.
public struct FlowRow: Sendable {
    @usableFromInline var sourceHigh: UInt64 = 0, sourceLow: UInt64 = 0
    @usableFromInline var destinationHigh: UInt64 = 0, destinationLow: UInt64 = 0
    @usableFromInline var start: Int64 = 0, end: Int64 = 0
    @usableFromInline var packets: Int64 = 0, bytes: Int64 = 0
    @usableFromInline var sourcePort: UInt16 = 0, destinationPort: UInt16 = 0
    @usableFromInline var tcpFlags: UInt16 = 0
    @usableFromInline var ipProtocol: UInt8 = 0
    @usableFromInline var version: UInt8 = 0
    /// action (2 bits), status (2 bits), direction (2 bits).
    @usableFromInline var codes: UInt8 = 0
    /// Which optional fields are present (bits from `Present`).
    @usableFromInline var present: UInt16 = 0

    @usableFromInline
    enum Present {
        @usableFromInline static let source: UInt16 = 1 << 0, sourceV4: UInt16 = 1 << 1
        @usableFromInline static let destination: UInt16 = 1 << 2, destinationV4: UInt16 = 1 << 3
        @usableFromInline static let start: UInt16 = 1 << 4, end: UInt16 = 1 << 5
        @usableFromInline static let packets: UInt16 = 1 << 6, bytes: UInt16 = 1 << 7
        @usableFromInline static let sourcePort: UInt16 = 1 << 8, destinationPort: UInt16 = 1 << 9
        @usableFromInline static let tcpFlags: UInt16 = 1 << 10, ipProtocol: UInt16 = 1 << 11
    }

    /// An empty row as `FlowFields()` has it (version 0, no fields, no action, status OK, direction unknown), for
    /// readers that fill it while they parse a line.
    @inlinable public init() { setCodes(action: .none, status: .ok, direction: .unknown) }

    init(_ f: FlowFields) {
        self.init()
        if let a = f.sourceAddress { setSource(a) }
        if let a = f.destinationAddress { setDestination(a) }
        if let t = f.start { setStart(t) }
        if let t = f.end { setEnd(t) }
        if let v = f.packets { setPackets(v) }
        if let v = f.bytes { setBytes(v) }
        if let p = f.sourcePort { setSourcePort(Int64(p)) }
        if let p = f.destinationPort { setDestinationPort(Int64(p)) }
        if let t = f.tcpFlags { setTCPFlags(Int64(t)) }
        if let p = f.ipProtocol { setProtocol(Int64(p)) }
        setVersion(Int64(f.version))
        setCodes(action: f.action, status: f.status, direction: f.direction)
    }

    // MARK: Filling a row (values out of a field's range leave it absent, as `init(_:)` does)

    @inlinable public mutating func setSource(_ a: IPAddress) {
        sourceHigh = a.high; sourceLow = a.low
        present |= Present.source | (a.isV4 ? Present.sourceV4 : 0)
    }

    @inlinable public mutating func setDestination(_ a: IPAddress) {
        destinationHigh = a.high; destinationLow = a.low
        present |= Present.destination | (a.isV4 ? Present.destinationV4 : 0)
    }

    @inlinable public mutating func setStart(_ t: Timestamp) { start = t.milliseconds; present |= Present.start }
    @inlinable public mutating func setEnd(_ t: Timestamp) { end = t.milliseconds; present |= Present.end }
    @inlinable public mutating func setPackets(_ v: Int64) { packets = v; present |= Present.packets }
    @inlinable public mutating func setBytes(_ v: Int64) { bytes = v; present |= Present.bytes }

    @inlinable public mutating func setSourcePort(_ v: Int64) {
        if let p = UInt16(exactly: v) { sourcePort = p; present |= Present.sourcePort }
    }

    @inlinable public mutating func setDestinationPort(_ v: Int64) {
        if let p = UInt16(exactly: v) { destinationPort = p; present |= Present.destinationPort }
    }

    @inlinable public mutating func setTCPFlags(_ v: Int64) {
        if let f = UInt16(exactly: v) { tcpFlags = f; present |= Present.tcpFlags }
    }

    @inlinable public mutating func setProtocol(_ v: Int64) {
        if let p = UInt8(exactly: v) { ipProtocol = p; present |= Present.ipProtocol }
    }

    @inlinable public mutating func setVersion(_ v: Int64) { version = UInt8(clamping: v) }

    @inlinable public mutating func setCodes(action: FlowFields.Action, status: FlowFields.Status, direction: FlowFields.Direction) {
        codes = action.rawValue | status.rawValue << 2 | direction.rawValue << 4
    }

    @inlinable public mutating func setAction(_ action: FlowFields.Action) { codes = codes & ~3 | action.rawValue }
    @inlinable public mutating func setStatus(_ status: FlowFields.Status) { codes = codes & ~(3 << 2) | status.rawValue << 2 }
    @inlinable public mutating func setDirection(_ direction: FlowFields.Direction) {
        codes = codes & ~(3 << 4) | direction.rawValue << 4
    }

    @inline(__always) func has(_ bit: UInt16) -> Bool { present & bit != 0 }

    /// The time the row's event is filed at: its start, else its end.
    public var startOrEnd: Timestamp? {
        has(Present.start) ? Timestamp(milliseconds: start) : has(Present.end) ? Timestamp(milliseconds: end) : nil
    }

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
    public var fields: FlowFields {
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
