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
/// Per flow: a few column reads, two hash-table updates keyed by interned address symbols (in two parts the
/// engine runs on two cores: the two counts share nothing), and a scan of at most 50 small entries; the flow
/// record itself is never decoded.
///
/// **Bounds.** A window never holds more ports than its threshold (reaching it either reports or drops ports
/// older than the window). At most `maximumPairs` (100,000) source–destination windows and `maximumSources`
/// (50,000) per-source windows, least recently active evicted first; windows idle for longer than `window` are
/// swept every minute of event time. About 80 bytes per pair or source with one port; worst case (every window
/// one port short of its threshold) about 130 MB.
public final class PortScanDetector: FlowDetector {
    public let id = "vigil.network.port-scan"
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.flow]
    public let portsPerDestination: Int
    public let portsOverall: Int
    public let window: Int64

    private struct Seen {
        var time: Int64
        var event: UInt32
        var port: UInt16
        var accepted: Bool
    }

    /// Distinct ports reached recently, each with when it was last reached. The first port is kept inline, since
    /// most source–destination pairs only ever use one (and then need no allocation); the others sit in a flat
    /// array, never longer than the threshold, which is cheaper to scan than a dictionary is to hash.
    private struct PortWindow {
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

    /// One of the detector's two counts, with its own windows and sweep schedule: per source–destination pair or
    /// per source. The two never share state, so a long run counts them on two cores.
    private struct Tally<Key: RecencyKey> {
        var windows: RecencyTable<Key, PortWindow>
        var sweep = SweepSchedule(every: 60_000)
        let threshold: Int
        let window: Int64

        /// Counts the port; returns the evidence when the key's window reaches the threshold.
        mutating func add(_ key: Key, _ seen: Seen) -> [Seen]? {
            let (now, window, threshold) = (seen.time, self.window, self.threshold)
            if sweep.isDue(now) { windows.removeAll { now - $0.lastTime > window } }
            return windows.update(key, orInsert: { PortWindow() }) { $0.add(seen, threshold: threshold, window: window) }
        }
    }

    private var pairs: Tally<UInt64>
    private var sources: Tally<UInt32>

    public init(portsPerDestination: Int = 25, portsOverall: Int = 50, window: Int64 = 5 * 60_000,
                maximumPairs: Int = 100_000, maximumSources: Int = 50_000) {
        self.portsPerDestination = portsPerDestination
        self.portsOverall = portsOverall
        self.window = window
        pairs = Tally(windows: RecencyTable(capacity: maximumPairs), threshold: portsPerDestination, window: window)
        sources = Tally(windows: RecencyTable(capacity: maximumSources), threshold: portsOverall, window: window)
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
        for part in 0..<parts { count(id, part: part, flows, store).map(report) }
    }

    /// The pair tally and the source tally share nothing: the engine counts them on two cores.
    public var parts: Int { 2 }

    /// Counts a run of flows for one tally: part 0 per source–destination pair, part 1 per source. At one event
    /// the pair's hit comes first, as in ``observeFlow(_:_:in:report:)``, because the engine merges part 0 first.
    public func observe(_ ids: ArraySlice<EventStore.EventID>, part: Int, in store: EventStore, report: (Int, DetectorHit) -> Void) {
        store.withColumnReader { flows in
            for position in ids.indices where flows.isFlow(ids[position]) {
                if let hit = count(ids[position], part: part, flows, store) { report(position, hit) }
            }
        }
    }

    /// Counts one flow in one tally; the hit when the tally's window for it fills.
    @inline(__always)
    private func count(_ id: EventStore.EventID, part: Int, _ flows: ColumnReader, _ store: EventStore) -> DetectorHit? {
        guard let (source, destination, seen) = Self.candidate(id, flows) else { return nil }
        if part == 0 {
            return pairs.add(UInt64(source) << 32 | UInt64(destination), seen)
                .map { hit(source, $0, target: .destination(destination), store) }
        }
        return sources.add(source, seen).map { hit(source, $0, target: .overall, store) }
    }

    /// What a flow adds to the tallies: its source and destination symbols and the port it reached, or nil when
    /// it does not count. Everything comes from columns (ports and codes from the flow's numbers, addresses as
    /// interned symbols, REJECT as a failed outcome); NODATA/SKIPDATA records have no ports.
    @inline(__always)
    private static func candidate(_ id: EventStore.EventID, _ flows: ColumnReader) -> (source: UInt32, destination: UInt32, seen: Seen)? {
        let row = flows.numbers(of: id)
        guard let sourcePort = row.sourcePortValue, let destinationPort = row.destinationPortValue, destinationPort > 0,
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
