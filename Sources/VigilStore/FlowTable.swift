import VigilCore

/// The store's flow records' numbers, a column each: 44 bytes a flow where a ``FlowRow`` takes 80.
///
/// Nearly every flow fits narrow columns: IPv4 addresses in four bytes, packets in four, the end as an offset
/// from the start. A flow that does not (an IPv6 address, more than 2³² − 1 packets, an end without a start or
/// more than 24 days from it) is marked wide and kept whole in a side table. Detectors read one column at a time
/// through a ``Reader``: a port scan reads the ports and never the byte counts.
@usableFromInline
struct FlowTable: Sendable {
    var source: [UInt32] = []
    var destination: [UInt32] = []
    /// Source port in the high half, destination port in the low half.
    var ports: [UInt32] = []
    var packets: [UInt32] = []
    var bytes: [Int64] = []
    var start: [Int64] = []
    /// End minus start, in milliseconds.
    var endOffset: [Int32] = []
    /// Presence bits, TCP flags, protocol, version, codes and the wide mark (see ``Info``).
    var info: [UInt64] = []
    /// The wide flows, whole, by index.
    var wide: [UInt32: FlowRow] = [:]

    /// The layout of an `info` value.
    @usableFromInline
    enum Info {
        @usableFromInline static let tcpFlagsShift: UInt64 = 16, protocolShift: UInt64 = 32
        @usableFromInline static let versionShift: UInt64 = 40, codesShift: UInt64 = 48
        /// The flow's line is not kept: the store rebuilds it from the columns (see ``EventStore/withDerivedLine(of:_:)``).
        @usableFromInline static let derivedLine: UInt64 = 1 << 62
        @usableFromInline static let wide: UInt64 = 1 << 63
    }

    var count: Int { info.count }
    var isEmpty: Bool { info.isEmpty }

    mutating func reserveCapacity(_ n: Int) {
        source.reserveCapacity(n)
        destination.reserveCapacity(n)
        ports.reserveCapacity(n)
        packets.reserveCapacity(n)
        bytes.reserveCapacity(n)
        start.reserveCapacity(n)
        endOffset.reserveCapacity(n)
        info.reserveCapacity(n)
    }

    /// Bytes held (capacities), the side table counted at a row and a key per wide flow.
    var footprint: Int {
        (source.capacity + destination.capacity + ports.capacity + packets.capacity + endOffset.capacity) * 4
            + (bytes.capacity + start.capacity + info.capacity) * 8 + wide.count * (MemoryLayout<FlowRow>.stride + 8)
    }

    /// One flow in the narrow form: what a batch keeps of a flow line (48 bytes), and a row of the table's
    /// columns. A wide flow's is a mark: zeros, its presence bits and codes, and ``Info/wide``.
    @usableFromInline
    struct Narrow: BitwiseCopyable, Sendable {
        @usableFromInline var source: UInt32 = 0, destination: UInt32 = 0, ports: UInt32 = 0, packets: UInt32 = 0
        @usableFromInline var endOffset: Int32 = 0
        @usableFromInline var bytes: Int64 = 0, start: Int64 = 0
        @usableFromInline var info: UInt64 = 0

        @inlinable init() {}

        @inlinable var isWide: Bool { info & Info.wide != 0 }
    }

    /// The narrow form of `row`, or nil when it does not fit.
    @inline(__always)
    static func narrow(_ row: FlowRow) -> Narrow? {
        typealias P = FlowRow.Present
        let present = row.present
        if present & P.source != 0, present & P.sourceV4 == 0 { return nil }
        if present & P.destination != 0, present & P.destinationV4 == 0 { return nil }
        if present & P.packets != 0, UInt32(exactly: row.packets) == nil { return nil }
        var n = Narrow()
        if present & P.end != 0 {
            let (difference, overflow) = row.end.subtractingReportingOverflow(row.start)
            guard present & P.start != 0, !overflow, let o = Int32(exactly: difference) else { return nil }
            n.endOffset = o
        }
        n.info = UInt64(present) | UInt64(row.tcpFlags) << Info.tcpFlagsShift | UInt64(row.ipProtocol) << Info.protocolShift
            | UInt64(row.version) << Info.versionShift | UInt64(row.codes) << Info.codesShift
        n.source = UInt32(truncatingIfNeeded: row.sourceLow)
        n.destination = UInt32(truncatingIfNeeded: row.destinationLow)
        n.ports = row.portPair
        n.packets = UInt32(truncatingIfNeeded: row.packets)
        n.bytes = row.bytes
        n.start = row.start
        return n
    }

