import VigilCore

/// A key a ``RecencyTable`` can hash without `Hasher`: a few integers, mixed into 64 bits.
///
/// Detectors update a table for nearly every flow record; SipHash (what `Hasher` runs) cost more than the rest of
/// the update. Some keys come from attacker-written text (DNS answers, hashes of query names), so the table
/// finishes the bits with the process's seed (``System/hashSeed``) and a full avalanche mix before it picks a
/// bucket: colliding keys cannot be prepared offline.
protocol RecencyKey: Equatable {
    var mixedBits: UInt64 { get }
}

extension UInt64: RecencyKey {
    var mixedBits: UInt64 { self }
}

extension UInt32: RecencyKey {
    var mixedBits: UInt64 { UInt64(self) }
}

extension Int: RecencyKey {
    var mixedBits: UInt64 { UInt64(bitPattern: Int64(self)) }
}

extension IPAddress: RecencyKey {
    var mixedBits: UInt64 { (high &* 0x9E37_79B9_7F4A_7C15) ^ low ^ (isV4 ? 1 << 63 : 0) }
}

/// A dictionary with a size limit: past `capacity` entries, the least recently used eighth is dropped.
///
/// Recency is counted in updates, not in time, so what is evicted depends only on the order of events: a dataset
/// fed at once or in pieces evicts the same entries.
///
/// Laid out as a slab: values, keys and last-use stamps sit in parallel arrays, and an open-addressing index
/// (linear probing, at most half full) maps a key to its slot. Updates cost one probe and mutate the value in
/// place; eviction scans the contiguous stamps (no reference counting), finds the cut-off with a linear-time
/// selection, frees the victims' slots (which later insertions reuse) and rebuilds the index once. Dropping an
/// eighth at a time keeps eviction to a few operations per insertion.
struct RecencyTable<Key: RecencyKey, Value> {
    /// Slot + 1 per bucket, 0 for an empty bucket; a power of two long.
    private var buckets: [UInt32] = []
    private var bucketShift: UInt64 = 64
    private var liveCount = 0
    private var keys: [Key] = []
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

    var count: Int { liveCount }
    var isEmpty: Bool { liveCount == 0 }

    /// ``System/hashSeed``, read once: reading the global on every probe kept the optimiser from keeping the
    /// table in place (each lookup copied it).
    private let seed = System.hashSeed

    @inline(__always)
    private func home(_ key: Key) -> Int {
        // MurmurHash3's 64-bit finaliser over the seeded bits; the bucket is the top bits.
        var h = key.mixedBits ^ seed
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h >> bucketShift)
    }

    /// The slot holding `key`, if any.
    @inline(__always)
    private func slot(of key: Key) -> Int? {
        guard !buckets.isEmpty else { return nil }
        return buckets.withUnsafeBufferPointer { b in
            keys.withUnsafeBufferPointer { k in
                let mask = b.count - 1
                var i = home(key)
                while true {
                    let entry = b[i]
                    if entry == 0 { return nil }
                    if k[Int(entry) - 1] == key { return Int(entry) - 1 }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// The slot of the last key updated. Detectors take their flows a source at a time (``SourceGrouping``), so
    /// the same key comes many times in a row: it is then found without the hash and the probe. A freed slot has
    /// a zero stamp and a reused one another key, so a stale memo is never taken.
    private var lastSlot = -1

    /// The slot holding `key`, if any, trying the last one updated first.
    @inline(__always)
    private mutating func findSlot(of key: Key) -> Int? {
        if lastSlot >= 0, used[lastSlot] != 0, keys[lastSlot] == key { return lastSlot }
        let found = slot(of: key)
        if let found { lastSlot = found }
        return found
    }

    /// Puts a slot into the index (its key must not be there yet).
    private mutating func index(slot: Int) {
        let mask = buckets.count - 1
        var i = home(keys[slot])
        while buckets[i] != 0 { i = (i + 1) & mask }
        buckets[i] = UInt32(slot + 1)
    }

    /// Rebuilds the index for the live slots, large enough to stay at most half full with `room` more entries.
    private mutating func reindex(room: Int) {
        var size = 16
        while size < 2 * (liveCount + room) { size *= 2 }
        buckets = [UInt32](repeating: 0, count: size)
        bucketShift = UInt64(64 - size.trailingZeroBitCount)
        for i in used.indices where used[i] != 0 { index(slot: i) }
    }

    /// Runs `body` on the entry for `key`, creating it with `make` first when absent, and marks it used.
    @inline(__always)
    mutating func update<R>(_ key: Key, orInsert make: () -> Value, _ body: (inout Value) -> R) -> R {
        clock &+= 1
        if let i = findSlot(of: key) {
            used[i] = clock
            return body(&values[i]!)
        }
        var value = make()
        let result = body(&value)
        if liveCount >= capacity { shrink(to: capacity - max(1, capacity / 8)) }
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
        liveCount += 1
        lastSlot = i
        if 2 * liveCount > buckets.count { reindex(room: liveCount) } else { index(slot: i) }
        return result
    }

    /// Runs `body` on the entry for `key` when there is one (marking it used); nil otherwise.
    @inline(__always)
    mutating func updateIfPresent<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        guard let i = findSlot(of: key) else { return nil }
        clock &+= 1
        used[i] = clock
        return body(&values[i]!)
    }

    /// The entry for `key`, without marking it used.
    func peek(_ key: Key) -> Value? {
        slot(of: key).flatMap { values[$0] }
    }

    /// Adds up `measure` over every entry (for re-counting what the entries hold after an eviction).
    func sum(_ measure: (Value) -> Int) -> Int {
        var total = 0
        for i in used.indices where used[i] != 0 { total += measure(values[i]!) }
        return total
    }

    /// Drops the entries `isStale` says are of no further use (windows that have expired).
    mutating func removeAll(where isStale: (Value) -> Bool) {
        var removed = false
        for i in used.indices where used[i] != 0 && isStale(values[i]!) {
            free(i)
            removed = true
        }
        if removed { reindex(room: 0) }
    }

    /// Drops entries until the table holds `keep` at most, the least recently used first.
    mutating func shrink(to keep: Int) {
        guard liveCount > keep else { return }
        let surplus = liveCount - keep
        var stamps = [UInt64]()
        stamps.reserveCapacity(liveCount)
        for stamp in used where stamp != 0 { stamps.append(stamp) }
        // Stamps are unique, so exactly `surplus` entries are at or below the surplus-th smallest.
        let cutoff = Self.select(&stamps, rank: surplus - 1)
        for i in used.indices where used[i] != 0 && used[i] <= cutoff { free(i) }
        reindex(room: 0)
    }

    /// Frees a slot; the caller rebuilds the index.
    private mutating func free(_ i: Int) {
        values[i] = nil
        used[i] = 0
        liveCount -= 1
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
