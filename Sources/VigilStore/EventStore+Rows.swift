import Dispatch
import VigilCore

/// The fast load path: merging rows built from bytes (``EventRows``).
extension EventStore {
    /// Builds a store from events and rows in any order, as a load does: sorts by time, drops duplicates, indexes.
    public static func build(_ events: [Event], rows: consuming EventRows?) -> EventStore {
        let store = EventStore()
        store.append(events)
        if let rows { store.absorb(rows) }
        store.restoreTimeOrder()
        store.buildIndexes()
        return store
    }

    /// Appends a batch of rows (any order within the batch), dropping records already stored (same record id).
    /// The store ends up as if the equivalent events had been passed to `append(_:)`, indexes included.
    /// Returns the number of rows added.
    @discardableResult
    public func append(_ rows: consuming EventRows) -> Int {
        guard !rows.isEmpty else { return 0 }
        let before = rowCount
        let indexed = indexesBuilt
        var order: [Int]?
        if !rows.isTimeOrdered {
            order = TimeOrder.order(rows.time)
        }
        absorb(rows, order: order)
        if indexed {
            for row in before..<rowCount { indexRow(EventID(row)) }
            indexesBuilt = true
            if postings.contains(where: { $0.needsRebuild }) { buildIndexes() }
        }
        return rowCount - before
    }

    /// Adds one stored row to the posting lists (live appends after the indexes were built).
    private func indexRow(_ row: EventID) {
        let e = Int(row)
        for k in columns.indices where Self.hasColumn(k) {
            let s = columns[k][e]
            if s != 0 { postings[k].add(event: e, symbol: s) }
        }
        if let code = errorCodes[row] { postings[IndexedField.errorCode.rawValue].add(event: e, symbol: code) }
        for s in resourceSymbols(of: row) { postings[IndexedField.resource.rawValue].add(event: e, symbol: s) }
        postings[IndexedField.kind.rawValue].add(event: e, symbol: UInt32(kind[e]) + 1)
        if principalType[e] != 0 {
            postings[IndexedField.principalType.rawValue].add(event: e, symbol: UInt32(principalType[e]))
        }
        if let flow = flowRow(row) {
            if let port = flow.sourcePortValue { postings[IndexedField.sourcePort.rawValue].add(event: e, symbol: UInt32(port) + 1) }
            if let port = flow.destinationPortValue { postings[IndexedField.destinationPort.rawValue].add(event: e, symbol: UInt32(port) + 1) }
        }
    }

    /// Moves a batch of rows in as whole columns (remapping its symbols once each), dropping records this store
    /// already holds. Rows are appended in the batch's order (or in `order`, a permutation of the batch's rows):
    /// call ``restoreTimeOrder()`` when all are in.
    public func absorb(_ rows: consuming EventRows, order: [Int]? = nil) {
        var map = RowSymbolMap()
        absorb(rows, order: order, map: &map)
    }

