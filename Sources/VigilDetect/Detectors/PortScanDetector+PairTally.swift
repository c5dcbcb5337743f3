import VigilCore
import VigilStore

extension PortScanDetector {
    /// What the per-pair count knows of one source: for as long as none of its destinations can be near the
    /// threshold, its flows and the distinct ports they reached.
    ///
    /// A destination's ports are some of its source's ports, so while a source has reached fewer distinct ports
    /// than the per-destination threshold within the window, none of its pairs can report, and counting per pair
    /// would be wasted: in real traffic (and in the benchmark) almost every source stays below, since clients
    /// reach a handful of ports on many hosts. The source's flows are kept in order instead. When its ports reach
    /// the threshold (or it sends more flows within the window than a history holds), they are replayed into pair
    /// windows, which from then on count the source's flows as they come.
    ///
    /// Findings are those of counting every pair. A pair window reports at the first new port that brings its live
    /// ports (those reached within the window) to the threshold. Replayed from a history that holds every flow of
    /// the source since some point (and so every flow within the window), it holds the same live ports as a window
    /// that saw every flow, and no window of the source reported since that point, because the source's live ports
    /// stayed below the threshold. `ports` holds at least the source's live ports (older flows are dropped only
    /// when the count reaches the threshold or the history needs room), so the source is opened no later than the
    /// first of its pairs could report.
    struct SourceHistory {
        /// The distinct ports of `flows` (unless `portsOverflowed`), inline: reading them costs no cache miss beyond
        /// the entry's.
        var ports = InlineArray<24, UInt16>(repeating: 0)
        var portCount = 0
        /// The flows name more distinct ports than `ports` holds (only when the threshold is above 24): the source
        /// is then counted per pair, which is always right, only slower.
        var portsOverflowed = false
        /// The source's flows, oldest first: event id in the low half, port above. Their buffer's address and size
        /// are kept here beside the ports, so holding a flow stores into the buffer without loading from it (an
        /// array's count cost a cache miss per flow); `log` owns the buffer.
        private var log: FlowLog?
        private var base: UnsafeMutablePointer<UInt64>?
        private var capacity = 0
        private(set) var held = 0
        /// Set once the pair windows count the source's flows; it stays set until the source is swept or evicted.
        var isCountedPerPair = false
        var lastTime: Int64 = 0

        @inline(__always)
        func holds(port: UInt16) -> Bool {
            for k in 0..<portCount where ports[k] == port { return true }
            return false
        }

        /// Adds a port the history does not hold yet.
        @inline(__always)
        mutating func add(port: UInt16) {
            guard portCount < ports.count else {
                portsOverflowed = true
                return
            }
            ports[portCount] = port
            portCount += 1
        }

