/// A dictionary with a size limit: past `capacity` entries, the least recently used eighth is dropped.
///
/// Recency is counted in updates, not in time, so what is evicted depends only on the order of events: a dataset
/// fed at once or in pieces evicts the same entries.
///
/// Laid out as a slab: the dictionary maps a key to a slot; values, keys and last-use stamps sit in parallel
/// arrays. Updates cost one hash lookup and mutate the value in place; eviction scans the contiguous stamps
/// (no reference counting, no rehashing), finds the cut-off with a linear-time selection and frees only the
/// victims' slots, which later insertions reuse. Dropping an eighth at a time keeps eviction to a few operations
/// per insertion.
struct RecencyTable<Key: Hashable, Value> {
    private var slotOf: [Key: Int32] = [:]
    private var keys: [Key?] = []
    private var values: [Value?] = []
    /// Last use of each slot (unique, increasing); 0 marks a free slot.
    private var used: [UInt64] = []
    private var freeSlots: [Int32] = []
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0 && capacity < Int(Int32.max), "a recency table needs room for one entry")
        self.capacity = capacity
    }

    var count: Int { slotOf.count }
    var isEmpty: Bool { slotOf.isEmpty }

    /// Runs `body` on the entry for `key`, creating it with `make` first when absent, and marks it used.
    @inline(__always)
    mutating func update<R>(_ key: Key, orInsert make: () -> Value, _ body: (inout Value) -> R) -> R {
        clock &+= 1
        if let slot = slotOf[key] {
            let i = Int(slot)
            used[i] = clock
            return body(&values[i]!)
        }
        var value = make()
        let result = body(&value)
        if slotOf.count >= capacity { shrink(to: capacity - max(1, capacity / 8)) }
        let i: Int
        if let reused = freeSlots.popLast() {
            i = Int(reused)
            keys[i] = key
            values[i] = value
            used[i] = clock
        } else {
            i = values.count
            keys.append(key)
            values.append(value)
            used.append(clock)
        }
        slotOf[key] = Int32(i)
        return result
    }

    /// Runs `body` on the entry for `key` when there is one (marking it used); nil otherwise.
    @inline(__always)
    mutating func updateIfPresent<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        guard let slot = slotOf[key] else { return nil }
        clock &+= 1
        let i = Int(slot)
        used[i] = clock
        return body(&values[i]!)
    }

    /// The entry for `key`, without marking it used.
    func peek(_ key: Key) -> Value? {
        guard let slot = slotOf[key] else { return nil }
        return values[Int(slot)]
    }

    mutating func remove(_ key: Key) {
        guard let slot = slotOf.removeValue(forKey: key) else { return }
        free(Int(slot))
    }

    /// Adds up `measure` over every entry (for re-counting what the entries hold after an eviction).
    func sum(_ measure: (Value) -> Int) -> Int {
        var total = 0
        for i in used.indices where used[i] != 0 { total += measure(values[i]!) }
        return total
    }

    /// Drops the entries `isStale` says are of no further use (windows that have expired).
    mutating func removeAll(where isStale: (Value) -> Bool) {
        for i in used.indices where used[i] != 0 && isStale(values[i]!) {
            slotOf.removeValue(forKey: keys[i]!)
            free(i)
        }
    }

    /// Drops entries until the table holds `keep` at most, the least recently used first.
    mutating func shrink(to keep: Int) {
        guard slotOf.count > keep else { return }
        let surplus = slotOf.count - keep
        var stamps = [UInt64]()
        stamps.reserveCapacity(slotOf.count)
        for stamp in used where stamp != 0 { stamps.append(stamp) }
        // Stamps are unique, so exactly `surplus` entries are at or below the surplus-th smallest.
        let cutoff = Self.select(&stamps, rank: surplus - 1)
        for i in used.indices where used[i] != 0 && used[i] <= cutoff {
            slotOf.removeValue(forKey: keys[i]!)
            free(i)
        }
    }

    private mutating func free(_ i: Int) {
        keys[i] = nil
        values[i] = nil
        used[i] = 0
        freeSlots.append(Int32(i))
    }

    /// The element that would be at `rank` if `values` were sorted (Hoare's quickselect; reorders `values`).
    static func select(_ values: inout [UInt64], rank: Int) -> UInt64 {
        var lo = 0, hi = values.count - 1
        while lo < hi {
            let pivot = values[lo + (hi - lo) / 2]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { hi = j } else if rank >= i { lo = i } else { return values[rank] }
        }
        return values[rank]
    }
}

/// Tells a detector when to sweep expired state: at most once per `interval` of event time.
///
/// Sweeps only free memory; detectors check expiry when they read state, so when a sweep runs never changes
/// what they report.
struct SweepSchedule {
    let interval: Int64
    private var next: Int64 = .min

    init(every interval: Int64) { self.interval = interval }

    /// True (and schedules the next sweep) when a sweep is due at event time `now`.
    @inline(__always)
    mutating func isDue(_ now: Int64) -> Bool {
        if next == .min { next = now + interval; return false }
        guard now >= next else { return false }
        next = now + interval
        return true
    }
}

/// The last `capacity` events of a stream (times and ids), oldest first: enough to ask "were there N within T?".
///
/// Storage grows with use (most keys never see more than one event) up to `capacity`, then is reused as a ring.
struct RecentEvents {
    private var items: [(time: Int64, id: UInt32)] = []
    private var start = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { items.count }
    var isFull: Bool { items.count == capacity }
    var oldestTime: Int64? { items.isEmpty ? nil : items[start].time }
    var newestTime: Int64? { items.isEmpty ? nil : items[(start + items.count - 1) % items.count].time }

    mutating func append(time: Int64, id: UInt32) {
        if items.count < capacity {
            items.append((time, id))
        } else {
            items[start] = (time, id)
            start = (start + 1) % capacity
        }
    }

    /// True when the buffer is full and all of it happened within `window` before `now`.
    func isFull(within window: Int64, of now: Int64) -> Bool {
        guard isFull, let oldest = oldestTime else { return false }
        return now - oldest <= window
    }

    /// The ids held, oldest first.
    var eventIDs: [UInt32] {
        (0..<items.count).map { items[(start + $0) % items.count].id }
    }

    mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        start = 0
    }
}
