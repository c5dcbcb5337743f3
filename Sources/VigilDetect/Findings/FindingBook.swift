import Dispatch
import Synchronization
import VigilCore
import VigilStore

/// Folds hits into findings: one finding per (rule, entity), with a count, first/last seen and evidence.
struct FindingBook {
    private(set) var findings: [Finding] = []
    private var index: [String: Int] = [:]
    /// Bumped whenever a finding is added or changed, so a live view knows to redraw.
    private(set) var revision = 0
    /// Findings whose evidence changed since their entities were last worked out. Entities are read from the
    /// evidence only when someone looks (``resolveEntities(store:)``): doing it per match was a tenth of a scan.
    private var stale = Set<Int>()

    /// Records a hit of `template` on `primary` at `time`, with the events that are its evidence; returns the
    /// index of the finding it folded into.
    @discardableResult
    mutating func record(_ template: FindingTemplate, primary: Entity?, time: Timestamp, lastTime: Timestamp? = nil,
                         events: [EventStore.EventID], count: Int, summary: String?, store: EventStore,
                         countIsTotal: Bool = false) -> Int {
        let foldKey = primary?.description ?? "-"
        let key = template.ruleID + "|" + foldKey
        if let i = index[key] {
            extend(i, time: time, lastTime: lastTime, events: events, count: count, store: store, countIsTotal: countIsTotal)
            if findings[i].summary == nil { findings[i].summary = summary }
            return i
        }

        var evidence = Array(events.prefix(Finding.evidenceLimit))
        if events.count > Finding.evidenceLimit { evidence[Finding.evidenceLimit - 1] = events.last! }
        let finding = Finding(
            ruleID: template.ruleID, ruleName: template.ruleName ?? (template.source == .detector ? template.ruleID : nil),
            title: template.title, severity: template.severity, source: template.source,
            tactics: template.tactics, techniques: template.techniques, primaryEntity: primary,
            entities: primary.map { [$0] } ?? [], firstSeen: time, lastSeen: lastTime ?? time, count: count,
            evidence: evidence, summary: summary, explanation: template.explanation,
            whyItMatters: template.whyItMatters, nextSteps: template.nextSteps,
            falsePositives: template.falsePositives, origin: template.origin, foldKey: foldKey)
        index[key] = findings.count
        stale.insert(findings.count)
        findings.append(finding)
        revision += 1
        return findings.count - 1
    }

    /// Adds another hit to finding `i` (the engine's fast path when it already knows the finding).
    mutating func extend(_ i: Int, time: Timestamp, lastTime: Timestamp? = nil, events: [EventStore.EventID], count: Int,
                         store: EventStore, countIsTotal: Bool = false) {
        revision += 1
        // A GuardDuty finding seen again carries its own running total; rules add one per match.
        findings[i].count = countIsTotal ? max(findings[i].count, count) : findings[i].count + count
        if time < findings[i].firstSeen { findings[i].firstSeen = time }
        let last = lastTime ?? time
        if last > findings[i].lastSeen { findings[i].lastSeen = last }
        for e in events { addEvidence(i, e) }
    }

    /// `extend` for one more matching event: the common case, without an array per call.
    mutating func extend(_ i: Int, time: Timestamp, event: EventStore.EventID) {
        revision += 1
        findings[i].count += 1
        if time < findings[i].firstSeen { findings[i].firstSeen = time }
        if time > findings[i].lastSeen { findings[i].lastSeen = time }
        addEvidence(i, event)
    }

    @inline(__always)
    private mutating func addEvidence(_ i: Int, _ e: EventStore.EventID) {
        let count = findings[i].evidence.count
        if count < Finding.evidenceLimit {
            // Events arrive in time order, so a repeat is almost always the last one added.
            if count > 0, findings[i].evidence[count - 1] == e { return }
            if findings[i].evidence.contains(e) { return }
            findings[i].evidence.append(e)
            stale.insert(i)
        } else if findings[i].evidence[Finding.evidenceLimit - 1] != e {
            findings[i].evidence[Finding.evidenceLimit - 1] = e  // keep the latest as the last item
        }
    }

    /// Works out the entities of the findings whose evidence changed: the primary entity, then what the evidence
    /// events name (principal, key, addresses, account, resources), at most 64.
    mutating func resolveEntities(store: EventStore) {
        // Findings are independent and the store is only read: a scan's thousands of findings are worked out on
        // all cores.
        let pending = Array(stale)
        let inputs = pending.map { (primary: findings[$0].primaryEntity, evidence: findings[$0].evidence) }
        let resolved = Mutex([[Entity]](repeating: [], count: pending.count))
        let workers = pending.count >= 64 ? System.cores : 1
        DispatchQueue.concurrentPerform(iterations: pending.isEmpty ? 0 : workers) { worker in
            var k = worker
            while k < pending.count {
                let entities = Self.entities(primary: inputs[k].primary, evidence: inputs[k].evidence, store: store)
                resolved.withLock { $0[k] = entities }
                k += workers
            }
        }
        let lists = resolved.withLock { $0 }
        for (k, i) in pending.enumerated() { findings[i].entities = lists[k] }
        stale.removeAll()
    }

    /// A finding's entities: its primary one, then those its evidence names, at most 64.
    private static func entities(primary: Entity?, evidence: [EventStore.EventID], store: EventStore) -> [Entity] {
        var entities: [Entity] = primary.map { [$0] } ?? []
        var seen = Set(entities)
        var met = Set<UInt64>()
        for e in evidence where EntityExtractor.addsSymbols(e, in: store, to: &met) {
            for entity in EntityExtractor.entities(of: e, in: store) where seen.insert(entity).inserted {
                entities.append(entity)
            }
            if entities.count >= 64 { break }
        }
        return Array(entities.prefix(64))
    }
}
