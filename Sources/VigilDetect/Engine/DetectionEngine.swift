import Dispatch
import Synchronization
import VigilCore
import VigilStore

/// Runs rules, correlations, detectors and GuardDuty pass-through over a store's events, in event-time order.
///
/// The same engine serves a batch scan (``processAll()``), live tailing (``process(_:)`` on each new batch of rows)
/// and drill replay: its state carries over between calls, so feeding a dataset in time-ordered pieces gives the
/// same findings as feeding it at once.
///
/// Rules are dispatched on (kind, `eventSource`, `eventName`): the first time a pair is seen, every rule is asked
/// whether it could match it at all (three-valued evaluation of its condition), and only those candidates run on
/// events with that pair afterwards.
public final class DetectionEngine {
    public let store: EventStore
    public let rules: RuleSet
    public let intel: ThreatIntel
    /// The detectors; each is handed whole runs of events and picks the kinds it looks at.
    private let detectors: [any Detector]
    private let passGuardDuty: Bool
    private var book = FindingBook()
    private let memo: MatchMemo
    private var correlationState: CorrelationState
    /// Per compiled rule: the (correlation, input position) pairs fed by its matches.
    private let consumers: [[(correlation: Int, input: Int)]]
    private let templates: [FindingTemplate]
    private var dispatch: DispatchTable = DispatchTable()
    private let rulesByKind: [[Int32]]
    public private(set) var eventsProcessed = 0
    /// Matches per compiled rule and per correlation (counted by index: a dictionary by id cost a hash per match).
    private var ruleMatches: [Int]
    private var correlationFirings: [Int]

    /// How many events each rule matched (and how many times each correlation fired), by rule id.
    public var matchCounts: [String: Int] {
        var out: [String: Int] = [:]
        for (i, n) in ruleMatches.enumerated() where n > 0 { out[rules.compiled[i].rule.id, default: 0] += n }
        for (i, n) in correlationFirings.enumerated() where n > 0 { out[rules.correlations[i].rule.id, default: 0] += n }
        return out
    }
    /// (compiled rule, principal symbol) → index of the finding it folds into.
    private var foldedOnPrincipal = FoldIndex()

    public init(store: EventStore, rules: RuleSet, detectors: [any Detector] = [], intel: ThreatIntel = ThreatIntel(),
                guardDutyFindings: Bool = true) {
        self.store = store
        self.rules = rules
        self.intel = intel
        self.detectors = detectors
        self.passGuardDuty = guardDutyFindings
        memo = MatchMemo(slots: rules.memoSlots)
        correlationState = CorrelationState(count: rules.correlations.count)
        var consumers = Array(repeating: [(correlation: Int, input: Int)](), count: rules.compiled.count)
        for (c, correlation) in rules.correlations.enumerated() {
            for (position, input) in correlation.inputs.enumerated() { consumers[input].append((c, position)) }
        }
        self.consumers = consumers
        templates = rules.compiled.map { FindingTemplate(rule: $0.rule, source: .rule) }
        var byKind = Array(repeating: [Int32](), count: EventKind.allCases.count)
        for (i, r) in rules.compiled.enumerated() { byKind[Int(r.kind.rawValue)].append(Int32(i)) }
        rulesByKind = byKind
        ruleMatches = Array(repeating: 0, count: rules.compiled.count)
        correlationFirings = Array(repeating: 0, count: rules.correlations.count)
    }

    /// Every finding so far, in report order (severity, then time).
    public var findings: [Finding] {
        book.resolveEntities(store: store)
        return book.findings.sorted(by: Finding.reportOrder)
    }

    /// Changes whenever a finding is added or updated.
    public var revision: Int { book.revision }

    /// Runs over every event of the store, in time order.
    public func processAll() {
        process(store.idsInTimeOrder())
    }

