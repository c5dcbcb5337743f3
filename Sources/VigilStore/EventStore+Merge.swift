import Dispatch
import VigilCore

/// Bulk loads: every file's batch of rows merged straight into time order.
extension EventStore {
    /// Merges batches (in the order given) into the store in time order, as absorbing each with
    /// ``absorb(_:order:map:)`` and then calling ``restoreTimeOrder()`` would, but copying each column once.
    ///
    /// Absorb-then-reorder wrote every column twice (appended, then permuted), and for a flow load of a few
    /// million lines those copies and their page faults cost about as much as parsing. Here the global stable
    /// time order of all kept rows is worked out first, and each column is gathered from the batches straight
    /// into its final place. Duplicates, symbols and attribute sets are settled batch by batch in the given order
    /// first, so the store (symbol numbers included) is the same as the two-step path makes. A store that already
    /// holds rows takes the two-step path. Indexes are not built.
    public func absorbInTimeOrder(_ input: consuming [EventRows]) {
        var batches = consume input
        guard rowCount == 0, !batches.isEmpty else {
            var maps: [ObjectIdentifier: RowSymbolMap] = [:]
            for b in batches.indices {
                let rows = batches[b]
                batches[b] = EventRows(symbols: rows.symbols)
                absorb(rows, map: &maps[ObjectIdentifier(rows.symbols), default: RowSymbolMap()])
            }
            restoreTimeOrder()
            return
        }
        let plan = MergePlan(settling: &batches, into: self)
        let columnIndexes = columns.indices.filter { Self.hasColumn($0) }
        let narrow = symbols.count <= Int(UInt16.max) + 1
        // Columns no batch has a value in (for flows: principal, user, access key, user agent) stay zero.
        let used = batches.reduce(UInt32(0)) { $0 | $1.usedFields }
        let cells = CellColumns(count: plan.count, columns: columnIndexes, narrow: narrow,
                                filled: columnIndexes.map { $0 < 32 && used & (1 << UInt32($0)) != 0 })
        // The flow rows are laid out last, from the flow columns alone: everything else the batches hold is
        // freed (and handed back to the system) first, so a flow load never holds all of its batches and all
        // of the store's columns at once.
        let layout = FlowLayout(batches, plan, parts: 2)
        // The symbol columns first, from the cells alone (the largest part of a flow batch after its flows),
        // filled together a row at a time (one read of the row's cells for all of them) in two halves on two
        // cores. The batches' times went into the plan.
        do {
            let cellTables = batches.map(\.cells)
            for b in batches.indices {
                batches[b].cells = []
                batches[b].time = []
            }
            let halves = 2
            DispatchQueue.concurrentPerform(iterations: halves) { half in
                let rows = (plan.count * half / halves)..<(plan.count * (half + 1) / halves)
                plan.gatherCells(cellTables, rows: rows, into: cells)
            }
        }
        System.returnFreedMemory()
        do {
            let frozen = batches
            batches = []
            DispatchQueue.concurrentPerform(iterations: 5) { job in
                switch job {
                case 0: self.time = plan.times
                case 1:
                    self.kind = plan.gather(frozen, \.kind)
                    self.flags = plan.gather(frozen, \.flags)
                    self.principalType = plan.gather(frozen, \.principalType)
                case 2: (self.resourceStart, self.resourceSymbols) = plan.gatherResources(frozen)
                case 3:
                    self.raw.appendRecords(gathering: plan.from, from: frozen.map(\.raw), pageShifts: plan.pageShifts)
                    self.attributeSets = plan.gatherAttributeSets(frozen)
                default: self.errorCodes = plan.errorCodes(frozen)
                }
            }
        }
        System.returnFreedMemory()
        // The flow rows in parts, one job each (a flow load copies 48 bytes a row here).
        var laidOutFlows = FlowTable(), laidOutDetails: [UInt32] = []
        layout.withOutput(flows: &laidOutFlows, details: &laidOutDetails) { sink in
            DispatchQueue.concurrentPerform(iterations: layout.parts) { part in layout.fill(part: part, into: sink) }
        }
        layout.release()
        detailRow = laidOutDetails
        flows = laidOutFlows
        packetAddresses = layout.packetAddresses
        var built = columns
        for (k, column) in zip(columnIndexes, cells.finished()) { built[k] = column }
        columns = built
        isTimeOrdered = true
        timeOrderCache = nil
        indexesBuilt = false
        System.returnFreedMemory()
    }
}