    /// The narrow form of `row`, or the wide mark when it does not fit (the caller keeps the row itself).
    @inline(__always)
    static func encode(_ row: FlowRow) -> Narrow {
        if let n = narrow(row) { return n }
        var mark = Narrow()
        mark.info = UInt64(row.present) | UInt64(row.codes) << Info.codesShift | Info.wide
        return mark
    }

    mutating func append(_ row: FlowRow) {
        let n = Self.encode(row)
        append(n, wide: n.isWide ? row : nil)
    }

    /// Appends a flow in its narrow form, with the whole row when it is a wide mark.
    mutating func append(_ n: Narrow, wide row: FlowRow?) {
        if n.isWide { wide[UInt32(count)] = row ?? FlowRow() }
        source.append(n.source); destination.append(n.destination); ports.append(n.ports); packets.append(n.packets)
        bytes.append(n.bytes); start.append(n.start); endOffset.append(n.endOffset); info.append(n.info)
    }

    /// Flow `i` whole (for reads one at a time; long loops read through a ``Reader``).
    subscript(i: Int) -> FlowRow {
        if info[i] & Info.wide != 0 { return wide[UInt32(i)] ?? FlowRow() }
        return FlowRow(narrow: narrow(i))
    }

    /// Flow `i` in its narrow form.
    func narrow(_ i: Int) -> Narrow {
        var n = Narrow()
        (n.source, n.destination, n.ports, n.packets) = (source[i], destination[i], ports[i], packets[i])
        (n.bytes, n.start, n.endOffset, n.info) = (bytes[i], start[i], endOffset[i], info[i])
        return n
    }

    /// The table with its flows in a new order: flow `k` is old flow `order[k]`.
    func gathered(_ order: [Int]) -> FlowTable {
        var out = FlowTable()
        out.source = EventStore.gather(source, order)
        out.destination = EventStore.gather(destination, order)
        out.ports = EventStore.gather(ports, order)
        out.packets = EventStore.gather(packets, order)
        out.bytes = EventStore.gather(bytes, order)
        out.start = EventStore.gather(start, order)
        out.endOffset = EventStore.gather(endOffset, order)
        out.info = EventStore.gather(info, order)
        if !wide.isEmpty {
            for (k, old) in order.enumerated() where info[old] & Info.wide != 0 { out.wide[UInt32(k)] = wide[UInt32(old)] }
        }
        return out
    }