    /// Runs over the given events, which must be in time order and later than those already processed.
    public func process(_ ids: [EventStore.EventID]) {
        let context = EventContext(store: store, intel: intel.isEmpty ? nil : intel)
        // Rule matching is stateless per event, so a large run matches on every core first and then folds the
        // matches (findings, correlations, detectors) in event order on this thread: the results are the same.
        // Compressed raw records share one inflate cache, so they are matched on one thread.
        if System.cores > 1, ids.count >= parallelThreshold, !profiling, !rules.compiled.isEmpty, !store.rawRecordsCompressed {
            processInParallel(ids, context)
            return
        }
        // Detectors see the whole run at once (each through its batch entry point); their hits are interleaved
        // with the rule matches below, event by event, in the order the parallel fold uses.
        let hits = detectorHits(ids, ids.indices)
        var nextHit = 0
        store.withColumnReader { columns in
            memo.use(columns)
            defer { memo.stopUsingColumns() }
            for (position, id) in ids.enumerated() {
                let time = begin(id)
                let kind = store.kind(of: id)
                if kind != .finding || !store.superseded.contains(id) {
                    let candidates = self.candidates(id, kind, columns, &dispatch)
                    if !candidates.isEmpty {
                        store.withRawBytes(of: id) { raw in
                            context.reset(id: id, raw: raw)
                            for r in candidates {
                                let started = profiling ? System.monotonic() : 0
                                let hit = rules.compiled[Int(r)].matches(context, memo: memo)
                                if profiling { ruleSeconds[Int(r)] += System.monotonic() - started }
                                if hit { matched(Int(r), rules.compiled[Int(r)], id, time, context, columns) }
                            }
                        }
                    }
                }
                while nextHit < hits.count, hits[nextHit].position == Int32(position) {
                    record(hits[nextHit].hit, of: detectors[Int(hits[nextHit].detector)])
                    nextHit += 1
                }
            }
        }
    }

    /// When set, rules run on one thread and the time spent evaluating each is kept (``ruleCosts``).
    public var profiling = false
    private lazy var ruleSeconds = Array(repeating: 0.0, count: rules.compiled.count)

    /// Seconds spent evaluating each rule and how many events it matched, costliest first (when ``profiling``).
    public var ruleCosts: [(rule: DetectionRule, seconds: Double, matches: Int)] {
        rules.compiled.indices.map { (rules.compiled[$0].rule, ruleSeconds[$0], ruleMatches[$0]) }.sorted { $0.seconds > $1.seconds }
    }

    /// The compiled rules and correlations as unretained references, for the fold: a million matches each
    /// retained and released their rule (and a correlation's input its correlation), several percent of the
    /// fold's time. The rule set owns them for the engine's life.
    private lazy var compiledRefs = rules.compiled.map { Unmanaged.passUnretained($0) }
    private lazy var correlationRefs = rules.correlations.map { Unmanaged.passUnretained($0) }

    private var detectorSeconds: [Int: [Int: Double]] = [:]
    /// How long each detector job (a part of a detector) took on the last run, to start the longest first.
    private lazy var jobSeconds = [Double](repeating: 0, count: detectors.reduce(0) { $0 + max(1, $1.parts) })

    /// Seconds each part of each detector took (parts run one after the other when ``profiling``), costliest
    /// first; a detector of one part has part 0.
    public var detectorCosts: [(detector: String, part: Int, parts: Int, seconds: Double)] {
        detectorSeconds.flatMap { d, parts in
            parts.map { (detectors[d].id, $0.key, max(1, detectors[d].parts), $0.value) }
        }.sorted { ($1.seconds, $0.detector, $0.part) < ($0.seconds, $1.detector, $1.part) }
    }

    /// Runs shorter than this are matched on one thread (tests lower both to exercise the parallel path).
    var parallelThreshold = 20_000
    var chunkSize = 4096

    /// Bookkeeping every event gets, matched or not; GuardDuty findings pass through here.
    private func begin(_ id: EventStore.EventID) -> Timestamp {
        eventsProcessed += 1
        let time = store.time(of: id)
        if store.kind(of: id) == .finding, !store.superseded.contains(id), passGuardDuty { passThrough(id, time) }
        return time
    }

    private func record(_ hit: DetectorHit, of detector: any Detector) {
        var template = detector.template
        if let s = hit.severity { template.severity = s }
        book.record(template, primary: hit.primary, time: hit.time, lastTime: hit.lastTime, events: hit.events,
                    count: hit.count, summary: hit.summary, store: store)
    }

