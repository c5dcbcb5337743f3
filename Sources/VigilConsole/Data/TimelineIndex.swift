import VigilCore
import VigilStore

/// Event ids in time order, and the filtered id lists the timeline shows, cached per query and kept up to date
/// as events arrive, so a frame never evaluates a query or walks every event.
///
/// Lists are ordered by (time, id), the store's own order, so a position can be found by binary search.
final class TimelineIndex {
    typealias EventID = EventStore.EventID

    let store: EventStore
    /// Every visible event (superseded findings left out), in time order.
    private(set) var ordered: [EventID]
    /// Results of recent queries, most recently used last (a few, so flipping between filters is instant).
    private var queries: [(query: Query, ids: [EventID])] = []
    private static let cachedQueries = 4

    init(store: EventStore) {
        self.store = store
        self.ordered = store.idsInTimeOrder()
    }

    // MARK: - Reading

    /// The events matching `query` (nil: every event), in time order; evaluated once per query and then cached.
    func ids(matching query: Query?) -> [EventID] {
        guard let query, query.expression != .all else { return ordered }
        if let hit = queries.firstIndex(where: { $0.query == query }) {
            let entry = queries.remove(at: hit)
            queries.append(entry)
            return entry.ids
        }
        let ids = store.search(query)
        queries.append((query, ids))
        if queries.count > Self.cachedQueries { queries.removeFirst() }
        return ids
    }

    /// The evidence events that also match `query`, in time order.
    func evidence(_ ids: [EventID], matching query: Query?) -> [EventID] {
        var sorted = Array(Set(ids.filter { Int($0) < store.rowCount && !store.superseded.contains($0) })).sorted()
        if let query, query.expression != .all {
            var evaluator = QueryEvaluator(store: store)
            return evaluator.evaluate(query, among: sorted)
        }
        store.sortByTime(&sorted)
        return sorted
    }

    /// Whether `a` comes before `b` in time order (ties by id, as the store keeps them).
    @inline(__always)
    func precedes(_ a: EventID, _ b: EventID) -> Bool {
        let ta = store.time(of: a).milliseconds, tb = store.time(of: b).milliseconds
        return ta == tb ? a < b : ta < tb
    }

    /// The first position in `ids` whose time is at or after `milliseconds`.
    func firstIndex(atOrAfter milliseconds: Int64, in ids: [EventID], range: Range<Int>? = nil) -> Int {
        var lo = range?.lowerBound ?? 0, hi = range?.upperBound ?? ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if store.time(of: ids[mid]).milliseconds < milliseconds { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Where `id` is in `ids` (or where it would go), by binary search on (time, id).
    func position(of id: EventID, in ids: [EventID], range: Range<Int>? = nil) -> Int {
        var lo = range?.lowerBound ?? 0, hi = range?.upperBound ?? ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if precedes(ids[mid], id) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: - Live updates

    /// Takes in rows just appended to the store (ascending ids, which the store keeps in time order within one
    /// append); `supersededChanged` says whether older copies of GuardDuty findings were replaced.
    func append(_ newIDs: [EventID], supersededChanged: Bool) {
        let superseded = store.superseded
        if supersededChanged {
            ordered.removeAll { superseded.contains($0) }
            for k in queries.indices { queries[k].ids.removeAll { superseded.contains($0) } }
        }
        let fresh = supersededChanged ? newIDs.filter { !superseded.contains($0) } : newIDs
        guard !fresh.isEmpty else { return }
        ordered = merge(ordered, fresh)
        // Each cached query is run on the new rows only; relative times move with the newest event, so those
        // queries are dropped and run again when next asked for.
        queries.removeAll { $0.query.expression.usesRelativeTime }
        guard !queries.isEmpty else { return }
        var evaluator = QueryEvaluator(store: store)
        for k in queries.indices {
            let matches = evaluator.evaluate(queries[k].query, among: fresh)
            if !matches.isEmpty { queries[k].ids = merge(queries[k].ids, matches) }
        }
    }

    /// Two time-ordered lists as one; appends when the new rows all come later (the usual case).
    private func merge(_ a: [EventID], _ b: [EventID]) -> [EventID] {
        guard let lastA = a.last, let firstB = b.first else { return a + b }
        if precedes(lastA, firstB) { return a + b }
        var out: [EventID] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if precedes(b[j], a[i]) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }
}
