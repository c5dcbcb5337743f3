import Dispatch
import Synchronization
import VigilCore

/// The in-memory, append-only, columnar store of every event read.
///
/// An event is a row number (`EventID`). Strings are interned into one ``SymbolTable`` and held as 32-bit
/// symbols per column; raw records live in a paged arena; flow, finding, DNS and auth details sit in side tables.
/// Posting lists (``PostingIndex``) per indexed field answer "which events have this value" without scanning.
///
/// Rows are kept in time order when events arrive in order (a bulk load is sorted first). A live append older
/// than the newest row is still accepted; `isTimeOrdered` turns false and ``idsInTimeOrder()`` sorts on demand.
///
/// Not synchronised: one writer at a time, and reads only while nobody writes (many readers may run at once, as
/// parallel scans do). Owners that ingest in the background hand batches to the thread that owns the store.
public final class EventStore: @unchecked Sendable {
    public typealias EventID = UInt32

    // MARK: Columns
    public internal(set) var symbols = SymbolTable()
    var time: [Int64] = []
    var kind: [UInt8] = []
    var flags: [UInt8] = []
    /// One symbol column per single-valued indexed field (everything but `resource`, `kind`, `principalType`).
    var columns: [SymbolColumn] = Array(repeating: SymbolColumn(), count: IndexedField.allCases.count)
    var principalType: [UInt8] = []
    var resourceStart: [UInt32] = [0]
    var resourceSymbols: [UInt32] = []
    var detailRow: [UInt32] = []
    var raw: RawArena
    /// Per row, its combination of record attributes (0: none captured); see ``RecordAttribute``.
    var attributeSets = SymbolColumn()
    /// Per combination, a cell per attribute (0 unknown, `RecordAttribute.absentMark`, or a symbol); entry 0 is empty.
    var attributeTable: [[UInt32]] = [[]]
    var attributeSetIDs: [[UInt32]: UInt32] = [:]

    // MARK: Side tables
    /// Error codes of the rows that failed (most rows succeed, so a column would be mostly zeros).
    var errorCodes: [UInt32: UInt32] = [:]
    var flows = FlowTable()
    /// Packet-level addresses (`pkt-srcaddr`, `pkt-dstaddr`) of the flow rows that have them.
    var packetAddresses: [UInt32: (source: IPAddress?, destination: IPAddress?)] = [:]
    var findings: [FindingFields] = []
    var dnsRecords: [DNSFields] = []
    var authRecords: [AuthFields] = []

    // MARK: Indexes and bookkeeping
    var postings: [PostingIndex] = Array(repeating: PostingIndex(), count: IndexedField.allCases.count)
    var indexesBuilt = false
    /// Per column (and the first four resource positions): the last string interned and its symbol.
    private var lastString = [String](repeating: "", count: IndexedField.allCases.count + 4)
    private var lastSymbol = [UInt32](repeating: 0, count: IndexedField.allCases.count + 4)
    var addressSymbols: [IPAddress: UInt32] = [:]
    /// 64-bit fingerprints of record ids seen: the chance of two of ten million ids colliding is about 3 in a million.
    var seenIDs = FingerprintSet()
    /// Fingerprints folded out of `seenIDs` at the last index build, sorted: 8 bytes each instead of 16 or more.
    var sealedIDs: [UInt64] = []
    var findingRows: [String: EventID] = [:]
    /// Rows replaced by a newer copy of the same GuardDuty finding.
    public internal(set) var superseded = Set<EventID>()
    public internal(set) var duplicatesDropped = 0
    public internal(set) var isTimeOrdered = true
    /// Whether raw records are kept compressed (see `init(compressRawRecords:)`).
    public var rawRecordsCompressed: Bool { raw.compressed }
    var timeOrderCache: [EventID]?

    @usableFromInline
    enum Flag {
        @usableFromInline static let success: UInt8 = 1
        static let mfaKnown: UInt8 = 2
        static let mfa: UInt8 = 4
        static let console: UInt8 = 8
    }

    /// - Parameter compressRawRecords: keep raw records zlib-compressed in memory (slower detail reads and
    ///   JSON-path scans, roughly a tenth of the memory for CloudTrail).
    public init(compressRawRecords: Bool = false) {
        raw = RawArena(compressed: compressRawRecords)
    }

    /// Rows stored, including superseded findings.
    public var rowCount: Int { time.count }
    /// Events visible to queries.
    public var count: Int { time.count - superseded.count }

    // MARK: - Appending

