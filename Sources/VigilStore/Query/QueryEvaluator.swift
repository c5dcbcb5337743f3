import Dispatch
import Synchronization
import VigilCore

/// Answers queries over an ``EventStore``: posting lists for indexed fields, scans only for what remains.
///
/// An AND evaluates its index-backed terms first (smallest posting list first) and then tests the remaining terms
/// only on the surviving candidates, so `user:alice "access denied"` reads the raw records of alice's events only.
/// Results are event ids in time order.
public struct QueryEvaluator: Sendable {
    let store: EventStore
    /// The newest event's time: relative times (`time>-1h`) count back from it.
    let newest: Timestamp
    private var vocabularyCache: [IndexedField: [(symbol: UInt32, value: String)]] = [:]

    public init(store: EventStore) {
        self.store = store
        let ids = store.idsInTimeOrder()
        newest = ids.last.map { store.time(of: $0) } ?? Timestamp(milliseconds: 0)
    }

    /// The ids of every visible event matching `query`, in time order.
    public mutating func evaluate(_ query: Query) -> [EventStore.EventID] {
        var ids = evaluate(query.expression, within: nil)
        if !store.superseded.isEmpty { ids.removeAll { store.superseded.contains($0) } }
        store.sortByTime(&ids)
        return ids
    }

    /// The ids among `ids` (ascending) that match, in time order: for events that have just arrived.
    public mutating func evaluate(_ query: Query, among ids: [EventStore.EventID]) -> [EventStore.EventID] {
        var result = evaluate(query.expression, within: ids)
        if !store.superseded.isEmpty { result.removeAll { store.superseded.contains($0) } }
        store.sortByTime(&result)
        return result
    }

    /// Whether one event matches (used for events arriving live).
    public mutating func matches(_ query: Query, _ id: EventStore.EventID) -> Bool {
        !evaluate(query.expression, within: [id]).isEmpty
    }

    // MARK: - Set evaluation

    /// Evaluates `expression`, restricted to `within` (sorted ids) when given.
    mutating func evaluate(_ expression: QueryExpression, within: [EventStore.EventID]?) -> [EventStore.EventID] {
        switch expression {
        case .all:
            return within ?? allIDs()
        case .term(let term):
            if let list = indexed(term) {
                guard let within else { return list }
                return Self.intersect(list, within)
            }
            return scan(term, within ?? allIDs())
        case .not(let inner):
            let domain = within ?? allIDs()
            return Self.subtract(domain, evaluate(inner, within: domain))
        case .or(let parts):
            var result: [EventStore.EventID] = []
            for part in parts { result = Self.union(result, evaluate(part, within: within)) }
            return result
        case .and(let parts):
            // Index-backed terms first, smallest first; then everything else on the shrinking candidate set.
            var lists: [[EventStore.EventID]] = []
            var rest: [QueryExpression] = []
            for part in parts {
                if case .term(let term) = part, let list = indexed(term) { lists.append(list) } else { rest.append(part) }
            }
            lists.sort { $0.count < $1.count }
            var current = within
            for list in lists {
                current = current.map { Self.intersect($0, list) } ?? list
                if current!.isEmpty { return [] }
            }
            // Cheap terms before expensive scans.
            rest.sort { cost($0) < cost($1) }
            for part in rest {
                current = evaluate(part, within: current)
                if current!.isEmpty { return [] }
            }
            return current ?? allIDs()
        }
    }

    private func allIDs() -> [EventStore.EventID] {
        Array(0..<EventStore.EventID(store.rowCount))
    }

    /// Rough cost rank of scanning for a term: 0 columns, 1 side tables, 2 raw-record scans.
    private func cost(_ e: QueryExpression) -> Int {
        guard case .term(let t) = e else { return 3 }
        switch t.field {
        case nil, .path, .eventID: return 2
        case .some(.time), .some(.outcome): return 0
        default: return 1
        }
    }

    // MARK: - Index-backed terms

