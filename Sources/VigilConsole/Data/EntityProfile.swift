import VigilCore
import VigilDetect
import VigilStore

/// What the events say about one entity: when it was active, how much, what it did, where from, and the
/// findings that name it. Computed from the posting lists (the entity's query is index-backed) and the
/// store's value counts over its events only.
struct EntityProfile {
    var entity: Entity
    /// The query term that finds its events (what the pivot puts in the filter).
    var term: String?
    var eventCount = 0
    var first: Timestamp?
    var last: Timestamp?
    var actions: [(value: String, count: Int)] = []
    var regions: [(value: String, count: Int)] = []
    var sourceIPs: [(value: String, count: Int)] = []
    var related: [Finding] = []

    init(entity: Entity, data: DataSource) {
        self.entity = entity
        term = PivotQuery.term(for: entity)
        related = data.findings.filter { finding in
            finding.primaryEntity == entity || finding.entities.contains { $0 == entity || $0.value == entity.value }
        }
        guard let term, let query = try? Query(term) else { return }
        let ids = data.timeline.ids(matching: query)
        eventCount = ids.count
        first = ids.first.map { data.store.time(of: $0) }
        last = ids.last.map { data.store.time(of: $0) }
        actions = data.store.valueCounts(.action, among: ids, limit: 8)
        regions = data.store.valueCounts(.region, among: ids, limit: 6)
        sourceIPs = data.store.valueCounts(.sourceIP, among: ids, limit: 6)
    }
}

/// Derived data the views and reducer ask for repeatedly, computed once per change of what it depends on.
final class ViewCaches {
    private var filteredFindings: (revision: Int, filter: FindingFilter, rows: [Finding])?
    private var findingsByID: (revision: Int, index: [String: Int])?
    private var unseenFindings: (revision: Int, seen: Int, count: Int)?
    private var evidenceLists: (key: String, query: Query?, ids: [EventStore.EventID])?
    private var evidenceSets: (id: String, set: Set<EventStore.EventID>)?
    private var details: [DetailKey: [DetailLine]] = [:]
    private var profiles: [Entity: EntityProfile] = [:]

    func dataChanged() {
        evidenceLists = nil
        details = [:]
        profiles = [:]
    }

    func findingsChanged() {
        filteredFindings = nil
        findingsByID = nil
        unseenFindings = nil
        evidenceLists = nil
        evidenceSets = nil
        details = [:]
        profiles = [:]
    }

    func findings(_ all: [Finding], revision: Int, filter: FindingFilter) -> [Finding] {
        if let cached = filteredFindings, cached.revision == revision, cached.filter == filter { return cached.rows }
        let rows = filter.isEmpty ? all : all.filter(filter.matches)
        filteredFindings = (revision, filter, rows)
        return rows
    }

    /// How many findings have not been on screen. Counting spells every finding's id, several milliseconds for
    /// thousands of findings, and the tab bar and the findings pane both show it on every frame; `seen` only ever
    /// grows, so its size tells whether it changed.
    func unseenCount(_ all: [Finding], revision: Int, seen: Set<String>) -> Int {
        if let cached = unseenFindings, cached.revision == revision, cached.seen == seen.count { return cached.count }
        var count = 0
        for finding in all where !seen.contains(finding.id) { count += 1 }
        unseenFindings = (revision, seen.count, count)
        return count
    }

    func finding(id: String, in all: [Finding], revision: Int) -> Finding? {
        if findingsByID?.revision != revision {
            var index: [String: Int] = [:]
            for (k, finding) in all.enumerated() { index[finding.id] = k }
            findingsByID = (revision, index)
        }
        return findingsByID?.index[id].map { all[$0] }
    }

    func evidence(_ ids: [EventStore.EventID], findingID: String, query: Query?, timeline: TimelineIndex) -> [EventStore.EventID] {
        if let cached = evidenceLists, cached.key == findingID, cached.query == query { return cached.ids }
        let list = timeline.evidence(ids, matching: query)
        evidenceLists = (findingID, query, list)
        return list
    }

    func evidenceSet(_ finding: Finding) -> Set<EventStore.EventID> {
        if let cached = evidenceSets, cached.id == finding.id { return cached.set }
        let set = Set(finding.evidence)
        evidenceSets = (finding.id, set)
        return set
    }

    func detail(_ key: DetailKey, make: () -> [DetailLine]) -> [DetailLine] {
        if let hit = details[key] { return hit }
        if details.count > 64 { details = [:] }
        let lines = make()
        details[key] = lines
        return lines
    }

    func profile(_ entity: Entity, data: DataSource) -> EntityProfile {
        if let hit = profiles[entity] { return hit }
        let profile = EntityProfile(entity: entity, data: data)
        profiles[entity] = profile
        return profile
    }
}