/// Where every merged row comes from, and the per-batch tables made while duplicates and symbols were settled.
struct MergePlan: Sendable {
    /// Per merged row, in time order: its batch (high 32 bits) and row in that batch (low 32 bits).
    let from: [UInt64]
    /// Per merged row, its time.
    let times: [Int64]
    /// Per batch: batch symbol → store symbol, and the same for destination addresses (canonical text).
    let remaps: [[UInt32]]
    let destinationRemaps: [[UInt32]]
    /// Per batch: batch attribute-set number → store attribute-set number.
    let setMaps: [[UInt32]]
    /// Per batch: the index its first raw page has in the store's arena.
    let pageShifts: [UInt32]

    var count: Int { from.count }

    /// Calls `body` with each merged row's position, batch and row in that batch, in merged order.
    @inline(__always)
    func forEachRow(_ body: (_ position: Int, _ batch: Int, _ row: Int) -> Void) {
        from.withUnsafeBufferPointer { from in
            for j in 0..<from.count {
                let source = from[j]
                body(j, Int(source >> 32), Int(truncatingIfNeeded: source & 0xFFFF_FFFF))
            }
        }
    }

    /// Settles the batches in order, exactly as `absorb` would one after another: record-id duplicates, symbols,
    /// destination addresses, attribute sets, raw pages (moved into `store`). Then orders the kept rows by time.
    init(settling batches: inout [EventRows], into store: EventStore) {
        var maps: [ObjectIdentifier: RowSymbolMap] = [:]
        var kept: [[Int]?] = []
        var remaps: [[UInt32]] = [], destinationRemaps: [[UInt32]] = []
        var setMaps: [[UInt32]] = [], pageShifts: [UInt32] = []
        for b in batches.indices {
            let id = ObjectIdentifier(batches[b].symbols)
            var map = maps.removeValue(forKey: id) ?? RowSymbolMap()
            map.extend(to: batches[b].symbols, in: store)
            kept.append(Self.settleRows(batches[b], map: &map, store: store))
            let remap = map.remap
            setMaps.append(Self.attributeSetMap(batches[b], remap: remap, store: store))
            pageShifts.append(store.raw.absorbPages(of: &batches[b].raw))
            maps[id] = map
            remaps.append([])
            destinationRemaps.append([])
        }
        // The maps are complete only now (a later batch of the same interner may have added symbols); a batch
        // only uses symbols it had, which keep their numbers.
        for b in batches.indices {
            let map = maps[ObjectIdentifier(batches[b].symbols)]!
            remaps[b] = map.remap
            destinationRemaps[b] = map.destination
        }
        let total = kept.indices.reduce(0) { $0 + (kept[$1]?.count ?? batches[$1].count) }
        var times = [Int64]()
        var sources = [UInt64]()
        times.reserveCapacity(total)
        sources.reserveCapacity(total)
        for b in batches.indices {
            batches[b].time.withUnsafeBufferPointer { t in
                if let rows = kept[b] {
                    for r in rows { times.append(t[r]); sources.append(UInt64(b) << 32 | UInt64(r)) }
                } else {
                    times.append(contentsOf: t)
                    for r in 0..<t.count { sources.append(UInt64(b) << 32 | UInt64(r)) }
                }
            }
        }
        if let (order, sortedTimes) = TimeOrder.packedOrder(consume times) {
            from = sources.withUnsafeBufferPointer { s in order.map { s[Int($0)] } }
            self.times = sortedTimes
        } else {
            let times = sources.map { batches[Int($0 >> 32)].time[Int(truncatingIfNeeded: $0 & 0xFFFF_FFFF)] }
            let order = TimeOrder.order(times)
            from = sources.withUnsafeBufferPointer { s in order.map { s[$0] } }
            self.times = EventStore.gather(times, order)
        }
        self.remaps = remaps
        self.destinationRemaps = destinationRemaps
        self.setMaps = setMaps
        self.pageShifts = pageShifts
    }

