import VigilCore
import VigilStore

/// An unusual volume of bytes sent to the internet by one instance (or network interface) in one hour.
///
/// **What is counted.** Accepted flow records from an internal address to a public one (egress, whatever the
/// flow-log version: the addresses say it, the `flow-direction` field is not needed), summed per network
/// interface (per source address for formats without `interface-id`) per clock hour of event time.
///
/// **The rule.** Each interface keeps an exponentially weighted average of its *active* hours' egress (hours with
/// any egress; α = 0.1, about the last ten active hours, seeded with the first one). Idle hours are not averaged
/// in: an interface that uploads a backup once a night would otherwise see its baseline decay to nothing and be
/// reported every night. An hour is reported once, as soon as its running total exceeds
/// max(`multiple` × baseline, `minimumBytes`) = max(10 × baseline, 1 GB). Until an interface has
/// `warmUpHours` (3) active hours behind it, the bar is `warmUpBytes` (10 GB) instead: with no history, only a
/// volume that would be remarkable anywhere is worth a finding.
///
/// Not distinguished: AWS service endpoints reached over the internet (S3 uploads through an internet or NAT
/// gateway count as egress); a NAT gateway's own interface carries the sum of its instances and has a baseline
/// of its own.
///
/// **Bounds.** At most `maximumInterfaces` (100,000) interfaces tracked, least recently active evicted (an
/// evicted interface warms up again); per interface a fixed record with the hour's 8 largest flows as evidence.
/// Per flow: a range check on each address and one dictionary update.
public final class OutboundVolumeDetector: FlowDetector {
    public let id = "vigil.network.outbound-volume"
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.flow]
    public let minimumBytes: Int64
    public let multiple: Double
    public let warmUpHours: Int
    public let warmUpBytes: Int64
    public let smoothing: Double

    private enum Key: RecencyKey {
        case interface(UInt32)
        case address(IPAddress)

        var mixedBits: UInt64 {
            switch self {
            case .interface(let symbol): UInt64(symbol)
            case .address(let address): ~address.mixedBits
            }
        }
    }

    private struct LargeFlow {
        var bytes: Int64
        var event: UInt32
        var destination: IPAddress
    }

    private struct Volume {
        var hour: Int64 = .min
        var bytes: Int64 = 0
        var baseline = 0.0
        var activeHours = 0
        var reported = false
        var largest: [LargeFlow] = []
        /// The smallest of `largest` once it holds eight: most flows of a busy hour are no larger, and are passed
        /// over by one comparison.
        var floor: Int64 = 0

        /// Folds the finished hour into the baseline and starts `hour`.
        mutating func start(hour next: Int64, smoothing: Double) {
            if hour != .min, bytes > 0 {
                baseline = activeHours == 0 ? Double(bytes) : baseline + smoothing * (Double(bytes) - baseline)
                activeHours += 1
            }
            hour = next
            bytes = 0
            reported = false
            largest.removeAll(keepingCapacity: true)
        }

        mutating func keep(_ flow: LargeFlow) {
            if largest.count < 8 {
                largest.append(flow)
                if largest.count == 8 { floor = largest.lazy.map(\.bytes).min()! }
            } else if flow.bytes > floor, let smallest = largest.indices.min(by: { largest[$0].bytes < largest[$1].bytes }) {
                largest[smallest] = flow
                floor = largest.lazy.map(\.bytes).min()!
            }
        }
    }

    private struct Crossing {
        var bytes: Int64
        var baseline: Double
        var activeHours: Int
        var hour: Int64
        var largest: [LargeFlow]
    }

    private var volumes: RecencyTable<Key, Volume>
    private var instances = FlowInstanceResolver()

    public init(minimumBytes: Int64 = 1_000_000_000, multiple: Double = 10, warmUpHours: Int = 3,
                warmUpBytes: Int64 = 10_000_000_000, smoothing: Double = 0.1, maximumInterfaces: Int = 100_000) {
        self.minimumBytes = minimumBytes
        self.multiple = multiple
        self.warmUpHours = warmUpHours
        self.warmUpBytes = warmUpBytes
        self.smoothing = smoothing
        volumes = RecencyTable(capacity: maximumInterfaces)
        template = FindingTemplate(
            ruleID: id, title: "Unusual outbound data volume", severity: .medium, source: .detector,
            tactics: ["exfiltration"], techniques: ["T1048", "T1030"],
            explanation: "An instance sent far more data to internet addresses in one hour than it usually does (at least 1 GB, and ten times its usual hourly volume).",
            whyItMatters: "Bulk data leaving for an address outside AWS is how stolen databases, backups and source code leave; mining and proxying also show up as a step change in egress.",
            nextSteps: ["isolate-instance", "snapshot-instance", "capture-memory", "hunt-related-activity", "confirm-with-owner", "preserve-logs"],
            falsePositives: ["Backups or data transfers to S3 over the internet, software distribution, a launch or a traffic spike."],
            origin: "OutboundVolumeDetector")
    }

    public func observeFlow(_ id: EventStore.EventID, _ flows: ColumnReader, in store: EventStore, report: (DetectorHit) -> Void) {
        // Rejected records (a failed outcome) carry no egress; skipping them costs one flag read.
        guard flows.isSuccess(id), flows.flowAction(of: id) == .accept, let size = flows.bytes(of: id), size > 0 else { return }
        // Most flows stay inside the VPC: an IPv4 destination is judged from its column before the whole row is read.
        if let v4 = flows.destinationV4(of: id), !AddressScope.isPublic(IPAddress(v4: v4)) { return }
        let flow = flows.numbers(of: id)
        guard flow.action == .accept, let bytes = flow.bytesValue, bytes > 0,
              let source = flow.sourceAddress, let destination = flow.destinationAddress,
              AddressScope.isInternal(source), AddressScope.isPublic(destination) else { return }
        let now = flows.time(of: id)
        let hour = now >= 0 ? now / Millis.hour : (now - Millis.hour + 1) / Millis.hour
        let interface = flows.firstResourceSymbol(of: id)
        let key: Key = interface != 0 ? .interface(interface) : .address(source)
        let (smoothing, multiple, minimumBytes, warmUpHours, warmUpBytes) =
            (self.smoothing, self.multiple, self.minimumBytes, self.warmUpHours, self.warmUpBytes)
        let crossing: Crossing? = volumes.update(key, orInsert: { Volume() }) { v in
            if v.hour != hour { v.start(hour: hour, smoothing: smoothing) }
            v.bytes += bytes
            v.keep(LargeFlow(bytes: bytes, event: id, destination: destination))
            guard !v.reported else { return nil }
            let bar = v.activeHours < warmUpHours ? warmUpBytes : max(minimumBytes, Int64(multiple * v.baseline))
            guard v.bytes > bar else { return nil }
            v.reported = true
            return Crossing(bytes: v.bytes, baseline: v.baseline, activeHours: v.activeHours, hour: hour, largest: v.largest)
        }
        guard let crossing else { return }
        let instance = instances.instanceID(of: id, in: store)
        let largest = crossing.largest.sorted { $0.bytes > $1.bytes }
        var summary = "\(FlowEntities.describe(instance: instance, address: source)) sent \(DetectorText.bytes(crossing.bytes)) "
            + "to public addresses in the hour from \(DetectorText.clock(crossing.hour * Millis.hour))"
        if crossing.activeHours < warmUpHours {
            summary += " (no baseline yet)"
        } else {
            summary += " (usual: \(DetectorText.bytes(Int64(crossing.baseline)))/h over \(crossing.activeHours) active hours)"
        }
        if let top = largest.first { summary += "; largest flow \(DetectorText.bytes(top.bytes)) to \(top.destination)" }
        var evidence = largest.map(\.event)
        store.sortByTime(&evidence)
        report(DetectorHit(primary: FlowEntities.local(instance: instance, address: source),
                           time: store.time(of: evidence.first ?? id), lastTime: Timestamp(milliseconds: now),
                           events: evidence, count: 1, summary: summary))
    }
}
