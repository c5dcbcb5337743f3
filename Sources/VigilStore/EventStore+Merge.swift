import Dispatch
import Synchronization
import VigilCore

/// Merging stores that were filled in parallel.
extension EventStore {
    /// Moves every row of `other` — a store filled by another worker, created with `keepsRecordFingerprints` —
    /// into this one, remapping its symbols. Rows whose record this store already holds are dropped, and GuardDuty
    /// findings keep only their newest copy, exactly as if the events had been appended here. Raw-record pages are
    /// moved, not copied. `other` must not be used afterwards. Call ``reorderByTime()`` when all are merged.
    public func absorb(_ other: EventStore) {
        precondition(other.keepsRecordFingerprints && other.fingerprints.count == other.rowCount,
                     "absorb(_:) needs a store created with keepsRecordFingerprints")
        var remap = [UInt32](repeating: 0, count: other.symbols.count)
        for s in 1..<max(1, other.symbols.count) { remap[s] = symbols.intern(other.symbols[UInt32(s)]) }
        for (address, symbol) in other.addressSymbols where addressSymbols[address] == nil {
            addressSymbols[address] = remap[Int(symbol)]
        }
        let pageShift = raw.absorbPages(of: &other.raw)
        duplicatesDropped += other.duplicatesDropped
        let n = other.rowCount
        let base = time.count

        // Which rows stay: duplicates of rows held here are dropped, and a finding keeps its newest copy.
        var kept: [Int] = []
        kept.reserveCapacity(n)
        let hasSuperseded = !other.superseded.isEmpty
        for r in 0..<n {
            if hasSuperseded, other.superseded.contains(EventStore.EventID(r)) { continue }
            let fingerprint = other.fingerprints[r]
            if fingerprint != 0 {
                guard insertFingerprint(fingerprint) else { duplicatesDropped += 1; continue }
            }
            if other.kind[r] == EventKind.finding.rawValue {
                let finding = other.findings[Int(other.detailRow[r])]
                let newRow = EventStore.EventID(base + kept.count)
                if let old = findingRows[finding.id] {
                    let previous = findingFields(ofRow: old, other: other, base: base, kept: kept)
                    guard finding.count > previous.count || (finding.count == previous.count && other.time[r] > timeOfRow(old, other: other, base: base, kept: kept)) else {
                        duplicatesDropped += 1
                        continue
                    }
                    superseded.insert(old)
                    duplicatesDropped += 1
                }
                findingRows[finding.id] = newRow
            }
            kept.append(r)
        }
        let all = kept.count == n
        reserveRows(additional: kept.count)

        // The columns are independent: copy them on all cores.
        if keepsRecordFingerprints { fingerprints.append(contentsOf: all ? other.fingerprints : kept.map { other.fingerprints[$0] }) }
        let columnIndexes = columns.indices.filter { Self.hasColumn($0) }
        let merged = Mutex([SymbolColumn?](repeating: nil, count: columns.count))
        let source = columns
        let rows = all ? nil : kept, symbolMap = remap
        columns = []
        DispatchQueue.concurrentPerform(iterations: columnIndexes.count) { job in
            let k = columnIndexes[job]
            var column = source[k]
            column.append(remapped: other.columns[k], rows: rows, remap: symbolMap)
            merged.withLock { $0[k] = column }
        }
        columns = merged.withLock { built in source.indices.map { built[$0] ?? source[$0] } }

        if all {
            if let last = time.last, let first = other.time.first, first < last { isTimeOrdered = false }
            time.append(contentsOf: other.time)
            kind.append(contentsOf: other.kind)
            flags.append(contentsOf: other.flags)
            principalType.append(contentsOf: other.principalType)
        } else {
            for r in kept {
                if let last = time.last, other.time[r] < last { isTimeOrdered = false }
                time.append(other.time[r])
                kind.append(other.kind[r])
                flags.append(other.flags[r])
                principalType.append(other.principalType[r])
            }
        }
        if !other.isTimeOrdered { isTimeOrdered = false }

        // Sparse and per-kind tables: map old rows to new ones.
        var newRow = [EventStore.EventID](repeating: .max, count: n)
        for (k, r) in kept.enumerated() { newRow[r] = EventStore.EventID(base + k) }
        for (row, code) in other.errorCodes where newRow[Int(row)] != .max { errorCodes[newRow[Int(row)]] = remap[Int(code)] }
        for r in kept {
            for k in Int(other.resourceStart[r])..<Int(other.resourceStart[r + 1]) {
                resourceSymbols.append(remap[Int(other.resourceSymbols[k])])
            }
            resourceStart.append(UInt32(resourceSymbols.count))
        }
        var flowRowOf: [UInt32: UInt32] = [:]
        for r in kept {
            let d = Int(other.detailRow[r])
            switch EventKind(rawValue: other.kind[r])! {
            case .flow:
                if !other.packetAddresses.isEmpty { flowRowOf[UInt32(d)] = UInt32(flows.count) }
                detailRow.append(UInt32(flows.count))
                flows.append(other.flows[d])
            case .finding:
                detailRow.append(UInt32(findings.count))
                findings.append(other.findings[d])
            case .dns:
                detailRow.append(UInt32(dnsRecords.count))
                dnsRecords.append(other.dnsRecords[d])
            case .auth:
                detailRow.append(UInt32(authRecords.count))
                authRecords.append(other.authRecords[d])
            case .cloudTrail:
                detailRow.append(UInt32.max)
            }
        }
        for (d, packet) in other.packetAddresses {
            if let mine = flowRowOf[d] { packetAddresses[mine] = packet }
        }
        raw.appendRecords(from: other.raw, rows: all ? nil : kept, pageShift: pageShift)
        var setMap = [UInt32](repeating: 0, count: other.attributeTable.count)
        for s in 1..<max(1, other.attributeTable.count) {
            setMap[s] = attributeSetID(other.attributeTable[s].map { $0 == 0 || $0 == RecordAttribute.absentMark ? $0 : remap[Int($0)] })
        }
        attributeSets.append(remapped: other.attributeSets, rows: all ? nil : kept, remap: setMap)
        timeOrderCache = nil
        indexesBuilt = false
        other.releaseAll()
    }

    /// The finding fields of a row that is either already here or among the rows of `other` being absorbed.
    private func findingFields(ofRow row: EventStore.EventID, other: EventStore, base: Int, kept: [Int]) -> FindingFields {
        if Int(row) < base { return findings[Int(detailRow[Int(row)])] }
        return other.findings[Int(other.detailRow[kept[Int(row) - base]])]
    }

    private func timeOfRow(_ row: EventStore.EventID, other: EventStore, base: Int, kept: [Int]) -> Int64 {
        Int(row) < base ? time[Int(row)] : other.time[kept[Int(row) - base]]
    }

    /// Frees everything a merged-away store holds.
    func releaseAll() {
        time = []; kind = []; flags = []; principalType = []; detailRow = []
        columns = Array(repeating: SymbolColumn(), count: columns.count)
        resourceStart = [0]; resourceSymbols = []
        attributeSets = SymbolColumn(); attributeTable = [[]]; attributeSetIDs = [:]
        errorCodes = [:]; flows = []; findings = []; dnsRecords = []; authRecords = []; packetAddresses = [:]
        fingerprints = []; seenIDs = []; sealedIDs = []; findingRows = [:]; superseded = []; addressSymbols = [:]
        symbols = SymbolTable()
        postings = Array(repeating: PostingIndex(), count: postings.count)
    }
}
