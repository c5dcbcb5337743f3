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
/// Per flow: a few column reads, two dictionary updates keyed by interned address symbols, and a scan of at most
/// 50 small entries; the flow record itself is never decoded.
///
/// **Bounds.** A window never holds more ports than its threshold (reaching it either reports or drops ports
/// older than the window). At most `maximumPairs` (100,000) source–destination windows and `maximumSources`
/// (50,000) per-source windows, least recently active evicted first; windows idle for longer than `window` are
/// swept every minute of event time. About 80 bytes per pair or source with one port; worst case (every window
/// one port short of its threshold) about 130 MB.
public final class PortScanDetector: Detector {
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

    private var pairs: RecencyTable<UInt64, PortWindow>
    private var sources: RecencyTable<UInt32, PortWindow>
    private var sweep = SweepSchedule(every: 60_000)

    public init(portsPerDestination: Int = 25, portsOverall: Int = 50, window: Int64 = 5 * 60_000,
                maximumPairs: Int = 100_000, maximumSources: Int = 50_000) {
        self.portsPerDestination = portsPerDestination
        self.portsOverall = portsOverall
        self.window = window
        pairs = RecencyTable(capacity: maximumPairs)
        sources = RecencyTable(capacity: maximumSources)
        template = FindingTemplate(
            ruleID: id, title: "Port scan", severity: .medium, source: .detector,
            tactics: ["discovery", "reconnaissance"], techniques: ["T1046", "T1595.001"],
            explanation: "One source address reached many different destination ports within a few minutes.",
            whyItMatters: "Scanning is how an attacker maps what a host exposes. From the internet it is background noise unless something answered; from inside the VPC it usually means a foothold is looking for the next host.",
            nextSteps: ["block-ip", "review-security-groups", "hunt-related-activity", "isolate-instance"],
            falsePositives: ["Vulnerability scanners and monitoring you run yourself; service meshes probing many ports."],
            origin: "PortScanDetector")
    }

    public func observe(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        // Everything comes from the store's columns (ports as port + 1, addresses as interned symbols, REJECT as a
        // failed outcome), so the flow record is never decoded. NODATA/SKIPDATA records have no ports.
        guard let (source, destination, sourcePort, destinationPort) = store.flowEndpoints(of: id),
              sourcePort >= 0, destinationPort > 0,
              !FlowEntities.isLikelyReply(sourcePort: sourcePort, destinationPort: destinationPort),
              source != 0, destination != 0 else { return }
        let now = store.time(of: id).milliseconds
        if sweep.isDue(now) { sweepIdle(now) }

        let seen = Seen(time: now, event: id, port: UInt16(truncatingIfNeeded: destinationPort), accepted: store.isSuccess(id))
        let (perDestination, window) = (portsPerDestination, self.window)
        if let evidence = pairs.update(UInt64(source) << 32 | UInt64(destination), orInsert: { PortWindow() }, {
            $0.add(seen, threshold: perDestination, window: window)
        }) {
            report(hit(store.symbols[source], evidence, target: "on \(store.symbols[destination])"))
        }
        let overall = portsOverall
        if let evidence = sources.update(source, orInsert: { PortWindow() }, {
            $0.add(seen, threshold: overall, window: window)
        }) {
            report(hit(store.symbols[source], evidence, target: "across destinations"))
        }
    }

    private func hit(_ source: String, _ evidence: [Seen], target: String) -> DetectorHit {
        let accepted = evidence.count { $0.accepted }
        let span = (evidence.last?.time ?? 0) - (evidence.first?.time ?? 0)
        let address = IPAddress(source)
        let origin = address.map(AddressScope.isInternal) == true ? "internal address " : ""
        let summary = "\(origin)\(source) reached \(evidence.count) distinct ports \(target) within "
            + "\(DetectorText.duration(milliseconds: span)) (\(accepted) accepted)"
        return DetectorHit(primary: Entity(.sourceIP, address?.description ?? source), time: Timestamp(milliseconds: evidence.first?.time ?? 0),
                           lastTime: Timestamp(milliseconds: evidence.last?.time ?? 0), events: evidence.map(\.event),
                           count: 1, summary: summary)
    }

    private func sweepIdle(_ now: Int64) {
        let window = self.window
        pairs.removeAll { now - $0.lastTime > window }
        sources.removeAll { now - $0.lastTime > window }
    }
}
