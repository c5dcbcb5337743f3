import VigilCore
import VigilStore

/// Port scans in flow logs: one source reaching many distinct destination ports in a short time.
///
/// A source is reported when, within a sliding `window` (5 minutes) of event time, it reaches at least
/// `portsPerDestination` (25) distinct ports on one destination, or `portsOverall` (50) distinct ports across
/// destinations. Accepted and rejected records both count (a scan of a locked-down host is all REJECTs; a scan
/// from inside the VPC is mostly ACCEPTs). Records that look like the reply half of a connection
/// (``FlowEntities/isLikelyReply(sourcePort:destinationPort:)``), records without ports (ICMP) and NODATA /
/// SKIPDATA records are skipped. After a report the source's window starts afresh, so a long scan produces one
/// finding per source whose count is the number of thresholds crossed, with the flows that crossed them as
/// evidence.
///
/// Per flow: a few column reads, and per count a lookup of the source and a scan of its few recent ports; the
/// flow record itself is never decoded. Sources are split in two halves the engine counts on two cores, and a
/// run is counted source by source (``SourceGrouping``) so that a source's state stays in cache. Ports are
/// counted per source–destination pair only for sources that have reached 25 distinct ports within the window
/// (``PortScanDetector/SourceHistory``): counting every pair cost several cache misses per flow for pairs that
/// could never report.
///
/// **Bounds.** A window never holds more ports than its threshold (reaching it either reports or drops ports
/// older than the window). At most `maximumPairs` (100,000) source–destination windows and `maximumSources`
/// (50,000) sources in each count, half of each per half of the sources, least recently active evicted first; a
/// source's history holds at most `maximumHistory` (4,096) flows and all histories together
/// `maximumHistoryTotal` (1,000,000), past which a source is counted per pair at once. Windows and sources idle for longer than `window` are swept every minute
/// of event time. About 80 bytes per pair with one port, 100 per source and 8 per flow held; worst case about 150 MB.
public final class PortScanDetector: FlowDetector {
    public let id = "vigil.network.port-scan"
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.flow]
    public let portsPerDestination: Int
    public let portsOverall: Int
    public let window: Int64

    struct Seen: BitwiseCopyable {
        var time: Int64
        var event: UInt32
        var port: UInt16
        var accepted: Bool
    }

    /// Distinct ports reached recently, each with when it was last reached. The first port is kept inline, since
    /// most source–destination pairs only ever use one (and then need no allocation); the others sit in a flat
    /// array, never longer than the threshold, which is cheaper to scan than a dictionary is to hash.
    struct PortWindow {
        var first: Seen?
        var others: [Seen] = []
        var lastTime: Int64 = 0

        /// Adds a port; returns the evidence when the window now holds `threshold` ports (and starts afresh).
        mutating func add(_ seen: Seen, threshold: Int, window: Int64) -> [Seen]? {
            lastTime = seen.time
            guard let head = first else {
                first = seen
                return threshold <= 1 ? flush() : nil
            }
            if head.port == seen.port {
                first = seen
                return nil
            }
            if let k = others.firstIndex(where: { $0.port == seen.port }) {
                others[k] = seen
                return nil
            }
            others.append(seen)
            guard others.count + 1 >= threshold else { return nil }
            // Forget ports not reached within the window, in place (this runs on every new port of a busy source).
            let now = seen.time
            others.removeAll { now - $0.time > window }
            if now - head.time > window { first = others.isEmpty ? nil : others.removeFirst() }
            guard (first == nil ? 0 : 1) + others.count >= threshold else { return nil }
            return flush()
        }

        private mutating func flush() -> [Seen] {
            let all = (first.map { [$0] } ?? []) + others
            first = nil
            others = []
            return all.sorted { ($0.time, $0.event) < ($1.time, $1.event) }
        }
    }

    /// A count of distinct ports per key (a source–destination pair, or a source), with its own windows and sweep
    /// schedule.
    struct Tally<Key: RecencyKey> {
        var windows: RecencyTable<Key, PortWindow>
        var sweep = SweepSchedule(every: 60_000)
        let threshold: Int
        let window: Int64

        /// Counts the port; returns the evidence when the key's window reaches the threshold.
        @inline(__always)
        mutating func count(_ key: Key, _ seen: Seen) -> [Seen]? {
            let (threshold, window) = (self.threshold, self.window)
            return windows.update(key, orInsert: { PortWindow() }) { $0.add(seen, threshold: threshold, window: window) }
        }

        /// Frees the windows idle for longer than the window, at most once a minute of event time.
        mutating func sweepIfDue(_ now: Int64) {
            let window = self.window
            if sweep.isDue(now) { windows.removeAll { now - $0.lastTime > window } }
        }
    }

    /// Both counts for the sources of one half (split by a hash of the source's symbol). The halves share
    /// nothing, so the engine counts them on two cores; they are separate properties so that the two cores never
    /// touch the same one.
    struct SourceCounts {
        var pairs: PairTally
        var sources: Tally<UInt32>

        /// Sweeps both counts when due.
        mutating func sweepIfDue(_ now: Int64) {
            pairs.sweepIfDue(now)
            sources.sweepIfDue(now)
        }

        /// Counts a flow in both: the evidence of each pair window it fills, then of the source's window if it
        /// fills.
        @inline(__always)
        mutating func count(_ flow: Candidate, _ columns: ColumnReader) -> (pairs: [(destination: UInt32, evidence: [Seen])]?, source: [Seen]?) {
            (pairs.count(flow.seen.event, flow.source, flow.destination, flow.seen, columns), sources.count(flow.source, flow.seen))
        }
    }

    private var evenHalf: SourceCounts
    private var oddHalf: SourceCounts

    /// Which half counts a source.
    @inline(__always)
    private static func half(of source: UInt32) -> Int { Int((source &* 0x9E37_79B1) >> 31) }

    @inline(__always)
    private func withHalf<R>(_ half: Int, _ body: (inout SourceCounts) -> R) -> R {
        half == 0 ? body(&evenHalf) : body(&oddHalf)
    }

    public init(portsPerDestination: Int = 25, portsOverall: Int = 50, window: Int64 = 5 * 60_000,
                maximumPairs: Int = 100_000, maximumSources: Int = 50_000, maximumHistory: Int = 4096,
                maximumHistoryTotal: Int = 1_000_000) {
        self.portsPerDestination = portsPerDestination
        self.portsOverall = portsOverall
        self.window = window
        // Each half gets half of every bound.
        let half = SourceCounts(
            pairs: PairTally(pairs: Tally(windows: RecencyTable(capacity: max(1, maximumPairs / 2)), threshold: portsPerDestination, window: window),
                             sources: RecencyTable(capacity: max(1, maximumSources / 2)), maximumHistory: maximumHistory,
                             maximumHistoryTotal: max(1, maximumHistoryTotal / 2)),
            sources: Tally(windows: RecencyTable(capacity: max(1, maximumSources / 2)), threshold: portsOverall, window: window))
        (evenHalf, oddHalf) = (half, half)
        template = FindingTemplate(
            ruleID: id, title: "Port scan", severity: .medium, source: .detector,
            tactics: ["discovery", "reconnaissance"], techniques: ["T1046", "T1595.001"],
            explanation: "One source address reached many different destination ports within a few minutes.",
            whyItMatters: "Scanning is how an attacker maps what a host exposes. From the internet it is background noise unless something answered; from inside the VPC it usually means a foothold is looking for the next host.",
            nextSteps: ["block-ip", "review-security-groups", "hunt-related-activity", "isolate-instance"],
            falsePositives: ["Vulnerability scanners and monitoring you run yourself; service meshes probing many ports."],
            origin: "PortScanDetector")
    }

    public func observeFlow(_ id: EventStore.EventID, _ flows: ColumnReader, in store: EventStore, report: (DetectorHit) -> Void) {
        guard let (source, destination, seen) = Self.candidate(id, flows) else { return }
        let flow = Candidate(seen: seen, source: source, destination: destination, position: 0)
        let found = withHalf(Self.half(of: source)) { counts in
            counts.sweepIfDue(seen.time)
            return counts.count(flow, flows)
        }
        reportHits(flow, found, store, report)
    }

    /// The sources' two halves share nothing: the engine counts them on two cores.
    public var parts: Int { 2 }

    /// Counts a run of flows for the sources of one half.
    ///
    /// Both counts keep their state per source, so the run is taken a source at a time (``SourceGrouping``), in
    /// slices of at most 65,536 flows, each swept at its first flow's time. A source's flows are still counted in
    /// time order, so its findings are those of counting flow by flow; only which sources the tables drop when
    /// more are active than they hold can differ.
    public func observe(_ ids: ArraySlice<EventStore.EventID>, part: Int, in store: EventStore, report: (Int, DetectorHit) -> Void) {
        store.withColumnReader { flows in
            var slice: [Candidate] = [], scratch: [Candidate] = []
            var position = ids.startIndex
            while position < ids.endIndex {
                slice.removeAll(keepingCapacity: true)
                while position < ids.endIndex, slice.count < 65_536 {
                    let id = ids[position]
                    // The source symbol first: the other half's flows cost no more than that read.
                    if flows.isFlow(id), Self.half(of: flows.sourceSymbol(of: id)) == part,
                       let (source, destination, seen) = Self.candidate(id, flows) {
                        slice.append(Candidate(seen: seen, source: source, destination: destination, position: Int32(position)))
                    }
                    position += 1
                }
                guard let start = slice.first?.seen.time else { continue }
                SourceGrouping.group(&slice, scratch: &scratch) { $0.source }
                withHalf(part) { counts in
                    counts.sweepIfDue(start)
                    for flow in slice {
                        let found = counts.count(flow, flows)
                        if found.pairs != nil || found.source != nil {
                            reportHits(flow, found, store) { report(Int(flow.position), $0) }
                        }
                    }
                }
            }
        }
    }

    /// Reports what a flow filled: its pair windows first, then its source's.
    private func reportHits(_ flow: Candidate, _ found: (pairs: [(destination: UInt32, evidence: [Seen])]?, source: [Seen]?),
                        _ store: EventStore, _ report: (DetectorHit) -> Void) {
        for (destination, evidence) in found.pairs ?? [] {
            report(hit(flow.source, evidence, target: .destination(destination), store))
        }
        if let evidence = found.source { report(hit(flow.source, evidence, target: .overall, store)) }
    }

    /// A flow that counts, with its place in the run.
    struct Candidate: BitwiseCopyable {
        var seen: Seen
        var source: UInt32
        var destination: UInt32
        var position: Int32
    }

    /// What a flow adds to the tallies: its source and destination symbols and the port it reached, or nil when
    /// it does not count. Everything comes from columns (ports and codes from the flow's numbers, addresses as
    /// interned symbols, REJECT as a failed outcome); NODATA/SKIPDATA records have no ports.
    @inline(__always)
    static func candidate(_ id: EventStore.EventID, _ flows: ColumnReader) -> (source: UInt32, destination: UInt32, seen: Seen)? {
        let ports = flows.ports(of: id)
        guard let sourcePort = ports.source, let destinationPort = ports.destination, destinationPort > 0,
              !FlowEntities.isLikelyReply(sourcePort: sourcePort, destinationPort: destinationPort) else { return nil }
        let source = flows.sourceSymbol(of: id), destination = flows.destinationSymbol(of: id)
        guard source != 0, destination != 0 else { return nil }
        return (source, destination, Seen(time: flows.time(of: id), event: id, port: UInt16(truncatingIfNeeded: destinationPort),
                                          accepted: flows.isSuccess(id)))
    }

    private enum Target {
        case destination(UInt32)
        case overall
    }

    private func hit(_ sourceSymbol: UInt32, _ evidence: [Seen], target: Target, _ store: EventStore) -> DetectorHit {
        let source = store.symbols[sourceSymbol]
        let targetText = switch target {
        case .destination(let symbol): "on \(store.symbols[symbol])"
        case .overall: "across destinations"
        }
        let accepted = evidence.count { $0.accepted }
        let span = (evidence.last?.time ?? 0) - (evidence.first?.time ?? 0)
        let address = IPAddress(source)
        let origin = address.map(AddressScope.isInternal) == true ? "internal address " : ""
        let summary = "\(origin)\(source) reached \(evidence.count) distinct ports \(targetText) within "
            + "\(DetectorText.duration(milliseconds: span)) (\(accepted) accepted)"
        return DetectorHit(primary: Entity(.sourceIP, address?.description ?? source), time: Timestamp(milliseconds: evidence.first?.time ?? 0),
                           lastTime: Timestamp(milliseconds: evidence.last?.time ?? 0), events: evidence.map(\.event),
                           count: 1, summary: summary)
    }
}
