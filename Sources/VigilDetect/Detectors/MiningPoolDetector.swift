import VigilCore
import VigilStore

/// Connections to cryptocurrency mining pools in flow logs, corroborated by DNS where the resolver logs show it.
///
/// A hit is an accepted flow to a stratum port (``MiningIndicators/ports``: 3333, 4444, 5555, 5556, 7777, 9999,
/// 14433, 14444, 45560, 45700) on a public address, folded per instance (or per source address when the flow
/// format has no instance id). Port 8888 counts only when DNS corroborates it, since it is as often a development
/// web server. The reply half of connections is skipped: a record from a port below 1024, or from a lower to a
/// higher port below 10,000 (pools' high ports — 14433 and up — are reached from ephemeral ports that can be lower
/// than theirs, so they are exempt from the second test).
///
/// **DNS corroboration.** Resolver query logs are read too: when a name that looks like a mining pool's
/// (``MiningIndicators/isMiningPool(_:)``) resolves to an address, the address is remembered, and a flow to it
/// says so in its summary ("pool.supportxmr.example resolved to this address at 15:11:58"). The DNS analytics
/// detector reports the lookups themselves.
///
/// **Bounds.** Up to `maximumResolutions` (4,096) pool addresses remembered, least recently used evicted; name
/// and interface caches emptied at 16,384 / 65,536 entries. Per flow: one port bitmap test, then (rarely) a
/// range check and one dictionary lookup.
public final class MiningPoolDetector: FlowDetector {
    public let id = "vigil.network.mining-pool"
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.flow, .dns]

    private struct Resolution {
        var name: String
        var time: Int64
    }

    private var resolutions: RecencyTable<IPAddress, Resolution>
    private var miningNames: [String: Bool] = [:]
    private var instances = FlowInstanceResolver()

    public init(maximumResolutions: Int = 4096) {
        resolutions = RecencyTable(capacity: maximumResolutions)
        template = FindingTemplate(
            ruleID: id, title: "Connections to a cryptocurrency mining pool", severity: .high, source: .detector,
            tactics: ["impact"], techniques: ["T1496"],
            explanation: "An instance kept accepted connections to a public address on a mining-pool (stratum) port.",
            whyItMatters: "Mining is what most attackers do first with compute they take over: it means someone runs their own code on the instance (or launched it), and the bill and the exposure grow by the hour.",
            nextSteps: ["isolate-instance", "snapshot-instance", "capture-memory", "block-ip", "hunt-related-activity", "preserve-logs"],
            falsePositives: ["Other services on these ports (4444, 5555, 9999 are used by some development tools); an intentional, sanctioned miner."],
            origin: "MiningPoolDetector")
    }

    public func observeOther(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        if store.kind(of: id) == .dns { rememberPoolAddresses(id, store) }
    }

    public func observeFlow(_ id: EventStore.EventID, _ flows: ColumnReader, in store: EventStore, report: (DetectorHit) -> Void) {
        // The port alone rules out almost every flow: read it from its column before the whole row.
        guard let port = flows.ports(of: id).destination,
              MiningIndicators.isMiningPort(port) || MiningIndicators.needsCorroboration(port) else { return }
        let flow = flows.numbers(of: id)
        guard flow.action == .accept,
              let clientPort = flow.sourcePortValue, !Self.isReply(sourcePort: clientPort, destinationPort: port),
              let destination = flow.destinationAddress, AddressScope.isPublic(destination),
              let source = flow.sourceAddress else { return }
        let resolution = resolutions.updateIfPresent(destination) { $0 }
        if MiningIndicators.needsCorroboration(port), resolution == nil { return }
        let instance = instances.instanceID(of: id, in: store)
        var summary = "\(FlowEntities.describe(instance: instance, address: source)) connected to \(destination):\(port)"
        if let bytes = flow.bytesValue { summary += " (\(DetectorText.bytes(bytes)))" }
        if let resolution {
            summary += "; \(resolution.name) resolved to this address at \(DetectorText.clock(resolution.time))"
        }
        report(DetectorHit(primary: FlowEntities.local(instance: instance, address: source),
                           time: store.time(of: id), events: [id], summary: summary))
    }

    /// Reply records: from a privileged port, or from a lower to a higher port below the pools' high range.
    static func isReply(sourcePort: Int, destinationPort: Int) -> Bool {
        sourcePort < 1024 || (destinationPort < 10_000 && FlowEntities.isLikelyReply(sourcePort: sourcePort, destinationPort: destinationPort))
    }

    private func rememberPoolAddresses(_ id: EventStore.EventID, _ store: EventStore) {
        guard let dns = store.dns(of: id), !dns.answers.isEmpty else { return }
        let isPool: Bool
        if let known = miningNames[dns.queryName] {
            isPool = known
        } else {
            isPool = MiningIndicators.isMiningPool(DomainName(dns.queryName))
            if miningNames.count >= 16_384 { miningNames.removeAll(keepingCapacity: true) }
            miningNames[dns.queryName] = isPool
        }
        guard isPool else { return }
        let now = store.time(of: id).milliseconds
        let name = DomainName(dns.queryName).text
        for answer in dns.answers {
            guard let address = IPAddress(answer) else { continue }
            resolutions.update(address, orInsert: { Resolution(name: name, time: now) }) { _ in }
        }
    }
}