    /// The posting list for a term that an index can answer alone, or nil when it must be scanned.
    mutating func indexed(_ term: QueryTerm) -> [EventStore.EventID]? {
        guard let field = term.field else { return nil }
        if field == .kind, case .kind(let kind) = term.predicate {
            return store.postings(.kind, symbol: UInt32(kind.rawValue) + 1)
        }
        if field == .time, case .timeRange(let lower, let upper) = term.predicate, store.isTimeOrdered {
            return timeRange(lower, upper)
        }
        guard let indexedFields = Self.indexedFields(field) else { return nil }
        var symbolsPerField: [(IndexedField, [UInt32])] = []
        for f in indexedFields {
            switch term.predicate {
            case .matches(let pattern):
                if pattern.matchesEverything {
                    symbolsPerField.append((f, vocabulary(f).map(\.symbol)))
                } else {
                    symbolsPerField.append((f, vocabulary(f).filter { pattern.matches($0.value) }.map(\.symbol)))
                }
            case .address(let address):
                symbolsPerField.append((f, vocabulary(f).filter { IPAddress($0.value) == address }.map(\.symbol)))
            case .cidr(let block):
                symbolsPerField.append((f, vocabulary(f).filter { IPAddress($0.value).map(block.contains) ?? false }.map(\.symbol)))
            case .exists:
                symbolsPerField.append((f, vocabulary(f).map(\.symbol)))
            case .compare(let op, let constant) where f == .sourcePort || f == .destinationPort:
                symbolsPerField.append((f, vocabulary(f).filter { op.evaluate(Double(Int($0.symbol) - 1), constant) }.map(\.symbol)))
            default:
                return nil
            }
        }
        var lists: [[EventStore.EventID]] = []
        for (f, symbols) in symbolsPerField {
            for s in symbols { lists.append(store.postings(f, symbol: s)) }
        }
        return Self.unionAll(lists)
    }

