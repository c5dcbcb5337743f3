import Dispatch
import Synchronization
import VigilCore

/// The fast load path: merging rows built from bytes (``EventRows``).
extension EventStore {
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
        let n = rows.count
        guard n > 0 else { return }
        var remap = [UInt32](repeating: 0, count: rows.symbols.count)
        for s in 1..<rows.symbols.count { remap[s] = symbols.intern(rows.symbols.string(UInt32(s))) }
        // Destination addresses take their canonical text (as appended events do), found once per value.
        var destinationMap = remap
        var seenDestination = [Bool](repeating: false, count: remap.count)
        let base = time.count

        var kept: [Int] = []
        kept.reserveCapacity(n)
        for r in order ?? Array(0..<n) {
            let fingerprint = rows.fingerprints[r]
            if fingerprint != 0 {
                guard insertFingerprint(fingerprint) else { duplicatesDropped += 1; continue }
            }
            let destination = Int(rows.cells[r * EventRows.stride + IndexedField.destinationIP.rawValue])
            if destination != 0, !seenDestination[destination] {
                seenDestination[destination] = true
                if let address = rows.symbols.withBytes(UInt32(destination), { IPAddress.parse($0) }) {
                    destinationMap[destination] = addressSymbol(address)
                }
            }
            kept.append(r)
        }
        let all = order == nil && kept.count == n
        reserveRows(additional: kept.count)
        if keepsRecordFingerprints { fingerprints.append(contentsOf: all ? rows.fingerprints : kept.map { rows.fingerprints[$0] }) }

        // Columns are independent: fill them on all cores.
        let columnIndexes = columns.indices.filter { Self.hasColumn($0) }
        let source = columns
        let cells = rows.cells, keptRows = kept, symbolMap = remap, destinationSymbols = destinationMap
        let merged = Mutex([SymbolColumn?](repeating: nil, count: source.count))
        columns = []
        DispatchQueue.concurrentPerform(iterations: columnIndexes.count) { job in
            let k = columnIndexes[job]
            var column = source[k]
            let map = k == IndexedField.destinationIP.rawValue ? destinationSymbols : symbolMap
            column.append(cells: cells, stride: EventRows.stride, offset: k, rows: keptRows, remap: map)
            merged.withLock { $0[k] = column }
        }
        columns = merged.withLock { built in source.indices.map { built[$0] ?? source[$0] } }

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
            flows.append(rows.flows[flow])
        }
        let pageShift = raw.absorbPages(of: &rows.raw)
        raw.appendRecords(from: rows.raw, rows: all ? nil : kept, pageShift: pageShift)
        timeOrderCache = nil
        indexesBuilt = false
    }
}