    /// Records the batch's record ids and resolves its destination addresses, as `absorb` does; the rows kept,
    /// or nil when all are.
    private static func settleRows(_ rows: EventRows, map: inout RowSymbolMap, store: EventStore) -> [Int]? {
        var kept: [Int]?
        for r in 0..<rows.count {
            let fingerprint = rows.fingerprint(r)
            if fingerprint != 0, !store.insertFingerprint(fingerprint) {
                store.duplicatesDropped += 1
                if kept == nil { kept = Array(0..<r) }
                continue
            }
            let destination = Int(rows.cells[r * EventRows.stride + IndexedField.destinationIP.rawValue])
            if destination != 0 { map.resolveDestination(destination, of: rows.symbols, in: store) }
            kept?.append(r)
        }
        return kept
    }

    /// Each distinct attribute combination of the batch remapped to store symbols and numbered, as `absorb` does.
    private static func attributeSetMap(_ rows: EventRows, remap: [UInt32], store: EventStore) -> [UInt32] {
        var setMap = [UInt32](repeating: 0, count: rows.attributeSets.count)
        for local in 1..<max(1, rows.attributeSets.count) {
            let cells: [UInt32] = rows.attributeSets.withBytes(UInt32(local)) { bytes in
                (0..<bytes.count / 4).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
            }
            setMap[local] = store.attributeSetID(cells.map { $0 == 0 || $0 == RecordAttribute.absentMark ? $0 : remap[Int($0)] })
        }
        return setMap
    }

    /// A per-row column of the batches, in merged order.
    func gather<T>(_ batches: [EventRows], _ column: KeyPath<EventRows, [T]>) -> [T] {
        let columns = batches.map { $0[keyPath: column] }
        return [T](unsafeUninitializedCapacity: count) { out, written in
            withBases(columns) { bases in
                forEachRow { j, b, r in out.initializeElement(at: j, to: bases[b][r]) }
            }
            written = count
        }
    }