        /// The flows held, oldest first.
        var flows: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: base, count: held) }

        /// Holds a flow; when the buffer is full, drops the flows older than the window first, and grows it when
        /// that freed less than a quarter (so that dropping stays a rare, amortised step). Returns how many flows it
        /// dropped.
        @inline(__always)
        mutating func hold(_ flow: UInt64, now: Int64, window: Int64, _ columns: ColumnReader) -> Int {
            var dropped = 0
            if held == capacity {
                dropped = expire(before: now, window: window, columns)
                if 4 * held >= 3 * capacity { grow() }
            }
            base![held] = flow
            held += 1
            return dropped
        }

        private mutating func grow() {
            let log = self.log ?? FlowLog()
            log.reserve(max(16, 2 * capacity), keeping: held)
            (self.log, base, capacity) = (log, log.base, log.capacity)
        }

        /// Hands the flows over (for replay) and holds none from now on.
        mutating func release() -> [UInt64] {
            let out = Array(flows)
            (log, base, capacity, held) = (nil, nil, 0, 0)
            portCount = 0
            portsOverflowed = false
            return out
        }

        /// Drops the flows older than the window before `now` (their times are read from the store, and rise
        /// along the history) and recounts the ports; returns how many flows it dropped.
        mutating func expire(before now: Int64, window: Int64, _ columns: ColumnReader) -> Int {
            guard let base else { return 0 }
            var lo = 0, hi = held
            while lo < hi {
                let mid = (lo + hi) / 2
                if now - columns.time(of: UInt32(truncatingIfNeeded: base[mid])) > window { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { return 0 }
            base.update(from: base + lo, count: held - lo)
            held -= lo
            portCount = 0
            portsOverflowed = false
            for flow in flows where !portsOverflowed {
                let port = UInt16(truncatingIfNeeded: flow >> 32)
                if !holds(port: port) { add(port: port) }
            }
            return lo
        }
    }

    /// The buffer behind a ``SourceHistory``: freed with the last history that holds it, so a history the table
    /// evicts or sweeps takes its flows with it.
    final class FlowLog {
        private(set) var base: UnsafeMutablePointer<UInt64>?
        private(set) var capacity = 0

        /// Makes room for `capacity` flows, keeping the first `count`.
        func reserve(_ capacity: Int, keeping count: Int) {
            let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
            if let base {
                grown.moveInitialize(from: base, count: count)
                base.deallocate()
            }
            (base, self.capacity) = (grown, capacity)
        }

        deinit { base?.deallocate() }
    }

    /// The per-pair count: sources below the threshold keep their flows, the others count per pair.
    struct PairTally {
        var pairs: Tally<UInt64>
        var sources: RecencyTable<UInt32, SourceHistory>
        var sweep = SweepSchedule(every: 60_000)
        /// Flows held by all histories, recounted when the table evicts sources.
        var held = 0
        let maximumHistory: Int
        let maximumHistoryTotal: Int

        /// What ``count(_:_:_:_:_:_:)`` learns from a source's history when the source is counted per pair.
        private static let countedPerPair = Int.min

        /// Counts flow `id`; returns the destination and evidence of each pair window it fills (replaying a
        /// source's history can fill several: they are reported at this flow), nil when it fills none. (A result
        /// rather than a callback: a closure capturing the detector and the store cost two retains and two releases
        /// per flow, on counters both cores share.)
        @inline(__always)
        mutating func count(_ id: EventStore.EventID, _ source: UInt32, _ destination: UInt32, _ seen: Seen,
                            _ columns: ColumnReader) -> [(destination: UInt32, evidence: [Seen])]? {
            let now = seen.time, window = pairs.window, threshold = pairs.threshold
            let (limit, room) = (maximumHistory, maximumHistoryTotal - held)
            let countBefore = sources.count
            var created = false
            // The flows to replay when the source opens (the one at hand last).
            var replay: [UInt64]? = nil
            // How many more flows the histories hold, or `countedPerPair`.
            let change: Int = sources.update(source, orInsert: {
                created = true
                return SourceHistory()
            }) { h in
                h.lastTime = now
                if h.isCountedPerPair { return Self.countedPerPair }
                var change = 1 - h.hold(UInt64(seen.port) << 32 | UInt64(id), now: now, window: window, columns)
                if !h.holds(port: seen.port) {
                    h.add(port: seen.port)
                    if h.portCount >= threshold || h.portsOverflowed { change -= h.expire(before: now, window: window, columns) }
                }
                let opens = h.portCount >= threshold || h.portsOverflowed
                guard opens || h.held > limit || change > room else { return change }
                h.isCountedPerPair = true
                let flows = h.release()
                replay = flows
                return change - flows.count  // all the history held is given up
            }
            if change != Self.countedPerPair { held += change }
            if sources.count < countBefore + (created ? 1 : 0) { held = sources.sum { $0.held } }  // the table evicted sources
            if change == Self.countedPerPair {
                return pairs.count(Self.key(source, destination), seen).map { [(destination, $0)] }
            }
            guard let replay else { return nil }
            var found: [(destination: UInt32, evidence: [Seen])] = []
            for flow in replay {
                guard let (_, to, seen) = PortScanDetector.candidate(UInt32(truncatingIfNeeded: flow), columns) else { continue }
                if let evidence = pairs.count(Self.key(source, to), seen) { found.append((to, evidence)) }
            }
            return found.isEmpty ? nil : found
        }

        @inline(__always)
        private static func key(_ source: UInt32, _ destination: UInt32) -> UInt64 { UInt64(source) << 32 | UInt64(destination) }

        /// Forgets sources idle for longer than the window (their flows are all older than it), and pair windows
        /// likewise, at most once a minute of event time.
        mutating func sweepIfDue(_ now: Int64) {
            guard sweep.isDue(now) else { return }
            let window = pairs.window
            sources.removeAll { now - $0.lastTime > window }
            held = sources.sum { $0.held }
            pairs.sweepIfDue(now)
        }
    }
}
