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
    private var detectors: [any Detector]
    private let passGuardDuty: Bool
    private var book = FindingBook()
    private let memo: MatchMemo
    private var correlationState: CorrelationState
    /// Per compiled rule: the (correlation, input position) pairs fed by its matches.
    private let consumers: [[(correlation: Int, input: Int)]]
    private let templates: [FindingTemplate]
    private var dispatch: [UInt64: [Int32]] = [:]
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
    private var lastTime: Int64 = .min

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
    public var findings: [Finding] { book.findings.sorted(by: Finding.reportOrder) }

    /// Changes whenever a finding is added or updated.
    public var revision: Int { book.revision }

    /// Runs over every event of the store, in time order.
    public func processAll() {
        process(store.idsInTimeOrder())
    }

    /// Runs over the given events, which must be in time order and later than those already processed.
    public func process(_ ids: [EventStore.EventID]) {
        let context = EventContext(store: store, intel: intel.isEmpty ? nil : intel)
        for id in ids {
            processOne(id, context)
        }
    }

    private func processOne(_ id: EventStore.EventID, _ context: EventContext) {
        eventsProcessed += 1
        let kind = store.kind(of: id)
        let time = store.time(of: id)
        lastTime = max(lastTime, time.milliseconds)
        if kind == .finding {
            guard !store.superseded.contains(id) else { return }
            if passGuardDuty { passThrough(id, time) }
        }
        let candidates = self.candidates(id, kind)
        if !candidates.isEmpty {
            store.withRawBytes(of: id) { raw in
                context.reset(id: id, raw: raw)
                for r in candidates {
                    let rule = rules.compiled[Int(r)]
                    guard rule.matches(context, memo: memo) else { continue }
                    matched(Int(r), rule, id, time, context)
                }
            }
        }
        for detector in detectors where detector.kinds.contains(kind) {
            detector.observe(id, in: store) { hit in
                var template = detector.template
                if let s = hit.severity { template.severity = s }
                book.record(template, primary: hit.primary, time: hit.time, lastTime: hit.lastTime, events: hit.events,
                            count: hit.count, summary: hit.summary, store: store)
            }
        }
    }

    private func candidates(_ id: EventStore.EventID, _ kind: EventKind) -> [Int32] {
        let byKind = rulesByKind[Int(kind.rawValue)]
        guard !byKind.isEmpty else { return [] }
        let service = store.symbol(.service, of: id), action = store.symbol(.action, of: id)
        let key = UInt64(kind.rawValue) << 58 | UInt64(service) << 29 | UInt64(action)
        if let known = dispatch[key] { return known }
        let serviceText = store.value(.service, of: id) ?? "", actionText = store.value(.action, of: id) ?? ""
        let list = byKind.filter { rules.compiled[Int($0)].mayMatch(service: serviceText, action: actionText) }
        dispatch[key] = list
        return list
    }

    private func matched(_ index: Int, _ rule: CompiledRule, _ id: EventStore.EventID, _ time: Timestamp, _ context: EventContext) {
        ruleMatches[index] += 1
        if rule.generates {
            let primary = rule.entity.flatMap { accessor in context.firstValue(accessor).map { entity(accessor, $0) } }
                ?? EntityExtractor.primary(of: id, in: store)
            book.record(templates[index], primary: primary, time: time, events: [id], count: 1, summary: nil, store: store)
        }
        for (c, input) in consumers[index] {
            let correlation = rules.correlations[c]
            guard let firing = correlationState.observe(c, correlation, input: input, event: id, time: time.milliseconds,
                                                       context: context) else { continue }
            correlationFirings[c] += 1
            let primary: Entity
            if correlation.groupNames.count == 1, let accessor = correlation.groupBy[input].first,
               let value = firing.groupKey.split(separator: "=", maxSplits: 1).last.map(String.init), !value.isEmpty {
                primary = entity(accessor, value)
            } else if !firing.groupKey.isEmpty {
                primary = Entity(.group, firing.groupKey)
            } else {
                primary = EntityExtractor.primary(of: id, in: store) ?? Entity(.group, "all")
            }
            book.record(correlation.template, primary: primary, time: Timestamp(milliseconds: firing.first),
                        lastTime: Timestamp(milliseconds: firing.last), events: firing.events, count: firing.count,
                        summary: nil, store: store)
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