    /// Builds a store from events in any order: sorts by time, drops duplicates, indexes.
    public static func build(_ events: [Event]) -> EventStore {
        let store = EventStore()
        store.append(events)
        store.buildIndexes()
        return store
    }

    /// Appends events (any order within the batch), dropping records already stored (same `eventID`) and replacing
    /// GuardDuty findings seen again with a higher count. Returns the number of rows added.
    @discardableResult
    public func append(_ events: [Event]) -> Int {
        guard !events.isEmpty else { return 0 }
        // Sort (time, position) pairs rather than touching the events: ties keep arrival order.
        var keys = [(Int64, Int)]()
        keys.reserveCapacity(events.count)
        var sorted = true
        // Only the times are read, through a pointer (iterating the events themselves would copy each one).
        events.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                let t = buffer[i].time.milliseconds
                if let last = keys.last, last.0 > t { sorted = false }
                keys.append((t, i))
            }
        }
        if !sorted { keys.sort { $0 < $1 } }
        let order = keys.map(\.1)
        reserveRows(additional: events.count)
        var added = 0
        // Through a buffer pointer, so each event is borrowed rather than copied.
        events.withUnsafeBufferPointer { buffer in
            for i in order where appendOne(buffer[i]) { added += 1 }
        }
        timeOrderCache = nil
        return added
    }

    func reserveRows(additional n: Int) {
        // Grow geometrically: reserving exactly the new total on every batch would copy every column each time.
        guard time.count + n > time.capacity else { return }
        let total = max(time.count + n, time.capacity * 2)
        time.reserveCapacity(total)
        kind.reserveCapacity(total)
        flags.reserveCapacity(total)
        principalType.reserveCapacity(total)
        detailRow.reserveCapacity(total)
        resourceStart.reserveCapacity(total + 1)
        raw.reserveCapacity(total)
        for k in columns.indices where Self.hasColumn(k) { columns[k].reserveCapacity(total) }
        attributeSets.reserveCapacity(total)
    }

    /// Whether a field is stored as a symbol column (the others come from other columns or side tables).
    static func hasColumn(_ k: Int) -> Bool {
        switch IndexedField(rawValue: k)! {
        case .resource, .kind, .principalType, .sourcePort, .destinationPort, .errorCode: false
        default: true
        }
    }

    private func appendOne(_ e: borrowing Event) -> Bool {
        // Duplicates: the same record delivered twice (overlapping exports) or a finding seen again.
        if e.kind == .finding, let finding = e.finding {
            if let old = findingRows[finding.id] {
                let previous = findings[Int(detailRow[Int(old)])]
                guard finding.count > previous.count || (finding.count == previous.count && e.time.milliseconds > time[Int(old)]) else {
                    duplicatesDropped += 1
                    return false
                }
                superseded.insert(old)
                duplicatesDropped += 1  // the older copy no longer counts as an event
            }
        }
        var fingerprint: UInt64 = 0
        if e.kind != .finding, let id = e.eventID, !id.isEmpty {
            fingerprint = RecordKey.fingerprint(kind: e.kind, id: id) | 1  // never 0, which means "no id"
            guard insertFingerprint(fingerprint) else {
                duplicatesDropped += 1
                return false
            }
        }
        let row = EventID(time.count)
        if let last = time.last, e.time.milliseconds < last { isTimeOrdered = false }
        time.append(e.time.milliseconds)
        kind.append(e.kind.rawValue)
        var f: UInt8 = e.outcome.isSuccess ? Flag.success : 0
        if let p = e.principal {
            if let mfa = p.mfaAuthenticated { f |= Flag.mfaKnown | (mfa ? Flag.mfa : 0) }
            if p.console { f |= Flag.console }
        }
        flags.append(f)
        principalType.append(e.principal.map { Self.typeCode($0.type) } ?? 0)
        func put(_ field: IndexedField, _ value: String?) {
            let s = internRepeating(field.rawValue, value)
            columns[field.rawValue].append(s)
            if indexesBuilt, s != 0 { postings[field.rawValue].add(event: Int(row), symbol: s) }
        }
        put(.service, e.service)
        put(.action, e.action)
        put(.principal, e.principal?.arn)
        put(.user, e.principal?.userName)
        put(.accessKey, e.accessKeyID)
        put(.sourceIP, e.sourceIP)
        // Only flows have a destination; its text is the address's canonical form, made once per address.
        let destinationSymbol = e.flow?.destinationAddress.map(addressSymbol) ?? 0
        columns[IndexedField.destinationIP.rawValue].append(destinationSymbol)
        if indexesBuilt, destinationSymbol != 0 {
            postings[IndexedField.destinationIP.rawValue].add(event: Int(row), symbol: destinationSymbol)
        }
        put(.userAgent, e.userAgent)
        put(.region, e.region)
        put(.account, e.account)
        let errorSymbol = internRepeating(IndexedField.errorCode.rawValue, e.outcome.errorCode)
        if errorSymbol != 0 {
            errorCodes[row] = errorSymbol
            if indexesBuilt { postings[IndexedField.errorCode.rawValue].add(event: Int(row), symbol: errorSymbol) }
        }
        for (k, r) in e.resources.enumerated() {
            let s = k < 4 ? internRepeating(IndexedField.allCases.count + k, r) : symbols.intern(r)
            guard s != 0 else { continue }
            resourceSymbols.append(s)
            if indexesBuilt { postings[IndexedField.resource.rawValue].add(event: Int(row), symbol: s) }
        }
        resourceStart.append(UInt32(resourceSymbols.count))
        if indexesBuilt {
            postings[IndexedField.kind.rawValue].add(event: Int(row), symbol: UInt32(e.kind.rawValue) + 1)
            if principalType[Int(row)] != 0 {
                postings[IndexedField.principalType.rawValue].add(event: Int(row), symbol: UInt32(principalType[Int(row)]))
            }
        }
        if indexesBuilt, let flow = e.flow {
            if let port = flow.sourcePort { postings[IndexedField.sourcePort.rawValue].add(event: Int(row), symbol: UInt32(port) + 1) }
            if let port = flow.destinationPort { postings[IndexedField.destinationPort.rawValue].add(event: Int(row), symbol: UInt32(port) + 1) }
        }
        switch e.kind {
        case .flow:
            detailRow.append(UInt32(flows.count))
            let flow = e.flow ?? FlowFields()
            if flow.packetSourceAddress != nil || flow.packetDestinationAddress != nil {
                packetAddresses[UInt32(flows.count)] = (flow.packetSourceAddress, flow.packetDestinationAddress)
            }
            flows.append(FlowRow(flow))
        case .finding:
            detailRow.append(UInt32(findings.count))
            if let finding = e.finding {
                findings.append(finding)
                findingRows[finding.id] = row
            } else {
                findings.append(FindingFields(id: e.eventID ?? "", type: e.action, score: 0))
            }
        case .dns:
            detailRow.append(UInt32(dnsRecords.count))
            dnsRecords.append(e.dns ?? DNSFields(queryName: ""))
        case .auth:
            detailRow.append(UInt32(authRecords.count))
            authRecords.append(e.auth ?? AuthFields(host: ""))
        case .cloudTrail:
            detailRow.append(UInt32.max)
        }
        raw.append(e.raw)
        attributeSets.append(0)
        if indexesBuilt && postings.contains(where: { $0.needsRebuild }) { buildIndexes() }
        return true
    }

    /// Records a record-id fingerprint; false when it was already known.
    func insertFingerprint(_ fingerprint: UInt64) -> Bool {
        if !sealedIDs.isEmpty {
            var lo = 0, hi = sealedIDs.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sealedIDs[mid] < fingerprint { lo = mid + 1 } else { hi = mid }
            }
            if lo < sealedIDs.count, sealedIDs[lo] == fingerprint { return false }
        }
        return seenIDs.insert(fingerprint)
    }

    /// Moves the fingerprints of the hash set into the sorted array.
    private func sealFingerprints() {
        guard !seenIDs.isEmpty else { return }
        var merged = sealedIDs
        merged.append(contentsOf: seenIDs.elements)
        merged.radixSort()
        sealedIDs = merged
        seenIDs.removeAll()
    }

    /// Interns `value`, first checking the value this slot interned last: consecutive records of one source
    /// repeat most fields (service, action, account, region, interface), and comparing two strings is much
    /// cheaper than hashing one.
    @inline(__always)
    private func internRepeating(_ slot: Int, _ value: String?) -> UInt32 {
        guard let value, !value.isEmpty else { return 0 }
        if lastSymbol[slot] != 0, lastString[slot] == value { return lastSymbol[slot] }
        let s = symbols.intern(value)
        lastString[slot] = value
        lastSymbol[slot] = s
        return s
    }

    /// The symbol of an address's text, found by the address itself so the text is made only once per address.
    func addressSymbol(_ address: IPAddress) -> UInt32 {
        if let s = addressSymbols[address] { return s }
        let s = symbols.intern(address.description)
        addressSymbols[address] = s
        return s
    }

    static func typeCode(_ t: Principal.IdentityType) -> UInt8 {
        UInt8(Principal.IdentityType.allCases.firstIndex(of: t)! + 1)
    }

    @usableFromInline
    static func type(code: UInt8) -> Principal.IdentityType? {
        code == 0 ? nil : identityTypes[Int(code) - 1]
    }

    /// The identity types by code − 1, made once: `allCases` builds its array on every call, and detectors ask
    /// for the type of nearly every event.
    private static let identityTypes = Principal.IdentityType.allCases

    /// Builds (or rebuilds) every posting list from the columns.
    public func buildIndexes() {
        sealFingerprints()
        // Fields are independent: build them on all cores (the columns are only read meanwhile).
        let fields = IndexedField.allCases
        let built = Mutex([PostingIndex?](repeating: nil, count: fields.count))
        DispatchQueue.concurrentPerform(iterations: fields.count) { k in
            let index = self.buildIndex(fields[k])
            built.withLock { $0[k] = index }
        }
        postings = built.withLock { $0.map { $0! } }
        indexesBuilt = true
    }

    /// Builds the posting list of one field from the columns.
    private func buildIndex(_ field: IndexedField) -> PostingIndex {
        var index = PostingIndex()
        let n = time.count
        let symbolCount = symbols.count
        do {
            switch field {
            case .resource:
                index.rebuild(eventCount: n, symbolCount: symbolCount) { emit in
                    for e in 0..<n {
                        for k in Int(resourceStart[e])..<Int(resourceStart[e + 1]) { emit(e, resourceSymbols[k]) }
                    }
                }
            case .kind:
                index.rebuild(eventCount: n, symbolCount: EventKind.allCases.count + 1) { emit in
                    for e in 0..<n { emit(e, UInt32(kind[e]) + 1) }
                }
            case .principalType:
                index.rebuild(eventCount: n, symbolCount: Principal.IdentityType.allCases.count + 1) { emit in
                    for e in 0..<n where principalType[e] != 0 { emit(e, UInt32(principalType[e])) }
                }
            case .errorCode:
                let failed = errorCodes.keys.sorted()
                index.rebuild(eventCount: n, symbolCount: symbolCount) { emit in
                    for row in failed { emit(Int(row), errorCodes[row]!) }
                }
            case .sourcePort, .destinationPort:
                let source = field == .sourcePort
                // Offsets only as far as the highest port seen: a store without flows pays nothing.
                flows.withReader { rows in
                    var highest = -1
                    for f in 0..<flows.count { highest = max(highest, (source ? rows.ports(f).source : rows.ports(f).destination) ?? -1) }
                    index.rebuild(eventCount: n, symbolCount: highest + 2) { emit in
                        for e in 0..<n where kind[e] == EventKind.flow.rawValue {
                            let ports = rows.ports(Int(detailRow[e]))
                            if let port = source ? ports.source : ports.destination { emit(e, UInt32(port) + 1) }
                        }
                    }
                }
            default:
                let column = columns[field.rawValue]
                // A field no event has (for flows: principal, user, access key, agent, region): no pass over the rows.
                guard !column.isBlank else {
                    index.rebuild(eventCount: n, symbolCount: symbolCount) { _ in }
                    break
                }
                index.rebuild(eventCount: n, symbolCount: symbolCount) { emit in
                    // Through a reader: the column's width is checked once, not on every row.
                    column.withReader { column in
                        for e in 0..<n {
                            let symbol = column[e]
                            if symbol != 0 { emit(e, symbol) }
                        }
                    }
                }
            }
        }
        return index
    }

    /// Applies a row permutation: row `k` becomes old row `order[k]`; `newID[old]` is the inverse.
    func applyPermutation(_ order: [Int], newID: [UInt32]) {
        // Each column is gathered on its own, on all cores (each job writes a different property).
        let before = columns
        let kindsBefore = kind
        let permuted = Mutex([SymbolColumn?](repeating: nil, count: before.count))
        let fixedJobs = 5
        DispatchQueue.concurrentPerform(iterations: fixedJobs + before.count) { job in
            switch job {
            case 0: self.time = Self.gather(self.time, order)
            case 1:
                self.kind = Self.gather(self.kind, order)
                self.flags = Self.gather(self.flags, order)
                self.principalType = Self.gather(self.principalType, order)
            case 2: self.permuteDetails(order, kinds: kindsBefore)
            case 3: self.permuteResources(order)
            case 4:
                self.raw.permute(order)
                self.attributeSets = self.attributeSets.permuted(order)
            default:
                let k = job - fixedJobs
                if !before[k].isEmpty {
                    let column = before[k].permuted(order)
                    permuted.withLock { $0[k] = column }
                }
            }
        }
        columns = permuted.withLock { built in before.indices.map { built[$0] ?? before[$0] } }
        errorCodes = Dictionary(uniqueKeysWithValues: errorCodes.map { (newID[Int($0.key)], $0.value) })
        for (id, row) in findingRows { findingRows[id] = newID[Int(row)] }
        superseded = Set(superseded.map { newID[Int($0)] })
        isTimeOrdered = true
        timeOrderCache = nil
    }

    /// Reorders the detail rows, and lays the flow rows out in the new row order: detectors read every flow in
    /// time order, and a side table in file order made each read a cache miss. `kinds` are the rows' kinds before
    /// the permutation.
    private func permuteDetails(_ order: [Int], kinds: [UInt8]) {
        detailRow = Self.gather(detailRow, order)
        guard !flows.isEmpty else { return }
        var packets: [UInt32: (source: IPAddress?, destination: IPAddress?)] = [:]
        let flowKind = EventKind.flow.rawValue
        var flowOrder: [Int] = []
        flowOrder.reserveCapacity(flows.count)
        kinds.withUnsafeBufferPointer { kinds in
            order.withUnsafeBufferPointer { order in
                detailRow.withUnsafeMutableBufferPointer { details in
                    for k in 0..<order.count where kinds[order[k]] == flowKind {
                        let row = Int(details[k])
                        if !packetAddresses.isEmpty, let packet = packetAddresses[UInt32(row)] { packets[UInt32(flowOrder.count)] = packet }
                        details[k] = UInt32(flowOrder.count)
                        flowOrder.append(row)
                    }
                }
            }
        }
        flows = flows.gathered(flowOrder)
        packetAddresses = packets
    }

    /// `values` reordered: element `k` is old element `order[k]`.
    static func gather<T>(_ values: [T], _ order: [Int]) -> [T] {
        values.withUnsafeBufferPointer { v in order.map { v[$0] } }
    }

    private func permuteResources(_ order: [Int]) {
        (resourceStart, resourceSymbols) = Self.gatherLists(starts: resourceStart, items: resourceSymbols, order)
    }

    /// Variable-length lists kept flat (list `k` is `items[starts[k]..<starts[k + 1]]`), reordered so that list
    /// `k` becomes old list `order[k]`.
    static func gatherLists(starts: [UInt32], items: [UInt32], _ order: [Int]) -> (starts: [UInt32], items: [UInt32]) {
        // Through pointers: a slice per list cost a reference count each (millions of lists in a flow load).
        var total = 0
        let newStarts = [UInt32](unsafeUninitializedCapacity: order.count + 1) { out, written in
            starts.withUnsafeBufferPointer { starts in
                out[0] = 0
                for (k, old) in order.enumerated() {
                    total += Int(starts[old + 1] - starts[old])
                    out[k + 1] = UInt32(total)
                }
            }
            written = order.count + 1
        }
        let flat = [UInt32](unsafeUninitializedCapacity: total) { out, written in
            starts.withUnsafeBufferPointer { starts in
                items.withUnsafeBufferPointer { items in
                    var next = 0
                    for old in order {
                        for i in Int(starts[old])..<Int(starts[old + 1]) {
                            out[next] = items[i]
                            next += 1
                        }
                    }
                    written = next
                }
            }
        }
        return (newStarts, flat)
    }

    // MARK: - Reading

    /// Event ids in time order (ties in arrival order), without superseded findings.
    public func idsInTimeOrder() -> [EventID] {
        if let timeOrderCache { return timeOrderCache }
        var ids = (0..<EventID(time.count)).filter { !superseded.contains($0) }
        if !isTimeOrdered {
            ids.sort { a, b in time[Int(a)] == time[Int(b)] ? a < b : time[Int(a)] < time[Int(b)] }
        }
        timeOrderCache = ids
        return ids
    }

    /// Sorts ids by time (ties by id), in place.
    public func sortByTime(_ ids: inout [EventID]) {
        if isTimeOrdered { ids.sort(); return }
        ids.sort { a, b in time[Int(a)] == time[Int(b)] ? a < b : time[Int(a)] < time[Int(b)] }
    }

    public func time(of id: EventID) -> Timestamp { Timestamp(milliseconds: time[Int(id)]) }
    public func kind(of id: EventID) -> EventKind { EventKind(rawValue: kind[Int(id)])! }
    public func isSuccess(_ id: EventID) -> Bool { flags[Int(id)] & Flag.success != 0 }

    /// The interned symbol of a single-valued field for an event (0 when absent).
    @inline(__always)
    public func symbol(_ field: IndexedField, of id: EventID) -> UInt32 {
        switch field {
        case .kind: return UInt32(kind[Int(id)]) + 1
        case .principalType: return UInt32(principalType[Int(id)])
        case .errorCode: return flags[Int(id)] & Flag.success != 0 ? 0 : errorCodes[id] ?? 0   // only failures have one
        case .sourcePort, .destinationPort:
            // Read in place: this runs for every flow in port-based detectors.
            let i = Int(id)
            guard kind[i] == EventKind.flow.rawValue else { return 0 }
            let ports = flows.withReader { $0.ports(Int(detailRow[i])) }
            return (field == .sourcePort ? ports.source : ports.destination).map { UInt32($0) + 1 } ?? 0
        case .resource: return resourceSymbols.isEmpty ? 0 : (resourceStart[Int(id)] < resourceStart[Int(id) + 1] ? resourceSymbols[Int(resourceStart[Int(id)])] : 0)
        default: return columns[field.rawValue][Int(id)]
        }
    }

    /// The value of a field for an event, as text (nil when absent).
    public func value(_ field: IndexedField, of id: EventID) -> String? {
        switch field {
        case .kind: return kind(of: id).description
        case .principalType: return Self.type(code: principalType[Int(id)])?.rawValue
        case .errorCode: return errorCodes[id].map { symbols[$0] }
        case .sourcePort: return flowRow(id)?.sourcePortValue.map(String.init)
        case .destinationPort: return flowRow(id)?.destinationPortValue.map(String.init)
        case .resource: return resources(of: id).first
        default:
            let s = columns[field.rawValue][Int(id)]
            return s == 0 ? nil : symbols[s]
        }
    }

    /// Every resource the event touches.
    public func resources(of id: EventID) -> [String] {
        (Int(resourceStart[Int(id)])..<Int(resourceStart[Int(id) + 1])).map { symbols[resourceSymbols[$0]] }
    }

    /// The resource symbols of an event, in the order of ``resources(of:)``.
    public func resourceSymbols(of id: EventID) -> ArraySlice<UInt32> {
        resourceSymbols[Int(resourceStart[Int(id)])..<Int(resourceStart[Int(id) + 1])]
    }

    @inline(__always)
    func flowRow(_ id: EventID) -> FlowRow? {
        kind[Int(id)] == EventKind.flow.rawValue ? flows[Int(detailRow[Int(id)])] : nil
    }

    public func flow(of id: EventID) -> FlowFields? {
        guard kind[Int(id)] == EventKind.flow.rawValue else { return nil }
        let row = detailRow[Int(id)]
        var fields = flows[Int(row)].fields
        // The interface, instance, VPC and subnet ids are kept once, as the row's resources.
        // Flow readers put them in a known order of kinds; tell them apart by prefix (on bytes: this runs per flow).
        for symbol in resourceSymbols(of: id) {
            let r = symbols[symbol]
            let u = r.utf8
            if u.starts(with: "eni-".utf8) { fields.interfaceID = r }
            else if u.starts(with: "i-".utf8) { fields.instanceID = r }
            else if u.starts(with: "vpc-".utf8) { fields.vpcID = r }
            else if u.starts(with: "subnet-".utf8) { fields.subnetID = r }
        }
        if let packet = packetAddresses[row] {
            fields.packetSourceAddress = packet.source
            fields.packetDestinationAddress = packet.destination
        }
        return fields
    }

    public func finding(of id: EventID) -> FindingFields? {
        kind[Int(id)] == EventKind.finding.rawValue ? findings[Int(detailRow[Int(id)])] : nil
    }

    public func dns(of id: EventID) -> DNSFields? {
        kind[Int(id)] == EventKind.dns.rawValue ? dnsRecords[Int(detailRow[Int(id)])] : nil
    }

    public func auth(of id: EventID) -> AuthFields? {
        kind[Int(id)] == EventKind.auth.rawValue ? authRecords[Int(detailRow[Int(id)])] : nil
    }

    /// Calls `body` with the record's raw bytes: without copying them, or the flow line rebuilt from the columns
    /// when its bytes are not kept.
    public func withRawBytes<R>(of id: EventID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if raw.isEmpty(Int(id)), let derived = try withDerivedLine(of: id, body) { return derived }
        return try raw.withBytes(Int(id), body)
    }

    public func rawBytes(of id: EventID) -> [UInt8] { withRawBytes(of: id) { Array($0) } }

    /// Pointer access to raw records for long scans (nil when records are compressed). Only while nobody writes.
    public func withRawReader<R>(_ body: (RawReader?) throws -> R) rethrows -> R {
        guard !flows.isEmpty else { return try raw.withReader(body) }
        return try withColumnReader { columns in try raw.withReader(columns: columns, body) }
    }

    /// The record's own id (CloudTrail `eventID`, a finding's id), read from the raw record.
    public func recordID(of id: EventID) -> String? {
        switch kind(of: id) {
        case .cloudTrail: return withRawBytes(of: id) { RecordPaths.eventID.strings(inRecord: $0).first }
        case .finding: return finding(of: id)?.id
        default: return nil
        }
    }

    /// The whole event, rebuilt from the columns.
    public func event(_ id: EventID) -> Event {
        let i = Int(id)
        let f = flags[i]
        var principal: Principal?
        if let type = Self.type(code: principalType[i]) {
            principal = Principal(arn: value(.principal, of: id), type: type, userName: value(.user, of: id),
                                  sessionIssuer: nil,
                                  mfaAuthenticated: f & Flag.mfaKnown != 0 ? f & Flag.mfa != 0 : nil,
                                  console: f & Flag.console != 0)
        }
        let rawBytes = self.rawBytes(of: id)
        let isCloudTrail = kind(of: id) == .cloudTrail
        // Rarely needed fields are read back from the raw record instead of being kept in columns.
        let message = isCloudTrail ? RecordPaths.errorMessage.strings(inRecord: rawBytes).first : nil
        let recipient = isCloudTrail ? RecordPaths.recipientAccount.strings(inRecord: rawBytes).first : nil
        let outcome: Outcome = f & Flag.success != 0 ? .success : .failure(code: value(.errorCode, of: id) ?? "", message: message)
        var event = Event(time: time(of: id), kind: kind(of: id), service: value(.service, of: id) ?? "",
                          action: value(.action, of: id) ?? "", outcome: outcome, principal: principal,
                          accessKeyID: value(.accessKey, of: id), sourceIP: value(.sourceIP, of: id),
                          userAgent: value(.userAgent, of: id), region: value(.region, of: id),
                          account: value(.account, of: id),
                          recipientAccount: recipient,
                          resources: resources(of: id), eventID: nil, flow: flow(of: id), finding: finding(of: id),
                          dns: dns(of: id), auth: auth(of: id), raw: rawBytes)
        event.eventID = recordID(of: id)
        if principal?.type == .assumedRole, event.kind == .cloudTrail {
            event.principal?.sessionIssuer = RecordPaths.sessionIssuer.strings(inRecord: rawBytes).first
        }
        return event
    }

    // MARK: - Record attributes

    /// The row's combination of record attributes: equal numbers mean equal attributes (0: none captured).
    @inline(__always)
    public func attributeSet(of id: EventID) -> UInt32 { attributeSets[Int(id)] }

    /// What combination `set` says of `attribute`.
    @inline(__always)
    public func attribute(_ attribute: RecordAttribute, inSet set: UInt32) -> RecordAttribute.Value {
        guard set != 0 else { return .unknown }
        let cell = attributeTable[Int(set)][attribute.rawValue]
        return cell == 0 ? .unknown : cell == RecordAttribute.absentMark ? .absent : .symbol(cell)
    }

    /// The store's number for a combination of attribute cells (store symbols), adding it if new.
    func attributeSetID(_ cells: [UInt32]) -> UInt32 {
        if cells.allSatisfy({ $0 == 0 }) { return 0 }
        if let known = attributeSetIDs[cells] { return known }
        let id = UInt32(attributeTable.count)
        attributeTable.append(cells)
        attributeSetIDs[cells] = id
        return id
    }

    // MARK: - Index access

    /// Ids of the events whose `field` has `symbol`, ascending.
    public func postings(_ field: IndexedField, symbol: UInt32) -> [EventID] {
        if !indexesBuilt { buildIndexes() }
        return postings[field.rawValue].postings(symbol)
    }

    /// Every value of a field with the number of visible events that have it, most common first.
    public func valueCounts(_ field: IndexedField) -> [(value: String, count: Int)] {
        if !indexesBuilt { buildIndexes() }
        var counts = postings[field.rawValue].counts()
        if !superseded.isEmpty {
            // Superseded finding rows are still in the posting lists; take them out of the counts.
            var less: [UInt32: Int] = [:]
            for row in superseded {
                if field == .resource {
                    for s in resourceSymbols(of: row) { less[s, default: 0] += 1 }
                } else {
                    let s = symbol(field, of: row)
                    if s != 0 { less[s, default: 0] += 1 }
                }
            }
            counts = counts.map { ($0.symbol, $0.count - (less[$0.symbol] ?? 0)) }.filter { $0.1 > 0 }
        }
        return counts.map { (name(field, symbol: $0.symbol), $0.count) }
            .sorted { $0.count == $1.count ? $0.value < $1.value : $0.count > $1.count }
    }

    /// The symbols that occur in a field (for matching wildcards and CIDRs against the vocabulary, not the rows).
    public func vocabulary(_ field: IndexedField) -> [(symbol: UInt32, value: String)] {
        if !indexesBuilt { buildIndexes() }
        return postings[field.rawValue].presentSymbols().map { ($0, name(field, symbol: $0)) }
    }

    func name(_ field: IndexedField, symbol: UInt32) -> String {
        switch field {
        case .kind: return EventKind(rawValue: UInt8(symbol - 1))!.description
        case .principalType: return Self.type(code: UInt8(symbol))?.rawValue ?? ""
        case .sourcePort, .destinationPort: return String(symbol - 1)
        default: return symbols[symbol]
        }
    }

    // MARK: - Memory

    /// Bytes of raw records held, and bytes of everything else (columns, symbols, indexes, side tables).
    public var memoryFootprint: (raw: Int, index: Int) {
        let parts = memoryBreakdown
        return (parts.first { $0.name == "raw records" }?.bytes ?? 0, parts.filter { $0.name != "raw records" }.reduce(0) { $0 + $1.bytes })
    }

    /// Approximate bytes held, part by part (capacities, not counts).
    public var memoryBreakdown: [(name: String, bytes: Int)] {
        var parts: [(String, Int)] = []
        parts.append(("raw records", raw.storedBytes + raw.slackBytes))
        parts.append(("raw record table", raw.overheadBytes))
        parts.append(("time, kind, flags, type", time.capacity * 8 + kind.capacity + flags.capacity + principalType.capacity))
        parts.append(("symbol columns", columns.reduce(0) { $0 + $1.bytes }))
        parts.append(("resources", resourceStart.capacity * 4 + resourceSymbols.capacity * 4))
        parts.append(("error codes", errorCodes.capacity * 12))
        parts.append(("detail rows", detailRow.capacity * 4))
        parts.append(("record attributes", attributeSets.bytes + attributeTable.count * (RecordAttribute.allCases.count * 4 + 48)))
        parts.append(("posting lists", postings.reduce(0) { $0 + $1.approximateBytes }))
        parts.append(("symbol table", symbols.approximateBytes))
        parts.append(("duplicate check", seenIDs.footprint + sealedIDs.capacity * 8))
        parts.append(("flow rows", flows.footprint))
        parts.append(("findings, DNS, auth", findings.capacity * MemoryLayout<FindingFields>.stride
            + dnsRecords.capacity * MemoryLayout<DNSFields>.stride + authRecords.capacity * MemoryLayout<AuthFields>.stride))
        return parts
    }
}