    /// Runs every detector over `ids[range]`, each part of each detector on a core of its own, and returns their
    /// hits in event order (by the position of the event that raised them, then by detector, then by part, then
    /// in the order each part reported them). Detectors keep their own state and only read the store, so they are
    /// independent of each other and of the rules; replaying the hits in this order gives the serial result.
    private func detectorHits(_ ids: [EventStore.EventID], _ range: Range<Int>) -> [(position: Int32, detector: Int32, hit: DetectorHit)] {
        let store = self.store
        let jobs = detectors.indices.flatMap { d in (0..<max(1, detectors[d].parts)).map { (detector: d, part: $0) } }
        let boxes = detectors.map { UncheckedSendable($0) }
        let hits = Mutex([[(position: Int32, hit: DetectorHit)]](repeating: [], count: jobs.count))
        let seconds = Mutex([Double](repeating: 0, count: jobs.count))
        let run = { @Sendable (j: Int) in
            let started = System.monotonic()
            var mine: [(position: Int32, hit: DetectorHit)] = []
            boxes[jobs[j].detector].value.observe(ids[range], part: jobs[j].part, in: store) { mine.append((Int32($0), $1)) }
            let took = System.monotonic() - started
            hits.withLock { $0[j] = mine }
            seconds.withLock { $0[j] = took }
        }
        if profiling {
            // One at a time, so each part's time is its own.
            for j in jobs.indices { run(j) }
            for (j, took) in seconds.withLock({ $0 }).enumerated() {
                detectorSeconds[jobs[j].detector, default: [:]][jobs[j].part, default: 0] += took
            }
        } else {
            // Longest first, by what each took on the previous run: the cores hand out jobs in this order, and a
            // long job started last leaves the other core idle until it ends (a few milliseconds a window).
            let order = jobs.indices.sorted { (jobSeconds[$1], $0) < (jobSeconds[$0], $1) }
            DispatchQueue.concurrentPerform(iterations: jobs.count) { k in run(order[k]) }
            jobSeconds = seconds.withLock { $0 }
        }
        // Jobs are numbered by (detector, part): merging the lists in job order gives the order above.
        return Self.inEventOrder(hits.withLock { $0 }).map { (position, job, hit) in
            (position, Int32(jobs[job].detector), hit)
        }
    }

    /// Hit lists, each in position order, merged by position and then by list (a stable sort): what
    /// ``detectorHits(_:_:)`` replays, with the list each hit came from.
    static func inEventOrder(_ lists: [[(position: Int32, hit: DetectorHit)]]) -> [(position: Int32, list: Int, hit: DetectorHit)] {
        var all: [(position: Int32, list: Int, hit: DetectorHit)] = []
        for (l, hits) in lists.enumerated() {
            for (position, hit) in hits { all.append((position, l, hit)) }
        }
        let order = all.indices.sorted { (all[$0].position, all[$0].list, $0) < (all[$1].position, all[$1].list, $1) }
        return order.map { all[$0] }
    }

    /// One detector's hits over a run, its parts run one after the other and merged as ``detectorHits(_:_:)``
    /// merges them (for tests that hold the batch path to the event-by-event one).
    static func hits(of detector: any Detector, _ ids: ArraySlice<EventStore.EventID>, in store: EventStore) -> [(position: Int, hit: DetectorHit)] {
        let parts = (0..<max(1, detector.parts)).map { part in
            var mine: [(position: Int32, hit: DetectorHit)] = []
            detector.observe(ids, part: part, in: store) { mine.append((Int32($0), $1)) }
            return mine
        }
        return inEventOrder(parts).map { (Int($0.position), $0.hit) }
    }