    /// `absorb(_:order:)` for batches that share one interner: `map` remembers the symbols already converted,
    /// so each distinct value becomes a store symbol once for all of them. Use one map per interner.
    public func absorb(_ rows: consuming EventRows, order: [Int]? = nil, map: inout RowSymbolMap) {
        precondition(!rows.hasDeferredRaw, "rows whose raw records were never settled")
        let n = rows.count
        guard n > 0 else { return }
        map.extend(to: rows.symbols, in: self)
        let remap = map.remap
        let base = time.count
        var kept: [Int] = []
        kept.reserveCapacity(n)
        for r in order ?? Array(0..<n) {
            let fingerprint = rows.fingerprint(r)
            if fingerprint != 0 {
                guard insertFingerprint(fingerprint) else { duplicatesDropped += 1; continue }
            }
            let destination = Int(rows.cells[r * EventRows.stride + IndexedField.destinationIP.rawValue])
            if destination != 0 { map.resolveDestination(destination, of: rows.symbols, in: self) }
            kept.append(r)
        }
        let all = order == nil && kept.count == n
        reserveRows(additional: kept.count)

        // Columns are independent: fill them on all cores, each job appending to its own column in place (taken
        // out of the store first, so that no second reference makes an append copy the whole column).
        let columnIndexes = columns.indices.filter { Self.hasColumn($0) }
        let cells = rows.cells, keptRows = kept, symbolMap = remap, destinationSymbols = map.destination
        var taken = columns
        columns = []
        taken.withUnsafeMutableBufferPointer { buffer in
            let target = UncheckedColumns(buffer)
            // Small batches are not worth waking the other cores for.
            DispatchQueue.concurrentPerform(iterations: kept.count >= 20_000 ? columnIndexes.count : 0) { job in
                let k = columnIndexes[job]
                let map = k == IndexedField.destinationIP.rawValue ? destinationSymbols : symbolMap
                target.buffer[k].append(cells: cells, stride: EventRows.stride, offset: k, rows: keptRows, remap: map)
            }
            if kept.count < 20_000 {
                for k in columnIndexes {
                    let map = k == IndexedField.destinationIP.rawValue ? destinationSymbols : symbolMap
                    buffer[k].append(cells: cells, stride: EventRows.stride, offset: k, rows: keptRows, remap: map)
                }
            }
        }
        columns = taken

        if all {
            if let last = time.last, let first = rows.time.first, first < last { isTimeOrdered = false }
            if !rows.isTimeOrdered { isTimeOrdered = false }
            time.append(contentsOf: rows.time)
            kind.append(contentsOf: rows.kind)
            flags.append(contentsOf: rows.flags)
            principalType.append(contentsOf: rows.principalType)
        } else {
            for r in kept {
                if let last = time.last, rows.time[r] < last { isTimeOrdered = false }
                time.append(rows.time[r])
                kind.append(rows.kind[r])
                flags.append(rows.flags[r])
                principalType.append(rows.principalType[r])
            }
        }

        var newRow = [EventID](repeating: .max, count: n)
        for (k, r) in kept.enumerated() { newRow[r] = EventID(base + k) }
        for entry in rows.errorCodes where newRow[Int(entry.row)] != .max {
            errorCodes[newRow[Int(entry.row)]] = remap[Int(entry.symbol)]
        }
        for r in kept {
            for k in Int(rows.resourceStart[r])..<Int(rows.resourceStart[r + 1]) {
                resourceSymbols.append(remap[Int(rows.resourceSymbols[k])])
            }
            resourceStart.append(UInt32(resourceSymbols.count))
        }
        // Flow numbers: the batch's flow rows are in row order, one per flow row.
        var packetOf = [Int](repeating: -1, count: rows.packetAddresses.isEmpty ? 0 : rows.flows.count)
        for (k, entry) in rows.packetAddresses.enumerated() { packetOf[Int(entry.flow)] = k }
        var flowOf = [Int32](repeating: -1, count: rows.flows.isEmpty ? 0 : n)
        if !rows.flows.isEmpty {
            var next: Int32 = 0
            for r in 0..<n where rows.kind[r] == EventKind.flow.rawValue { flowOf[r] = next; next += 1 }
        }
        for r in kept {
            guard !flowOf.isEmpty, flowOf[r] >= 0 else {
                detailRow.append(UInt32.max)
                continue
            }
            let flow = Int(flowOf[r])
            if !packetOf.isEmpty, packetOf[flow] >= 0 {
                let entry = rows.packetAddresses[packetOf[flow]]
                packetAddresses[UInt32(flows.count)] = (entry.source, entry.destination)
            }
            detailRow.append(UInt32(flows.count))
            flows.append(rows.flows[flow], wide: rows.flows[flow].isWide ? rows.wideFlows[UInt32(flow)] : nil)
        }
        // Attribute combinations: each distinct one is remapped to store symbols and numbered once.
        var setMap = [UInt32](repeating: 0, count: rows.attributeSets.count)
        for local in 1..<max(1, rows.attributeSets.count) {
            let cells: [UInt32] = rows.attributeSets.withBytes(UInt32(local)) { bytes in
                (0..<bytes.count / 4).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
            }
            setMap[local] = attributeSetID(cells.map { $0 == 0 || $0 == RecordAttribute.absentMark ? $0 : remap[Int($0)] })
        }
        for r in kept { attributeSets.append(setMap[Int(rows.attributeSet(r))]) }
        let pageShift = raw.absorbPages(of: &rows.raw)
        raw.appendRecords(from: rows.raw, rows: all ? nil : kept, pageShift: pageShift)
        timeOrderCache = nil
        indexesBuilt = false
    }
}

/// Symbols of one ``ByteInterner`` already converted to a store's, for merging many batches that share it.
public struct RowSymbolMap: Sendable {
    /// Interner symbol → store symbol.
    var remap: [UInt32] = [0]
    /// Interner symbol → store symbol of the address's canonical text (for destination addresses).
    var destination: [UInt32] = [0]
    private var destinationDone: [Bool] = [true]
    private var interner: ObjectIdentifier?

    public init() {}

    /// Converts the symbols `symbols` gained since the last call.
    mutating func extend(to symbols: ByteInterner, in store: EventStore) {
        let id = ObjectIdentifier(symbols)
        precondition(interner == nil || interner == id, "a RowSymbolMap serves one interner")
        interner = id
        guard remap.count < symbols.count else { return }
        for s in remap.count..<symbols.count {
            remap.append(store.symbols.intern(symbols.string(UInt32(s))))
        }
        destination.append(contentsOf: remap[destination.count...])
        destinationDone.append(contentsOf: repeatElement(false, count: remap.count - destinationDone.count))
    }

    /// Makes `destination[symbol]` the symbol of the address's canonical text (as appended events have it).
    @inline(__always)
    mutating func resolveDestination(_ symbol: Int, of symbols: ByteInterner, in store: EventStore) {
        guard !destinationDone[symbol] else { return }
        destinationDone[symbol] = true
        if let address = symbols.withBytes(UInt32(symbol), { IPAddress.parse($0) }) {
            destination[symbol] = store.addressSymbol(address)
        }
    }
}

/// The store's columns handed to the jobs that fill them, each job writing only its own column.
private struct UncheckedColumns: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<SymbolColumn>
    init(_ buffer: UnsafeMutableBufferPointer<SymbolColumn>) { self.buffer = buffer }
}
