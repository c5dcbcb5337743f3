import VigilCore
import VigilStore

/// Folds hits into findings: one finding per (rule, entity), with a count, first/last seen and evidence.
struct FindingBook {
    private(set) var findings: [Finding] = []
    private var index: [String: Int] = [:]
    /// Bumped whenever a finding is added or changed, so a live view knows to redraw.
    private(set) var revision = 0

    /// Records a hit of `template` on `primary` at `time`, with the events that are its evidence.
    mutating func record(_ template: FindingTemplate, primary: Entity?, time: Timestamp, lastTime: Timestamp? = nil,
                         events: [EventStore.EventID], count: Int, summary: String?, store: EventStore,
                         countIsTotal: Bool = false) {
        let foldKey = primary?.description ?? "-"
        revision += 1
        let key = template.ruleID + "|" + foldKey
        if let i = index[key] {
            // A GuardDuty finding seen again carries its own running total; rules add one per match.
            findings[i].count = countIsTotal ? max(findings[i].count, count) : findings[i].count + count
            if time < findings[i].firstSeen { findings[i].firstSeen = time }
            let last = lastTime ?? time
            if last > findings[i].lastSeen { findings[i].lastSeen = last }
            for e in events {
                if findings[i].evidence.count < Finding.evidenceLimit {
                    if findings[i].evidence.contains(e) { continue }
                    findings[i].evidence.append(e)
                    var known = Set(findings[i].entities)
                    for entity in EntityExtractor.entities(of: e, in: store).prefix(24) where known.insert(entity).inserted {
                        if findings[i].entities.count < 64 { findings[i].entities.append(entity) }
                    }
                } else if findings[i].evidence[Finding.evidenceLimit - 1] != e {
                    findings[i].evidence[Finding.evidenceLimit - 1] = e  // keep the latest as the last item
                }
            }
            if findings[i].summary == nil { findings[i].summary = summary }
            return
        }
        var entities: [Entity] = primary.map { [$0] } ?? []
        var seen = Set(entities)
        for e in events.prefix(8) {
            for entity in EntityExtractor.entities(of: e, in: store) where seen.insert(entity).inserted { entities.append(entity) }
        }
        var evidence = Array(events.prefix(Finding.evidenceLimit))
        if events.count > Finding.evidenceLimit { evidence[Finding.evidenceLimit - 1] = events.last! }
        let finding = Finding(
            ruleID: template.ruleID, title: template.title, severity: template.severity, source: template.source,
            tactics: template.tactics, techniques: template.techniques, primaryEntity: primary,
            entities: Array(entities.prefix(64)), firstSeen: time, lastSeen: lastTime ?? time, count: count,
            evidence: evidence, summary: summary, explanation: template.explanation,
            whyItMatters: template.whyItMatters, nextSteps: template.nextSteps,
            falsePositives: template.falsePositives, origin: template.origin, foldKey: foldKey)
        index[key] = findings.count
        findings.append(finding)
    }
}