    /// Matches chunks of events on all cores (each worker with its own memo and dispatch table), then folds the
    /// matches in order. Memory is bounded by working through the events a window of chunks at a time.
    private func processInParallel(_ ids: [EventStore.EventID], _ context: EventContext) {
        let workers = System.cores
        let window = chunkSize * workers * 16
        let store = self.store, rules = self.rules, intel = self.intel.isEmpty ? nil : self.intel, chunkSize = self.chunkSize
        let byKind = rulesByKind
        // Each worker keeps its memo, context and dispatch table from window to window: what it learnt about
        // symbols and (service, action) combinations stays true.
        let states = (0..<workers).map { _ in MatchWorker(memo: MatchMemo(slots: rules.memoSlots),
                                                          context: EventContext(store: store, intel: intel)) }
        let folding = DispatchGroup()
        var windowStart = 0
        while windowStart < ids.count {
            let windowEnd = min(ids.count, windowStart + window)
            let chunkCount = (windowEnd - windowStart + chunkSize - 1) / chunkSize
            // Per chunk: (position in `ids`, compiled rule) for every match, in event order.
            let results = ResultSlots(count: chunkCount)
            let first = windowStart, last = windowEnd
            do {
                let all = ids
                // Chunks go to whichever worker is free (the fold of the previous window shares the cores).
                let nextChunk = Atomic<Int>(0)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let state = states[worker]
                    let memo = state.memo, local = state.context
                    // Rules, columns and raw records through pointers: the inner loop takes no reference counts.
                    let compiled = rules.compiled.map { Unmanaged.passUnretained($0) }
                    withExtendedLifetime(rules) {
                        compiled.withUnsafeBufferPointer { compiled in
                            store.withRawReader { reader in
                                store.withColumnReader { columns in
                                    memo.use(columns)
                                    defer { memo.stopUsingColumns() }
                                    while true {
                                        let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                                        guard chunk < chunkCount else { break }
                                        let lower = first + chunk * chunkSize
                                        let upper = min(last, lower + chunkSize)
                                        var found: [(Int32, Int32)] = []
                                        for position in lower..<upper {
                                            let id = all[position]
                                            let kind = columns.kind(of: id)
                                            if kind == .finding, store.superseded.contains(id) { continue }
                                            let candidates = Self.candidates(id, kind, rules, store, columns, &state.dispatch, byKind: byKind)
                                            if candidates.isEmpty { continue }
                                            reader!.withBytes(of: id) { raw in
                                                local.reset(id: id, kind: kind, raw: raw)
                                                for r in candidates where compiled[Int(r)]._withUnsafeGuaranteedRef({ $0.matches(local, memo: memo) }) {
                                                    found.append((Int32(position), r))
                                                }
                                            }
                                        }
                                        results.set(chunk, found)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Detectors run over the window on all cores too; their hits are replayed in event order by the fold.
            let hits = detectorHits(ids, windowStart..<windowEnd)
            // The fold is serial: it runs beside the next window's matching rather than after it. Folds run one
            // at a time and in window order; they alone touch the findings, correlations and counters, and the
            // matching and detectors only read the store.
            folding.wait()
            let job = UncheckedSendable((engine: self, window: windowStart..<windowEnd, results: results, hits: hits, context: context))
            DispatchQueue.global().async(group: folding) {
                let (engine, window, results, hits, context) = job.value
                engine.fold(ids, window, results, hits, context)
            }
            windowStart = windowEnd
        }
        folding.wait()
    }

    /// Folds a window's rule matches and detector hits into findings and correlations, in event order.
    private func fold(_ ids: [EventStore.EventID], _ window: Range<Int>, _ results: ResultSlots,
                      _ hits: [(position: Int32, detector: Int32, hit: DetectorHit)], _ context: EventContext) {
        let chunkCount = results.count
        var nextHit = 0
        eventsProcessed += window.count
        store.withRawReader { reader in
            store.withColumnReader { columns in
                for chunk in 0..<chunkCount {
                    let found = results.get(chunk)
                    var next = 0
                    let lower = window.lowerBound + chunk * chunkSize
                    let upper = min(window.upperBound, lower + chunkSize)
                    for position in lower..<upper {
                        // Most events match nothing and raise nothing: they cost a kind read and two compares.
                        let id = ids[position]
                        let isFinding = columns.kind(of: id) == .finding
                        let isMatched = next < found.count && found[next].0 == Int32(position)
                        let hasHits = nextHit < hits.count && hits[nextHit].position == Int32(position)
                        guard isFinding || isMatched || hasHits else { continue }
                        let time = Timestamp(milliseconds: columns.time(of: id))
                        if isFinding, passGuardDuty, !store.superseded.contains(id) { passThrough(id, time) }
                        if isMatched {
                            reader!.withBytes(of: id) { raw in
                                context.reset(id: id, kind: columns.kind(of: id), raw: raw)
                                while next < found.count, found[next].0 == Int32(position) {
                                    let r = Int(found[next].1)
                                    compiledRefs[r]._withUnsafeGuaranteedRef { matched(r, $0, id, time, context, columns) }
                                    next += 1
                                }
                            }
                        }
                        while nextHit < hits.count, hits[nextHit].position == Int32(position) {
                            record(hits[nextHit].hit, of: detectors[Int(hits[nextHit].detector)])
                            nextHit += 1
                        }
                    }
                }
            }
        }
    }

    private func candidates(_ id: EventStore.EventID, _ kind: EventKind, _ columns: ColumnReader, _ table: inout DispatchTable) -> [Int32] {
        Self.candidates(id, kind, rules, store, columns, &table, byKind: rulesByKind)
    }

    /// The rules that could match an event with this kind, `eventSource`, `eventName`, identity type and outcome
    /// (``DispatchFacts``), worked out once per combination and remembered in `table`. Rules on who acted
    /// (`userIdentity.type: Root`) or on failures (`errorCode`) then cost nothing on the other events.
    private static func candidates(_ id: EventStore.EventID, _ kind: EventKind, _ rules: RuleSet, _ store: EventStore,
                                   _ columns: ColumnReader, _ table: inout DispatchTable, byKind: [[Int32]]) -> [Int32] {
        // Most flow logs meet no rule at all: no need to look at their service and action.
        guard !byKind[Int(kind.rawValue)].isEmpty else { return [] }
        let service = columns.symbol(.service, of: id), action = columns.symbol(.action, of: id)
        let type = columns.symbol(.principalType, of: id)
        let failed = !columns.isSuccess(id)
        let key = DispatchTable.Key(names: UInt64(service) << 32 | UInt64(action),
                                    facts: UInt64(kind.rawValue) << 16 | UInt64(type) << 1 | (failed ? 1 : 0))
        // Runs of one kind of event (a flow log's ACCEPTs) ask for the same key again: skip the hashing.
        if key == table.lastKey { return table.lastList }
        if let known = table.lists[key] {
            table.lastKey = key
            table.lastList = known
            return known
        }
        // First by kind, service and action alone (identity and outcome unknown), then only the rules that read
        // the identity type or the error code are looked at again with them.
        var facts = DispatchFacts(service: store.value(.service, of: id) ?? "", action: store.value(.action, of: id) ?? "",
                                  identityType: nil, failed: true)
        let namesKey = DispatchTable.Key(names: key.names, facts: UInt64(kind.rawValue) << 16)
        let byNames: [Int32]
        if let known = table.byNames[namesKey] {
            byNames = known
        } else {
            byNames = byKind[Int(kind.rawValue)].filter { rules.compiled[Int($0)].mayMatch(facts) }
            table.byNames[namesKey] = byNames
        }
        let typeName = store.value(.principalType, of: id)
        facts.identityType = typeName == Principal.IdentityType.unknown.rawValue ? nil : typeName
        facts.failed = failed
        let list = byNames.filter { !rules.compiled[Int($0)].readsIdentityOrOutcome || rules.compiled[Int($0)].mayMatch(facts) }
        table.lists[key] = list
        table.lastKey = key
        table.lastList = list
        return list
    }

    private func matched(_ index: Int, _ rule: CompiledRule, _ id: EventStore.EventID, _ time: Timestamp, _ context: EventContext,
                         _ columns: ColumnReader) {
        ruleMatches[index] += 1
        if rule.generates {
            // Most matches fold on the principal: remember (rule, principal symbol) → finding, so a repeat costs
            // no string work at all.
            let principal = rule.entity == nil && rule.kind == .cloudTrail ? columns.symbol(.principal, of: id) : 0
            let fastKey = UInt64(index) << 32 | UInt64(principal)
            if principal != 0, let known = foldedOnPrincipal[fastKey] {
                book.extend(known, time: time, event: id)
            } else {
                let primary = rule.entity.flatMap { accessor in context.firstValue(accessor).map { entity(accessor, $0) } }
                    ?? EntityExtractor.primary(of: id, in: store)
                let f = book.record(templates[index], primary: primary, time: time, events: [id], count: 1, summary: nil, store: store)
                if principal != 0 { foldedOnPrincipal.set(fastKey, f) }
            }
        }
        for (c, input) in consumers[index] {
            guard let firing = correlationRefs[c]._withUnsafeGuaranteedRef({
                correlationState.observe(c, $0, input: input, event: id, time: time.milliseconds, context: context)
            }) else { continue }
            let correlation = rules.correlations[c]
            correlationFirings[c] += 1
            if let known = firing.continuing {
                book.extend(known, time: Timestamp(milliseconds: firing.first), lastTime: Timestamp(milliseconds: firing.last),
                            events: firing.events, count: firing.count, store: store)
                continue
            }
            let primary: Entity
            if correlation.groupNames.count == 1, let accessor = correlation.groupBy[input].first,
               let value = firing.groupKey.split(separator: "=", maxSplits: 1).last.map(String.init), !value.isEmpty {
                primary = entity(accessor, value)
            } else if !firing.groupKey.isEmpty {
                primary = Entity(.group, firing.groupKey)
            } else {
                primary = EntityExtractor.primary(of: id, in: store) ?? Entity(.group, "all")
            }
            let f = book.record(correlation.template, primary: primary, time: Timestamp(milliseconds: firing.first),
                                lastTime: Timestamp(milliseconds: firing.last), events: firing.events, count: firing.count,
                                summary: nil, store: store)
            correlationState.remember(c, firing.group, finding: f)
        }
    }

    /// The entity a field's value names: by the field when it says (`…bucketName`), else by the value's shape.
    private func entity(_ accessor: FieldAccessor, _ value: String) -> Entity {
        let kind = entityKind(of: accessor)
        return kind == .resource ? Entity.classify(resource: value) : Entity(kind, value)
    }

    private func entityKind(of accessor: FieldAccessor) -> Entity.Kind {
        switch accessor {
        case .principalARN: return .principal
        case .column(.accessKey): return .accessKey
        case .column(.sourceIP): return .sourceIP
        case .column(.account): return .account
        case .flow(.sourceAddress), .flow(.destinationAddress), .auth(.sourceAddress): return .sourceIP
        case .flow(.instanceID): return .instance
        case .auth(.user): return .user
        case .raw(let path):
            let t = path.text.lowercased()
            if t.hasSuffix("bucketname") { return .bucket }
            if t.hasSuffix("instanceid") { return .instance }
            if t.hasSuffix("accesskeyid") { return .accessKey }
            if t.hasSuffix("username") { return .user }
            if t.hasSuffix("rolename") || t.hasSuffix("rolearn") { return .role }
            if t.hasSuffix("arn") || t.hasSuffix("principalid") { return .principal }
            if t.hasSuffix("ipaddress") || t.hasSuffix("srcaddr") { return .sourceIP }
            return .resource
        default: return .resource
        }
    }

    // MARK: GuardDuty

    private func passThrough(_ id: EventStore.EventID, _ time: Timestamp) {
        guard let f = store.finding(of: id) else { return }
        let template = FindingTemplate(
            ruleID: "guardduty:" + f.type, title: f.title ?? f.type, severity: f.severity, source: .guardDuty,
            explanation: "GuardDuty reported \(f.type) (severity \(f.score)).",
            nextSteps: ["guardduty-" + (f.resourceType ?? "finding").lowercased()], origin: "GuardDuty")
        let primary = store.resources(of: id).first.map(Entity.classify(resource:)) ?? EntityExtractor.primary(of: id, in: store)
            ?? Entity(.resource, f.id)
        book.record(template, primary: primary, time: f.firstSeen ?? time, lastTime: f.lastSeen ?? time, events: [id],
                    count: f.count, summary: nil, store: store, countIsTotal: true)
    }
}

/// One result slot per chunk, written by exactly one worker and read after all workers finish.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [[(Int32, Int32)]]
    private let lock = Mutex(())

    init(count: Int) { slots = Array(repeating: [], count: count) }

    var count: Int { slots.count }

    func set(_ i: Int, _ value: [(Int32, Int32)]) { lock.withLock { _ in slots[i] = value } }
    func get(_ i: Int) -> [(Int32, Int32)] { slots[i] }
}

/// The candidate rules per (kind, `eventSource`, `eventName`), with the last answer kept apart.
struct DispatchTable {
    /// An event's dispatch facts as symbols: (service, action) and (kind, identity type code, failed).
    struct Key: Hashable {
        var names: UInt64
        var facts: UInt64
    }

    var lists: [Key: [Int32]] = [:]
    /// The lists by kind, service and action only (`facts` holding the kind alone).
    var byNames: [Key: [Int32]] = [:]
    var lastKey = Key(names: .max, facts: .max)
    var lastList: [Int32] = []
}

/// What one matching worker keeps between windows of a parallel run (used by one thread at a time).
private final class MatchWorker: @unchecked Sendable {
    let memo: MatchMemo
    let context: EventContext
    var dispatch = DispatchTable()

    init(memo: MatchMemo, context: EventContext) {
        self.memo = memo
        self.context = context
    }
}