/// The paths into CloudTrail records that the store reads back rather than keeping in columns, parsed once.
enum RecordPaths {
    static let eventID = JSONPath("eventID")!
    static let errorMessage = JSONPath("errorMessage")!
    static let recipientAccount = JSONPath("recipientAccountId")!
    static let sessionIssuer = JSONPath("userIdentity.sessionContext.sessionIssuer.arn")!
}

/// Fingerprints of record ids, so the duplicate check does not keep every id string.
enum RecordKey {
    /// A 64-bit hash of the kind and the id's bytes, eight bytes at a time, finished with a MurmurHash3-style
    /// mix for good high bits.
    static func fingerprint(kind: EventKind, id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { fingerprint(kind: kind, bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The same fingerprint, from the id's bytes.
    @inline(__always)
    static func fingerprint(kind: EventKind, bytes: UnsafeRawBufferPointer) -> UInt64 {
        @inline(__always) func round(_ h: UInt64, _ word: UInt64) -> UInt64 {
            let x = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            return x << 31 | x >> 33
        }
        let n = bytes.count
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(kind.rawValue) ^ UInt64(n) << 8
        guard let base = bytes.baseAddress else { return finish(h) }
        var i = 0
        while i + 8 <= n {
            h = round(h, base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n { h = round(h, tailWord(bytes, from: i)) }
        return finish(h)
    }

    @inline(__always)
    private static func finish(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }
}
