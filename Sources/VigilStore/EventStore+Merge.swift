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
        reserveRows(additional: n)
        for r in 0..<n {
            let row = EventStore.EventID(r)
            if other.superseded.contains(row) { continue }
            let fingerprint = other.fingerprints[r]
            if fingerprint != 0 {
                guard insertFingerprint(fingerprint) else { duplicatesDropped += 1; continue }
            }
            let otherKind = other.kind[r]
            if otherKind == EventKind.finding.rawValue {
                let finding = other.findings[Int(other.detailRow[r])]
                if let old = findingRows[finding.id] {
                    let previous = findings[Int(detailRow[Int(old)])]
                    guard finding.count > previous.count || (finding.count == previous.count && other.time[r] > time[Int(old)]) else {
                        duplicatesDropped += 1
                        continue
                    }
                    superseded.insert(old)
                    duplicatesDropped += 1
                }
            }
            if keepsRecordFingerprints { fingerprints.append(fingerprint) }
            let newRow = EventStore.EventID(time.count)
            if let last = time.last, other.time[r] < last { isTimeOrdered = false }
            time.append(other.time[r])
            kind.append(otherKind)
            flags.append(other.flags[r])
            principalType.append(other.principalType[r])
            for k in columns.indices where Self.hasColumn(k) { columns[k].append(remap[Int(other.columns[k][r])]) }
            if let code = other.errorCodes[row] { errorCodes[newRow] = remap[Int(code)] }
            for k in Int(other.resourceStart[r])..<Int(other.resourceStart[r + 1]) {
                resourceSymbols.append(remap[Int(other.resourceSymbols[k])])
            }
            resourceStart.append(UInt32(resourceSymbols.count))
            switch EventKind(rawValue: otherKind)! {
            case .flow:
                detailRow.append(UInt32(flows.count))
                if let packet = other.packetAddresses[other.detailRow[r]] { packetAddresses[UInt32(flows.count)] = packet }
                flows.append(other.flows[Int(other.detailRow[r])])
            case .finding:
                detailRow.append(UInt32(findings.count))
                let finding = other.findings[Int(other.detailRow[r])]
                findings.append(finding)
                findingRows[finding.id] = newRow
            case .dns:
                detailRow.append(UInt32(dnsRecords.count))
                dnsRecords.append(other.dnsRecords[Int(other.detailRow[r])])
            case .auth:
                detailRow.append(UInt32(authRecords.count))
                authRecords.append(other.authRecords[Int(other.detailRow[r])])
            case .cloudTrail:
                detailRow.append(UInt32.max)
            }
            raw.appendRecord(from: other.raw, r, pageShift: pageShift)
        }
        timeOrderCache = nil
        indexesBuilt = false
        other.releaseAll()
    }

    /// Frees everything a merged-away store holds.
    func releaseAll() {
        time = []; kind = []; flags = []; principalType = []; detailRow = []
        columns = Array(repeating: SymbolColumn(), count: columns.count)
        resourceStart = [0]; resourceSymbols = []
        errorCodes = [:]; flows = []; findings = []; dnsRecords = []; authRecords = []; packetAddresses = [:]
        fingerprints = []; seenIDs = []; sealedIDs = []; findingRows = [:]; superseded = []; addressSymbols = [:]
        symbols = SymbolTable()
        postings = Array(repeating: PostingIndex(), count: postings.count)
    }
}