    private func timeRange(_ lower: TimeBound?, _ upper: TimeBound?) -> [EventStore.EventID] {
        let n = store.rowCount
        func firstIndex(where predicate: (Int64) -> Bool) -> Int {
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                if predicate(store.time(of: EventStore.EventID(mid)).milliseconds) { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        var start = 0, end = n
        if let lower {
            let t = lower.instant(newest: newest).milliseconds
            start = firstIndex { lower.isInclusive ? $0 >= t : $0 > t }
        }
        if let upper {
            let t = upper.instant(newest: newest).milliseconds
            end = firstIndex { upper.isInclusive ? $0 > t : $0 >= t }
        }
        return start < end ? Array(EventStore.EventID(start)..<EventStore.EventID(end)) : []
    }

    /// The store columns behind a query field, when it has any.
    static func indexedFields(_ field: QueryField) -> [IndexedField]? {
        switch field {
        case .user: [.user]
        case .principal: [.principal]
        case .principalType: [.principalType]
        case .accessKey: [.accessKey]
        case .sourceIP: [.sourceIP, .destinationIP]
        case .sourceAddress: [.sourceIP]
        case .destinationAddress: [.destinationIP]
        case .action: [.action]
        case .service: [.service]
        case .region: [.region]
        case .account: [.account]
        case .resource: [.resource]
        case .errorCode: [.errorCode]
        case .userAgent: [.userAgent]
        case .sourcePort: [.sourcePort]
        case .destinationPort: [.destinationPort]
        default: nil
        }
    }

    private mutating func vocabulary(_ field: IndexedField) -> [(symbol: UInt32, value: String)] {
        if let cached = vocabularyCache[field] { return cached }
        let v = store.vocabulary(field)
        vocabularyCache[field] = v
        return v
    }

    // MARK: - Scanned terms

    func scan(_ term: QueryTerm, _ candidates: [EventStore.EventID]) -> [EventStore.EventID] {
        let filter = RawPrefilter(term)
        let evaluator = self
        return store.withRawReader { reader in
            let test: @Sendable (EventStore.EventID) -> Bool = { id in
                if let filter {
                    let pass = reader.map { $0.withBytes(of: id, filter.mayMatch) } ?? evaluator.store.withRawBytes(of: id, filter.mayMatch)
                    if !pass { return false }
                }
                return evaluator.test(term, id)
            }
            // Large scans are split across cores; the store is only read. A compressed arena shares one page
            // cache, so it is scanned on one thread.
            let workers = System.cores
            guard candidates.count >= 20_000, workers > 1, reader != nil else { return candidates.filter(test) }
            let chunk = (candidates.count + workers - 1) / workers
            let parts = Mutex([[EventStore.EventID]](repeating: [], count: workers))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = w * chunk, hi = min(candidates.count, lo + chunk)
                guard lo < hi else { return }
                let found = candidates[lo..<hi].filter(test)
                parts.withLock { $0[w] = found }
            }
            return parts.withLock { $0.flatMap { $0 } }
        }
    }

    /// Tests one term against one event by reading its columns, side tables or raw record.
    func test(_ term: QueryTerm, _ id: EventStore.EventID) -> Bool {
        guard let field = term.field else {
            guard case .matches(let pattern) = term.predicate else { return false }
            return store.withRawBytes(of: id) { raw in
                pattern.occurs(inUTF8: raw.assumingMemoryBound(to: UInt8.self))
            }
        }
        switch term.predicate {
        case .timeRange(let lower, let upper):
            return TimeBound.contains(store.time(of: id), lower: lower, upper: upper, newest: newest)
        case .kind(let kind):
            return store.kind(of: id) == kind
        case .outcome(let success):
            return store.isSuccess(id) == success
        case .severity(let op, let severity):
            guard let finding = store.finding(of: id) else { return false }
            return op.evaluate(finding.severity, severity)
        default:
            break
        }
        if let fields = Self.indexedFields(field) {
            for f in fields {
                let values = f == .resource ? store.resources(of: id) : store.value(f, of: id).map { [$0] } ?? []
                if values.contains(where: { Self.test(term.predicate, text: $0) }) { return true }
            }
            return false
        }
        switch field {
        case .severity:
            guard let finding = store.finding(of: id) else { return false }
            if case .compare(let op, let score) = term.predicate { return op.evaluate(finding.score, score) }
            if case .exists = term.predicate { return true }
            return false
        case .sourcePort, .destinationPort, .protocol, .bytes, .packets:
            guard let flow = store.flow(of: id) else { return false }
            let value: Double?
            switch field {
            case .sourcePort: value = flow.sourcePort.map(Double.init)
            case .destinationPort: value = flow.destinationPort.map(Double.init)
            case .protocol: value = flow.ipProtocol.map(Double.init)
            case .bytes: value = flow.bytes.map(Double.init)
            default: value = flow.packets.map(Double.init)
            }
            guard let value else { return false }
            if case .exists = term.predicate { return true }
            return Self.test(term.predicate, text: Self.numberText(value))
        case .query:
            guard let dns = store.dns(of: id) else { return false }
            return Self.test(term.predicate, text: dns.queryName)
        case .eventID:
            guard let recordID = store.recordID(of: id) else { return false }
            return Self.test(term.predicate, text: recordID)
        case .path(let path):
            return store.withRawBytes(of: id) { raw in
                // A stored JSON record is exactly one object (validated when it was read): no need to scan it
                // whole just to find where it ends.
                guard let root = JSONPath.storedRecordRoot(raw) else { return false }
                for value in path.values(in: raw, root: root) where value.kind != .null {
                    if case .exists = term.predicate {
                        if value.kind != .string || value.count > 2 { return true }
                        continue
                    }
                    if Self.test(term.predicate, text: JSONScanner.text(raw, value)) { return true }
                }
                return false
            }
        default:
            return false
        }
    }

    /// Tests a predicate on a value's text form.
    static func test(_ predicate: QueryPredicate, text: String) -> Bool {
        switch predicate {
        case .matches(let pattern): return pattern.matches(text)
        case .address(let address): return IPAddress(text) == address
        case .cidr(let block): return IPAddress(text).map(block.contains) ?? false
        case .exists: return !text.isEmpty
        case .compare(let op, let constant):
            guard let value = Double(text) else { return false }
            return op.evaluate(value, constant)
        case .timeRange, .kind, .severity, .outcome:
            return false
        }
    }

    static func numberText(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    // MARK: - Sorted id sets

    static func intersect(_ a: [EventStore.EventID], _ b: [EventStore.EventID]) -> [EventStore.EventID] {
        if a.isEmpty || b.isEmpty { return [] }
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var out: [EventStore.EventID] = []
        out.reserveCapacity(small.count)
        if small.count * 16 < large.count {
            // Galloping: binary-search each id of the small list in the large one.
            var lo = 0
            for x in small {
                var hi = large.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if large[mid] < x { lo = mid + 1 } else { hi = mid }
                }
                if lo < large.count, large[lo] == x { out.append(x) }
            }
            return out
        }
        var i = 0, j = 0
        while i < small.count, j < large.count {
            if small[i] == large[j] { out.append(small[i]); i += 1; j += 1 } else if small[i] < large[j] { i += 1 } else { j += 1 }
        }
        return out
    }

    static func union(_ a: [EventStore.EventID], _ b: [EventStore.EventID]) -> [EventStore.EventID] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [EventStore.EventID] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] { out.append(a[i]); i += 1; j += 1 } else if a[i] < b[j] { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    static func unionAll(_ lists: [[EventStore.EventID]]) -> [EventStore.EventID] {
        switch lists.count {
        case 0: return []
        case 1: return lists[0]
        case 2...8: return lists.reduce([]) { union($0, $1) }
        default:
            var all = lists.flatMap { $0 }
            all.sort()
            var out: [EventStore.EventID] = []
            out.reserveCapacity(all.count)
            for x in all where out.last != x { out.append(x) }
            return out
        }
    }

    static func subtract(_ a: [EventStore.EventID], _ b: [EventStore.EventID]) -> [EventStore.EventID] {
        if b.isEmpty { return a }
        var out: [EventStore.EventID] = []
        out.reserveCapacity(a.count)
        var j = 0
        for x in a {
            while j < b.count, b[j] < x { j += 1 }
            if j < b.count, b[j] == x { continue }
            out.append(x)
        }
        return out
    }
}

extension EventStore {
    /// Events matching `query`, in time order.
    public func search(_ query: Query) -> [EventID] {
        var evaluator = QueryEvaluator(store: self)
        return evaluator.evaluate(query)
    }
}

/// A cheap necessary condition on a record's raw bytes, checked before a term is evaluated properly.
///
/// A JSON path can only match a record that contains its last member name in quotes; a pattern can only match
/// a value that contains its longest literal run. Both are found with a vectorised byte search, so most records of a
/// scan are rejected without being parsed. Value literals are only used when the record has no `\u` escape
/// (an escape could spell the literal differently), and only ASCII literals are used case-insensitively.
struct RawPrefilter: Sendable {
    var key: [UInt8]?
    var literal: [UInt8]?
    var literalNeedsNoEscapes: Bool

