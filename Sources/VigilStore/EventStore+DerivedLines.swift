import VigilCore

/// Flow log lines that the store writes back from its columns instead of keeping their bytes.
///
/// A version-2 default-format line written the plain way (one space between fields, numbers without leading
/// zeros, ids in ASCII, every field present, or for a NODATA or SKIPDATA record `-` for all but the times) says
/// nothing its columns do not: the reader marks such a flow
/// (``FlowTable/Info/derivedLine``) and keeps no bytes for it, and the line is written again, byte for byte,
/// whenever its raw record is read. The raw lines were about half of a flow load's memory.
extension EventStore {
    /// How many flow lines the store rebuilds from its columns rather than keeps (a pass over the flows).
    public var derivedLineCount: Int {
        flows.info.reduce(0) { $0 + ($1 & FlowTable.Info.derivedLine != 0 ? 1 : 0) }
    }

    /// Calls `body` with the line of flow event `id` written from its columns; nil when the event's raw record
    /// is kept as bytes. For one record at a time; scans read through a ``RawReader``, which does the same through
    /// pointers (``ColumnReader/withDerivedLine(of:_:)``).
    func withDerivedLine<R>(of id: EventID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let i = Int(id)
        guard kind[i] == EventKind.flow.rawValue else { return nil }
        let flow = flows.narrow(Int(detailRow[i]))
        guard flow.info & FlowTable.Info.derivedLine != 0, resourceStart[i] < resourceStart[i + 1] else { return nil }
        return try DerivedLine.write(flow, account: symbols[columns[IndexedField.account.rawValue][i]],
                                     interface: symbols[resourceSymbols[Int(resourceStart[i])]], body)
    }
}

extension ColumnReader {
    /// ``EventStore/withDerivedLine(of:_:)`` through pointers: no reference counted access per record, for
    /// scans over millions of flows (free text, rules).
    @inline(__always)
    func withDerivedLine<R>(of id: EventStore.EventID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let i = Int(id)
        guard kinds[i] == EventKind.flow.rawValue else { return nil }
        let f = Int(detailRows[i])
        guard flowInfo[f] & FlowTable.Info.derivedLine != 0 else { return nil }
        let start = Int(resourceStarts[i])
        guard start < Int(resourceStarts[i + 1]) else { return nil }
        return try DerivedLine.write(flows.narrow(f), account: symbolTexts[Int(columns[IndexedField.account.rawValue][i])],
                                     interface: symbolTexts[Int(resourceSymbols[start])], body)
    }
}

/// The one writer of derived flow lines.
enum DerivedLine {
    /// Writes the line of flow `flow` (a derived one: narrow, with its account and interface) into a buffer on
    /// the stack and calls `body` with it.
    @inline(__always)
    static func write<R>(_ flow: FlowTable.Narrow, account: String, interface: String,
                         _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        // The numbers, addresses, action and spaces take at most 150 bytes.
        let capacity = account.utf8.count + interface.utf8.count + 160
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var line = LineWriter(buffer.baseAddress!)
            let row = FlowRow(narrow: flow)
            line.decimal(UInt64(row.version))
            line.space()
            line.text(account)
            line.space()
            line.text(interface)
            line.space()
            if row.status != .ok {
                // A NODATA or SKIPDATA record: only its times.
                line.text("- - - - - - - ")
                line.decimal(UInt64(bitPattern: row.start / 1000))
                line.space()
                line.decimal(UInt64(bitPattern: row.end / 1000))
                line.text(row.status == .noData ? " - NODATA" : " - SKIPDATA")
                return try body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: line.count))
            }
            line.address(flow.source)
            line.space()
            line.address(flow.destination)
            line.space()
            line.decimal(UInt64(row.sourcePort))
            line.space()
            line.decimal(UInt64(row.destinationPort))
            line.space()
            line.decimal(UInt64(row.ipProtocol))
            line.space()
            line.decimal(UInt64(flow.packets))
            line.space()
            line.decimal(UInt64(bitPattern: flow.bytes))
            line.space()
            line.decimal(UInt64(bitPattern: row.start / 1000))
            line.space()
            line.decimal(UInt64(bitPattern: row.end / 1000))
            line.space()
            line.text(row.action == .reject ? "REJECT" : "ACCEPT")
            line.space()
            line.text("OK")
            return try body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: line.count))
        }
    }
}

/// Writes a line's parts into a buffer known to be large enough.
private struct LineWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inline(__always)
    mutating func space() {
        base[count] = 0x20
        count += 1
    }

    @inline(__always)
    mutating func text(_ s: String) {
        // Symbol texts are native strings, whose bytes are contiguous; the fallback copies.
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { utf8 in
            (base + count).update(from: utf8.baseAddress!, count: utf8.count)
            count += utf8.count
        }
        if done == nil { for b in s.utf8 { base[count] = b; count += 1 } }
    }

    @inline(__always)
    mutating func text(_ s: StaticString) {
        for k in 0..<s.utf8CodeUnitCount {
            base[count] = s.utf8Start[k]
            count += 1
        }
    }

    @inline(__always)
    mutating func decimal(_ value: UInt64) {
        var digits = InlineArray<20, UInt8>(repeating: 0)
        var v = value, n = 0
        repeat {
            digits[n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
            v /= 10
            n += 1
        } while v > 0
        while n > 0 {
            n -= 1
            base[count] = digits[n]
            count += 1
        }
    }

    /// An IPv4 address in dotted-quad form.
    @inline(__always)
    mutating func address(_ v4: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            decimal(UInt64(v4 >> UInt32(shift) & 0xFF))
            if shift > 0 {
                base[count] = 0x2E
                count += 1
            }
        }
    }
}
