import VigilCore

/// Putting a batch's rows in time order, raw bytes included.
extension EventRows {
    /// The mean size of the batch's raw records (those still deferred included).
    public var averageRawRecordBytes: Int { (raw.storedBytes + deferredBytes) / max(1, count) }

    /// Whether the worker that read the batch should put it in time order, raw bytes and all, before it is merged:
    /// worth it for JSON records (256 bytes or more on average), which queries and rules read back in time order;
    /// short text lines (flow logs) are left to the store's one ordering pass, which moves only their table entries.
    public var isWorthSortingByTime: Bool { averageRawRecordBytes >= 256 }

    /// Reorders the rows by time (ties keep their order), moving JSON raw records too, so that reading the store
    /// in time order later walks memory forwards. Logs deliver a file's records out of order; this runs on the
    /// thread that read the file, in parallel with the others.
    public mutating func sortByTime() {
        guard !isTimeOrdered else { return }
        precondition(!hasDeferredRaw, "sorting rows whose raw records are not settled")
        let order = TimeOrder.order(time)
        permuteRows(order)

        if isWorthSortingByTime {
            var sorted = RawArena(compressed: raw.compressed)
            sorted.reserveCapacity(order.count)
            sorted.reserveBytes(raw.storedBytes)
            raw.withReader { reader in
                if let reader {
                    for old in order { sorted.append(reader.bytes(old)) }
                } else {
                    for old in order { sorted.append(raw.bytes(old)) }
                }
            }
            raw = sorted
        } else {
            raw.permute(order)
        }
        isTimeOrdered = true
    }

    /// Reorders every per-row column but the raw records (row `k` becomes old row `order[k]`).
    mutating func permuteRows(_ order: [Int]) {
        let n = order.count
        var newRow = [UInt32](repeating: 0, count: n)
        for (k, old) in order.enumerated() { newRow[old] = UInt32(k) }

        time = EventStore.gather(time, order)
        kind = EventStore.gather(kind, order)
        flags = EventStore.gather(flags, order)
        principalType = EventStore.gather(principalType, order)
        if !fingerprints.isEmpty { fingerprints = EventStore.gather(fingerprints, order) }
        if !attributeSet.isEmpty { attributeSet = EventStore.gather(attributeSet, order) }
        var newCells = [UInt32]()
        newCells.reserveCapacity(cells.count)
        cells.withUnsafeBufferPointer { c in
            for old in order { newCells.append(contentsOf: c[(old * Self.stride)..<((old + 1) * Self.stride)]) }
        }
        cells = newCells
        (resourceStart, resourceSymbols) = EventStore.gatherLists(starts: resourceStart, items: resourceSymbols, order)
        errorCodes = errorCodes.map { (newRow[Int($0.row)], $0.symbol) }.sorted { $0.row < $1.row }

        // Flow numbers follow their rows: the k-th flow row keeps the k-th flow entry.
        if !flows.isEmpty {
            // The old flow index of each old row (`kind` is already in the new order).
            var oldFlow = [Int32](repeating: -1, count: n)
            var next: Int32 = 0
            for old in 0..<n where kind[Int(newRow[old])] == EventKind.flow.rawValue {
                oldFlow[old] = next
                next += 1
            }
            var newFlows: [FlowTable.Narrow] = []
            newFlows.reserveCapacity(flows.count)
            var flowRenumber = [UInt32](repeating: 0, count: flows.count)
            for old in order where oldFlow[old] >= 0 {
                flowRenumber[Int(oldFlow[old])] = UInt32(newFlows.count)
                newFlows.append(flows[Int(oldFlow[old])])
            }
            flows = newFlows
            wideFlows = Dictionary(uniqueKeysWithValues: wideFlows.map { (flowRenumber[Int($0.key)], $0.value) })
            packetAddresses = packetAddresses.map { (flowRenumber[Int($0.flow)], $0.source, $0.destination) }
        }
    }
}