    init?(_ term: QueryTerm) {
        literalNeedsNoEscapes = true
        switch term.field {
        case nil:
            guard case .matches(let pattern) = term.predicate, let l = Self.literal(pattern) else { return nil }
            literal = l
            literalNeedsNoEscapes = false  // free text is defined over the raw bytes themselves
        case .path(let path)?:
            if case .member(let name)? = path.components.last(where: { if case .member = $0 { true } else { false } }) {
                key = [UInt8(ascii: "\"")] + name + [UInt8(ascii: "\"")]
            }
            if case .matches(let pattern) = term.predicate { literal = Self.literal(pattern) }
            if key == nil && literal == nil { return nil }
        default:
            return nil
        }
    }

    /// The longest ASCII literal run of a pattern, lowercased, if it has one of at least two bytes.
    static func literal(_ pattern: QueryPattern) -> [UInt8]? {
        var best: [UInt8] = []
        for element in pattern.elements {
            if case .literal(let text) = element, text.utf8.count > best.count, text.utf8.allSatisfy({ $0 < 0x80 }) {
                best = text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            }
        }
        return best.count >= 2 ? best : nil
    }

    static let escape: [UInt8] = Array("\\u".utf8)

    func mayMatch(_ raw: UnsafeRawBufferPointer) -> Bool {
        if let key, !ByteSearch.contains(raw, key) { return false }
        if let literal {
            if literalNeedsNoEscapes && ByteSearch.contains(raw, Self.escape) { return true }
            if !ByteSearch.containsIgnoringCase(raw, lowercased: literal) { return false }
        }
        return true
    }
}