    /// Makes a table of `count` flows written by `body` through a ``Writer`` (every index must be written once);
    /// the wide flows are those `body` returns.
    static func build(count: Int, _ body: (Writer) -> [UInt32: FlowRow]) -> FlowTable {
        var out = FlowTable()
        var wide: [UInt32: FlowRow] = [:]
        func column<T>(_ fill: (UnsafeMutablePointer<T>) -> Void) -> [T] {
            [T](unsafeUninitializedCapacity: count) { buffer, written in
                if let base = buffer.baseAddress { fill(base) }
                written = count
            }
        }
        out.source = column { s in
            out.destination = column { d in
                out.ports = column { p in
                    out.packets = column { k in
                        out.bytes = column { b in
                            out.start = column { t in
                                out.endOffset = column { e in
                                    out.info = column { i in
                                        wide = body(Writer(source: s, destination: d, ports: p, packets: k, bytes: b, start: t,
                                                           endOffset: e, info: i))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        out.wide = wide
        return out
    }

    /// Writes flows at given indexes of a table being built (see ``build(count:_:)``); parts may write from
    /// several threads, each to its own indexes.
    struct Writer: @unchecked Sendable {
        let source: UnsafeMutablePointer<UInt32>, destination: UnsafeMutablePointer<UInt32>
        let ports: UnsafeMutablePointer<UInt32>, packets: UnsafeMutablePointer<UInt32>
        let bytes: UnsafeMutablePointer<Int64>, start: UnsafeMutablePointer<Int64>
        let endOffset: UnsafeMutablePointer<Int32>, info: UnsafeMutablePointer<UInt64>

        /// Writes a flow's narrow form (or wide mark) at `i`.
        @inline(__always)
        func write(_ n: Narrow, at i: Int) {
            source[i] = n.source; destination[i] = n.destination; ports[i] = n.ports; packets[i] = n.packets
            bytes[i] = n.bytes; start[i] = n.start; endOffset[i] = n.endOffset; info[i] = n.info
        }
    }

    /// Calls `body` with a ``Reader`` over the table.
    func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        try source.withUnsafeBufferPointer { s in
            try destination.withUnsafeBufferPointer { d in
                try ports.withUnsafeBufferPointer { p in
                    try packets.withUnsafeBufferPointer { k in
                        try bytes.withUnsafeBufferPointer { b in
                            try start.withUnsafeBufferPointer { t in
                                try endOffset.withUnsafeBufferPointer { e in
                                    try info.withUnsafeBufferPointer { i in
                                        try withUnsafePointer(to: wide) { w in
                                            try body(Reader(source: s, destination: d, ports: p, packets: k, bytes: b, start: t,
                                                            endOffset: e, info: i, wide: w))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Reads flows through pointers, a field at a time or whole (valid only inside ``withReader(_:)``).
    @usableFromInline
    struct Reader {
        @usableFromInline let source: UnsafeBufferPointer<UInt32>, destination: UnsafeBufferPointer<UInt32>
        @usableFromInline let ports: UnsafeBufferPointer<UInt32>, packets: UnsafeBufferPointer<UInt32>
        @usableFromInline let bytes: UnsafeBufferPointer<Int64>, start: UnsafeBufferPointer<Int64>
        @usableFromInline let endOffset: UnsafeBufferPointer<Int32>, info: UnsafeBufferPointer<UInt64>
        /// Through a pointer: a reader is copied into every detector's loop, and a dictionary would be retained
        /// and released each time.
        @usableFromInline let wide: UnsafePointer<[UInt32: FlowRow]>

        @usableFromInline
        init(source: UnsafeBufferPointer<UInt32>, destination: UnsafeBufferPointer<UInt32>, ports: UnsafeBufferPointer<UInt32>,
             packets: UnsafeBufferPointer<UInt32>, bytes: UnsafeBufferPointer<Int64>, start: UnsafeBufferPointer<Int64>,
             endOffset: UnsafeBufferPointer<Int32>, info: UnsafeBufferPointer<UInt64>, wide: UnsafePointer<[UInt32: FlowRow]>) {
            (self.source, self.destination, self.ports, self.packets) = (source, destination, ports, packets)
            (self.bytes, self.start, self.endOffset, self.info, self.wide) = (bytes, start, endOffset, info, wide)
        }

        @inlinable @inline(__always)
        func isWide(_ i: Int) -> Bool { info[i] & Info.wide != 0 }

        @inlinable @inline(__always)
        func present(_ i: Int) -> UInt16 { UInt16(truncatingIfNeeded: info[i]) }

        /// Flow `i` whole.
        @inlinable
        func row(_ i: Int) -> FlowRow {
            if isWide(i) { return wideRow(i) }
            return FlowRow(narrow: narrow(i))
        }

        /// Flow `i` in its narrow form (the wide mark for a wide flow).
        @inlinable @inline(__always)
        func narrow(_ i: Int) -> Narrow {
            var n = Narrow()
            (n.source, n.destination, n.ports, n.packets) = (source[i], destination[i], ports[i], packets[i])
            (n.bytes, n.start, n.endOffset, n.info) = (bytes[i], start[i], endOffset[i], info[i])
            return n
        }

        /// The flow's source and destination ports (nil when absent).
        @inlinable @inline(__always)
        func ports(_ i: Int) -> (source: Int?, destination: Int?) { Self.ports(i, info: info, ports: ports, wide: wide) }

        /// The flow's byte count (nil when absent).
        @inlinable @inline(__always)
        func bytes(_ i: Int) -> Int64? { Self.bytes(i, info: info, bytes: bytes, wide: wide) }

        /// The flow's action (accept, reject or none).
        @inlinable @inline(__always)
        func action(_ i: Int) -> FlowFields.Action { Self.action(i, info: info) }

        /// The flow's destination as an IPv4 address, or nil when it is absent or IPv6.
        @inlinable @inline(__always)
        func destinationV4(_ i: Int) -> UInt32? { Self.destinationV4(i, info: info, destination: destination, wide: wide) }

        // The same reads given only the columns they need: a caller that holds the columns apart (``ColumnReader``)
        // reads through these, since calling a method of the whole reader copies all of its 136 bytes each time.

        @inlinable @inline(__always)
        static func ports(_ i: Int, info: UnsafeBufferPointer<UInt64>, ports: UnsafeBufferPointer<UInt32>,
                          wide: UnsafePointer<[UInt32: FlowRow]>) -> (source: Int?, destination: Int?) {
            let v = info[i]
            let present = UInt16(truncatingIfNeeded: v)
            let pair = v & Info.wide != 0 ? wideRow(i, in: wide).portPair : ports[i]
            return (present & FlowRow.Present.sourcePort != 0 ? Int(pair >> 16) : nil,
                    present & FlowRow.Present.destinationPort != 0 ? Int(pair & 0xFFFF) : nil)
        }

        @inlinable @inline(__always)
        static func bytes(_ i: Int, info: UnsafeBufferPointer<UInt64>, bytes: UnsafeBufferPointer<Int64>,
                          wide: UnsafePointer<[UInt32: FlowRow]>) -> Int64? {
            let v = info[i]
            guard UInt16(truncatingIfNeeded: v) & FlowRow.Present.bytes != 0 else { return nil }
            return v & Info.wide != 0 ? wideRow(i, in: wide).bytes : bytes[i]
        }

        @inlinable @inline(__always)
        static func action(_ i: Int, info: UnsafeBufferPointer<UInt64>) -> FlowFields.Action {
            FlowFields.Action(rawValue: UInt8(truncatingIfNeeded: info[i] >> Info.codesShift) & 3) ?? .none
        }

        @inlinable @inline(__always)
        static func destinationV4(_ i: Int, info: UnsafeBufferPointer<UInt64>, destination: UnsafeBufferPointer<UInt32>,
                                  wide: UnsafePointer<[UInt32: FlowRow]>) -> UInt32? {
            let v = info[i]
            let present = UInt16(truncatingIfNeeded: v)
            guard present & FlowRow.Present.destination != 0, present & FlowRow.Present.destinationV4 != 0 else { return nil }
            return v & Info.wide != 0 ? UInt32(truncatingIfNeeded: wideRow(i, in: wide).destinationLow) : destination[i]
        }

        @inlinable @inline(__always)
        func wideRow(_ i: Int) -> FlowRow { Self.wideRow(i, in: wide) }

        /// Out of line, and given only the table's address: a method of the reader would be handed a copy of the
        /// whole reader, made on every read, wide or not.
        @usableFromInline @inline(never)
        static func wideRow(_ i: Int, in wide: UnsafePointer<[UInt32: FlowRow]>) -> FlowRow { wide.pointee[UInt32(i)] ?? FlowRow() }
    }
}

extension FlowRow {
    /// A row from its narrow form (see ``FlowTable/narrow(_:)``).
    @inlinable
    init(narrow n: FlowTable.Narrow) {
        self.init()
        present = UInt16(truncatingIfNeeded: n.info)
        tcpFlags = UInt16(truncatingIfNeeded: n.info >> FlowTable.Info.tcpFlagsShift)
        ipProtocol = UInt8(truncatingIfNeeded: n.info >> FlowTable.Info.protocolShift)
        version = UInt8(truncatingIfNeeded: n.info >> FlowTable.Info.versionShift)
        codes = UInt8(truncatingIfNeeded: n.info >> FlowTable.Info.codesShift)
        sourceLow = UInt64(n.source)
        destinationLow = UInt64(n.destination)
        sourcePort = UInt16(truncatingIfNeeded: n.ports >> 16)
        destinationPort = UInt16(truncatingIfNeeded: n.ports)
        packets = Int64(n.packets)
        bytes = n.bytes
        start = n.start
        end = present & Present.end != 0 ? n.start &+ Int64(n.endOffset) : 0
    }

    /// Both ports in one value, as the table keeps them.
    @usableFromInline
    var portPair: UInt32 { UInt32(sourcePort) << 16 | UInt32(destinationPort) }
}