    /// Fills rows `rows` of every symbol column, mapped to store symbols: each row's cells are read once for
    /// all columns (reading them column by column went over every batch's cells ten times, out of order).
    func gatherCells(_ cellTables: [[UInt32]], rows: Range<Int>, into target: CellColumns) {
        let stride = EventRows.stride
        // The filled columns, in order: the k-th is the target's k-th slot.
        let fields = target.fields.indices.filter { target.filled[$0] }.map { target.fields[$0] }
        let destination = fields.firstIndex(of: IndexedField.destinationIP.rawValue) ?? -1
        // Per filled column, the map its cells go through (destination addresses have their own).
        let usesDestinationMap = fields.indices.map { $0 == destination }
        withBases(cellTables) { cells in
            withBases(remaps) { maps in
                withBases(destinationRemaps) { destinations in
                    from.withUnsafeBufferPointer { from in
                        do {
                            fields.withUnsafeBufferPointer { fields in
                                usesDestinationMap.withUnsafeBufferPointer { usesDestinationMap in
                                    for j in rows {
                                        let b = Int(from[j] >> 32), r = Int(truncatingIfNeeded: from[j] & 0xFFFF_FFFF)
                                        let row = cells[b] + r * stride
                                        let map = maps[b], destinationMap = destinations[b]
                                        for c in 0..<fields.count {
                                            let symbol = Int(row[fields[c]])
                                            target.set(c, j, usesDestinationMap[c] ? destinationMap[symbol] : map[symbol])
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

    /// The resource lists in merged order, mapped to store symbols.
    func gatherResources(_ batches: [EventRows]) -> (starts: [UInt32], items: [UInt32]) {
        var total = 0
        let starts = [UInt32](unsafeUninitializedCapacity: count + 1) { out, written in
            withBases(batches.map(\.resourceStart)) { starts in
                out[0] = 0
                forEachRow { j, b, r in
                    total += Int(starts[b][r + 1] - starts[b][r])
                    out[j + 1] = UInt32(total)
                }
            }
            written = count + 1
        }
        let items = [UInt32](unsafeUninitializedCapacity: total) { out, written in
            withBases(batches.map(\.resourceStart)) { starts in
                withBases(batches.map(\.resourceSymbols)) { symbols in
                    withBases(remaps) { maps in
                        var next = 0
                        forEachRow { _, b, r in
                            for i in Int(starts[b][r])..<Int(starts[b][r + 1]) {
                                out[next] = maps[b][Int(symbols[b][i])]
                                next += 1
                            }
                        }
                        written = next
                    }
                }
            }
        }
        return (starts, items)
    }

    /// Every row's attribute-set number in merged order.
    func gatherAttributeSets(_ batches: [EventRows]) -> SymbolColumn {
        var widest: UInt32 = 0
        // A batch without attributes has no column (its rows are all 0).
        let captured = batches.map { !$0.attributeSet.isEmpty }
        guard captured.contains(true) else { return SymbolColumn(blank: count) }
        let sets = [UInt32](unsafeUninitializedCapacity: count) { out, written in
            withBases(batches.map(\.attributeSet)) { sets in
                withBases(setMaps) { maps in
                    forEachRow { j, b, r in
                        let set = captured[b] ? maps[b][Int(sets[b][r])] : 0
                        widest = max(widest, set)
                        out.initializeElement(at: j, to: set)
                    }
                }
            }
            written = count
        }
        if widest == 0 { return SymbolColumn(blank: count) }
        if widest <= UInt32(UInt16.max) { return SymbolColumn(narrow: sets.map { UInt16(truncatingIfNeeded: $0) }) }
        return SymbolColumn(wide: sets)
    }

    /// The error codes of the failed rows, by merged row.
    func errorCodes(_ batches: [EventRows]) -> [UInt32: UInt32] {
        guard batches.contains(where: { !$0.errorCodes.isEmpty }) else { return [:] }
        // Merged row of each batch row, only for batches with error codes.
        var newRow = batches.map { $0.errorCodes.isEmpty ? [] : [UInt32](repeating: .max, count: $0.kind.count) }
        forEachRow { j, b, r in
            if !newRow[b].isEmpty { newRow[b][r] = UInt32(j) }
        }
        var codes: [UInt32: UInt32] = [:]
        codes.reserveCapacity(batches.reduce(0) { $0 + $1.errorCodes.count })
        for (b, rows) in batches.enumerated() {
            for entry in rows.errorCodes where newRow[b][Int(entry.row)] != .max {
                codes[newRow[b][Int(entry.row)]] = remaps[b][Int(entry.symbol)]
            }
        }
        return codes
    }
}

/// Calls `body` with a base pointer per array (arrays that are not mutated meanwhile, so their storage stays
/// put): the gathers above read a different batch on almost every row, and a buffer-pointer closure per read
/// would cost more than the read.
func withBases<T, R>(_ arrays: [[T]], _ body: (UnsafeBufferPointer<UnsafePointer<T>>) throws -> R) rethrows -> R {
    // An empty array may have no storage; any non-null address will do, since no row reads from it.
    let placeholder = UnsafeMutablePointer<T>.allocate(capacity: 1)
    defer { placeholder.deallocate() }
    let bases = arrays.map { array in array.withUnsafeBufferPointer { $0.baseAddress } ?? UnsafePointer(placeholder) }
    return try withExtendedLifetime(arrays) { try bases.withUnsafeBufferPointer(body) }
}

/// The merged store's symbol columns while merge jobs fill them: fixed-size buffers, each job writing its own
/// rows, made into ``SymbolColumn``s when all are done.
final class CellColumns: @unchecked Sendable {
    /// The indexed field (raw value) of each column.
    let fields: [Int]
    private let count: Int

    /// Per column, whether the jobs fill it (the others are all zero, and become blank columns).
    let filled: [Bool]

    /// The filled columns' cells, in `fields` order: the arrays the store will keep (no copy when the merge is
    /// done), two bytes a cell when every symbol fits.
    private var narrowColumns: [[UInt16]] = []
    private var wideColumns: [[UInt32]] = []
    /// Where each filled column's cells are written. The arrays are not touched otherwise until `finished()`, so
    /// their storage stays where it is.
    private let narrowBases: UnsafeMutablePointer<UnsafeMutablePointer<UInt16>?>
    private let wideBases: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    private let isNarrow: Bool

    /// Columns of `count` rows for `fields`; two bytes a cell when every symbol fits. Only `filled` columns take
    /// memory.
    init(count: Int, columns fields: [Int], narrow isNarrow: Bool, filled: [Bool]) {
        self.fields = fields
        self.count = count
        self.filled = filled
        self.isNarrow = isNarrow
        let slots = filled.filter { $0 }.count
        narrowBases = .allocate(capacity: max(1, slots))
        wideBases = .allocate(capacity: max(1, slots))
        // Left uninitialised: the jobs write every row of every filled column (`gatherCells` over all rows).
        if isNarrow {
            narrowColumns = (0..<slots).map { _ in [UInt16](unsafeUninitializedCapacity: count) { $1 = count } }
            for k in 0..<slots { narrowBases[k] = narrowColumns[k].withUnsafeMutableBufferPointer { $0.baseAddress } }
        } else {
            wideColumns = (0..<slots).map { _ in [UInt32](unsafeUninitializedCapacity: count) { $1 = count } }
            for k in 0..<slots { wideBases[k] = wideColumns[k].withUnsafeMutableBufferPointer { $0.baseAddress } }
        }
    }

    deinit {
        narrowBases.deallocate()
        wideBases.deallocate()
    }

    /// Sets a cell of the `slot`-th filled column.
    @inline(__always)
    func set(_ slot: Int, _ row: Int, _ symbol: UInt32) {
        if isNarrow { narrowBases[slot]![row] = UInt16(truncatingIfNeeded: symbol) } else { wideBases[slot]![row] = symbol }
    }

    /// The columns, in the order of `fields`; a wide column whose symbols all fit is narrowed, and a column no
    /// job filled is blank, as appending would have left them.
    func finished() -> [SymbolColumn] {
        var slot = 0
        return fields.indices.map { c in
            guard filled[c] else { return SymbolColumn(blank: count) }
            defer { slot += 1 }
            if isNarrow { return SymbolColumn(narrow: narrowColumns[slot]) }
            let column = wideColumns[slot]
            if column.allSatisfy({ $0 <= UInt32(UInt16.max) }) { return SymbolColumn(narrow: column.map { UInt16(truncatingIfNeeded: $0) }) }
            return SymbolColumn(wide: column)
        }
    }
}

/// Lays out the flow rows (and their packet addresses) in the merged row order, as ``EventStore/applyPermutation``
/// leaves them: the k-th flow row has the k-th flow entry. The merged rows are cut into parts, each laid out by
/// its own job (a flow load copies 48 bytes per row here, the longest single job of the merge).
final class FlowLayout: @unchecked Sendable {
    let parts: Int
    /// Per batch: its flow rows' narrow forms, wide rows and packet addresses (the rest of a batch is not kept).
    private var flowColumns: [[FlowTable.Narrow]]
    private var wideFlows: [[UInt32: FlowRow]]
    private var packetAddressLists: [[(flow: UInt32, source: IPAddress?, destination: IPAddress?)]]
    private let plan: MergePlan
    /// Per batch: whether every row is a flow (its flow index is its row), and otherwise each row's flow index
    /// (-1: not a flow); a batch without flows has neither.
    private let allFlows: [Bool]
    private let flowOf: [[Int32]]
    private let packetOf: [[UInt32: Int]]
    private let anyPackets: Bool
    /// Per part: its merged rows, and the flow index of its first flow row.
    private let ranges: [Range<Int>]
    private let firstFlow: [Int]
    let total: Int
    /// Per part: the packet addresses of its flow rows, by merged flow index.
    private var packets: [[UInt32: (source: IPAddress?, destination: IPAddress?)]]
    /// Per part: its wide flow rows (see ``FlowTable``), by merged flow index.
    private var wide: [[UInt32: FlowRow]]

    /// Where the parts write: the flow rows and every merged row's flow index.
    struct Sink: @unchecked Sendable {
        /// nil when no row is a flow (no part writes a flow row then).
        fileprivate let flows: FlowTable.Writer?
        /// nil when there are no rows (no part writes anything then).
        fileprivate let details: UnsafeMutablePointer<UInt32>?
    }

    init(_ batches: [EventRows], _ plan: MergePlan, parts: Int) {
        let allFlows = batches.map { !$0.flows.isEmpty && $0.flows.count == $0.count }
        let flowOf: [[Int32]] = batches.map { rows in
            guard !rows.flows.isEmpty, rows.flows.count != rows.count else { return [] }
            var indexes = [Int32](repeating: -1, count: rows.count)
            var next: Int32 = 0
            for r in 0..<rows.count where rows.kind[r] == EventKind.flow.rawValue { indexes[r] = next; next += 1 }
            return indexes
        }
        let ranges = (0..<parts).map { (plan.count * $0 / parts)..<(plan.count * ($0 + 1) / parts) }
        let total = batches.reduce(0) { $0 + $1.flows.count }
        // The flow rows before each part: its first row when every row is a flow, none when no batch has flows,
        // and otherwise counted.
        if zip(batches, allFlows).allSatisfy({ $0.isEmpty || $1 }) {
            firstFlow = ranges.map(\.lowerBound)
        } else if total == 0 {
            firstFlow = Array(repeating: 0, count: parts)
        } else {
            var starts: [Int] = []
            var seen = 0
            var p = 0
            plan.forEachRow { j, b, r in
                while p < parts, j == ranges[p].lowerBound { starts.append(seen); p += 1 }
                if allFlows[b] || (!flowOf[b].isEmpty && flowOf[b][r] >= 0) { seen += 1 }
            }
            while starts.count < parts { starts.append(seen) }
            firstFlow = starts
        }
        flowColumns = batches.map(\.flows)
        wideFlows = batches.map(\.wideFlows)
        packetAddressLists = batches.map(\.packetAddresses)
        self.plan = plan
        self.parts = parts
        self.allFlows = allFlows
        self.flowOf = flowOf
        self.ranges = ranges
        packetOf = batches.map { rows in
            var map: [UInt32: Int] = [:]
            for (k, entry) in rows.packetAddresses.enumerated() { map[entry.flow] = k }
            return map
        }
        anyPackets = packetOf.contains { !$0.isEmpty }
        self.total = total
        packets = Array(repeating: [:], count: parts)
        wide = Array(repeating: [:], count: parts)
    }

    /// Calls `body` with where the parts write, and makes the two arrays of what they wrote.
    func withOutput(flows: inout FlowTable, details: inout [UInt32], _ body: (Sink) -> Void) {
        let count = plan.count, total = self.total
        var laidOutDetails: [UInt32] = []
        flows = FlowTable.build(count: total) { writer in
            laidOutDetails = [UInt32](unsafeUninitializedCapacity: count) { detailsOut, detailsWritten in
                body(Sink(flows: total == 0 ? nil : writer, details: detailsOut.baseAddress))
                detailsWritten = count
            }
            return self.wide.reduce(into: [:]) { all, part in all.merge(part) { a, _ in a } }
        }
        details = laidOutDetails
    }

    /// Lays out the flow rows of part `part` (every merged row of the part gets its flow index or `UInt32.max`).
    func fill(part: Int, into sink: Sink) {
        let range = ranges[part]
        guard !range.isEmpty, let details = sink.details else { return }
        var next = firstFlow[part]
        var found: [UInt32: (source: IPAddress?, destination: IPAddress?)] = [:]
        var wideRows: [UInt32: FlowRow] = [:]
        let (allFlows, flowOf, packetOf, anyPackets) = (self.allFlows, self.flowOf, self.packetOf, self.anyPackets)
        withBases(flowColumns) { flows in
            withBases(flowOf) { indexes in
                plan.from.withUnsafeBufferPointer { from in
                    for j in range {
                        let b = Int(from[j] >> 32), r = Int(truncatingIfNeeded: from[j] & 0xFFFF_FFFF)
                        let flow: Int
                        if allFlows[b] {
                            flow = r
                        } else if !flowOf[b].isEmpty, indexes[b][r] >= 0 {
                            flow = Int(indexes[b][r])
                        } else {
                            details[j] = UInt32.max
                            continue
                        }
                        if anyPackets, let k = packetOf[b][UInt32(flow)] {
                            let entry = packetAddressLists[b][k]
                            found[UInt32(next)] = (entry.source, entry.destination)
                        }
                        details[j] = UInt32(next)
                        // A plain copy of the batch's narrow form: the scattered reads of batch rows stay in flight
                        // together (encoding here, with its branches on the row just read, left the core waiting).
                        let narrow = flows[b][flow]
                        sink.flows!.write(narrow, at: next)
                        if narrow.isWide { wideRows[UInt32(next)] = wideFlows[b][UInt32(flow)] }
                        next += 1
                    }
                }
            }
        }
        packets[part] = found
        wide[part] = wideRows
    }

    /// Lets the batches' flow rows go, once every part has been filled.
    func release() {
        flowColumns = []
        wideFlows = []
        packetAddressLists = []
    }

    /// The packet addresses of every part, once all have been filled.
    var packetAddresses: [UInt32: (source: IPAddress?, destination: IPAddress?)] {
        guard let first = packets.first else { return [:] }
        return packets.dropFirst().reduce(into: first) { all, part in all.merge(part) { a, _ in a } }
    }
}
