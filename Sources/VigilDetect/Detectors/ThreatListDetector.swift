import VigilCore
import VigilStore

/// Traffic, API calls and DNS lookups involving an address or domain on a loaded threat-intelligence list.
///
/// Checked: both addresses of every flow record, the source address of every CloudTrail call, and every DNS query
/// name (a listed domain matches itself and its subdomains) and answer address. A hit is high severity and is
/// folded on the listed indicator (the address or the listed domain), so one finding per indicator counts every
/// touch; the other party (instance, principal) is in the summary and the evidence's entities. With no lists
/// loaded the detector subscribes to no event kinds, so the engine never calls it.
///
/// **Speed.** The lists are compiled once into hash tables: exact addresses in one, CIDR blocks grouped by
/// prefix length (one masked lookup per distinct length), domains by a hash of each suffix of the name. Verdicts
/// are cached per interned address symbol (flows, CloudTrail) and per DNS name, so a flow costs two small
/// dictionary lookups and no allocation.
///
/// **Bounds.** The compiled lists (the size of the lists themselves); caches of address symbols (65,536) and DNS
/// names (16,384), emptied when full. No per-entity state.
public final class ThreatListDetector: FlowDetector {
    public let id = "vigil.intel.threat-list"
    public let template: FindingTemplate
    public let kinds: Set<EventKind>

    private let matcher: IntelMatcher
    private var addressLists = SymbolMemo<Int32>()
    private var nameMatches: [String: IntelMatcher.DomainMatch?] = [:]
    private var instances = FlowInstanceResolver()

    public init(intel: ThreatIntel) {
        matcher = IntelMatcher(intel)
        kinds = matcher.isEmpty ? [] : [.flow, .cloudTrail, .dns]
        template = FindingTemplate(
            ruleID: id, title: "Activity involving an address or domain on a threat list", severity: .high,
            source: .detector, tactics: ["command-and-control", "initial-access"], techniques: ["T1071", "T1090.003", "T1078.004"],
            explanation: "A flow, an API call or a DNS lookup involved an address or a domain on one of the loaded threat-intelligence lists.",
            whyItMatters: "Listed infrastructure (Tor exits, known scanners, command-and-control servers, mining pools) has no business talking to your accounts and instances; traffic to it from inside is often malware, API calls from it are often stolen credentials.",
            nextSteps: ["block-ip", "hunt-related-activity", "contain-principal", "isolate-instance", "preserve-logs"],
            falsePositives: ["Stale or over-broad list entries (shared hosting, CDN addresses); your own security tooling contacting them."],
            origin: "ThreatListDetector")
    }

    public func observeOther(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        switch store.kind(of: id) {
        case .cloudTrail: observeCall(id, store, report)
        case .dns: observeLookup(id, store, report)
        default: break
        }
    }

    public func observeFlow(_ id: EventStore.EventID, _ flows: ColumnReader, in store: EventStore, report: (DetectorHit) -> Void) {
        // Both addresses are interned by the store; their verdicts are cached by symbol, so a flow costs two small
        // lookups and the record is only decoded when something is listed.
        let sourceList = list(ofAddressSymbol: flows.sourceSymbol(of: id), store)
        let destinationList = list(ofAddressSymbol: flows.destinationSymbol(of: id), store)
        guard sourceList >= 0 || destinationList >= 0 else { return }
        let flow = flows.numbers(of: id)
        let instance = instances.instanceID(of: id, in: store)
        let action = flow.action == .accept ? "accepted" : flow.action == .reject ? "rejected" : "no action"
        func side(_ address: IPAddress?, _ port: Int?) -> String {
            let text = address.map { FlowEntities.describe(instance: AddressScope.isInternal($0) ? instance : nil, address: $0) } ?? "?"
            return port.map { "\(text):\($0)" } ?? text
        }
        let line = "\(side(flow.sourceAddress, flow.sourcePortValue)) → \(side(flow.destinationAddress, flow.destinationPortValue)) (\(action))"
        for (address, list) in [(flow.sourceAddress, sourceList), (flow.destinationAddress, destinationList)] where list >= 0 {
            guard let address else { continue }
            report(DetectorHit(primary: Entity(.sourceIP, address.description), time: store.time(of: id), events: [id],
                               summary: "\(line); \(address) is on list '\(matcher.names[Int(list)])'"))
        }
    }

    /// The list holding the address a symbol spells (-1: none, or not an address), cached per symbol.
    @inline(__always)
    private func list(ofAddressSymbol symbol: UInt32, _ store: EventStore) -> Int32 {
        guard symbol != 0 else { return -1 }
        return addressLists.value(symbol) { IPAddress(store.symbols[symbol]).map(matcher.list(containing:)) ?? -1 }
    }

    private func observeCall(_ id: EventStore.EventID, _ store: EventStore, _ report: (DetectorHit) -> Void) {
        let symbol = store.symbol(.sourceIP, of: id)
        let list = list(ofAddressSymbol: symbol, store)
        guard list >= 0 else { return }
        let address = store.symbols[symbol]
        let who = store.value(.principal, of: id) ?? store.value(.accessKey, of: id) ?? "an unknown principal"
        let service = store.value(.service, of: id) ?? "", action = store.value(.action, of: id) ?? ""
        report(DetectorHit(primary: Entity(.sourceIP, IPAddress(address)?.description ?? address), time: store.time(of: id),
                           events: [id], summary: "\(who) called \(service) \(action) from \(address), which is on list '\(matcher.names[Int(list)])'"))
    }

    private func observeLookup(_ id: EventStore.EventID, _ store: EventStore, _ report: (DetectorHit) -> Void) {
        guard let dns = store.dns(of: id) else { return }
        let match: IntelMatcher.DomainMatch?
        if let known = nameMatches[dns.queryName] {
            match = known
        } else {
            match = matcher.list(containing: DomainName(dns.queryName))
            if nameMatches.count >= 16_384 { nameMatches.removeAll(keepingCapacity: true) }
            nameMatches[dns.queryName] = .some(match)
        }
        let client = dns.instanceID ?? store.value(.sourceIP, of: id) ?? "?"
        let name = TextSanitizer.sanitize(dns.queryName)
        if let match {
            report(DetectorHit(primary: Entity(.domain, match.domain), time: store.time(of: id), events: [id],
                               summary: "\(client) looked up \(name), under \(match.domain) on list '\(matcher.names[Int(match.list)])'"))
        }
        for answer in dns.answers {
            guard let address = IPAddress(answer) else { continue }
            let list = matcher.list(containing: address)
            guard list >= 0 else { continue }
            report(DetectorHit(primary: Entity(.sourceIP, address.description), time: store.time(of: id), events: [id],
                               summary: "\(client) looked up \(name), which resolved to \(address) on list '\(matcher.names[Int(list)])'"))
        }
    }
}

/// Threat lists compiled for lookups on the hot path. Where lists overlap, the first list by name wins, as in
/// ``ThreatIntel/listName(containing:)-(IPAddress)``.
struct IntelMatcher {
    struct DomainMatch: Sendable {
        var domain: String
        var list: Int32
    }

    private struct BlockGroup {
        var isV4: Bool
        var prefixLength: Int
        var networks: [AddressKey: Int32]
    }

    /// An address as a dictionary key hashed as one word (IPAddress's own hash feeds the hasher three fields).
    struct AddressKey: Hashable {
        var high: UInt64
        var low: UInt64
        var isV4: Bool

        init(_ address: IPAddress) {
            high = address.high
            low = address.low
            isV4 = address.isV4
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(high &* 0x9E37_79B9_7F4A_7C15 ^ low)
        }
    }

    /// List names in sorted order; indices into this are what lookups return.
    let names: [String]
    private var addresses: [AddressKey: Int32] = [:]
    private var blockGroups: [BlockGroup] = []
    private var domains: [UInt64: [DomainMatch]] = [:]

    init(_ intel: ThreatIntel) {
        names = intel.lists.keys.sorted()
        var groups: [String: BlockGroup] = [:]
        for (index, name) in names.enumerated() {
            let list = intel.lists[name]!
            let i = Int32(index)
            for address in list.addresses where addresses[AddressKey(address)] == nil { addresses[AddressKey(address)] = i }
            for block in list.blocks {
                let key = "\(block.network.isV4 ? 4 : 6)/\(block.prefixLength)"
                var group = groups[key] ?? BlockGroup(isV4: block.network.isV4, prefixLength: block.prefixLength, networks: [:])
                if group.networks[AddressKey(block.network)] == nil { group.networks[AddressKey(block.network)] = i }
                groups[key] = group
            }
            for domain in list.domains {
                let hash = DomainName(domain).hash()
                if !(domains[hash]?.contains { $0.domain == domain } ?? false) {
                    domains[hash, default: []].append(DomainMatch(domain: domain, list: i))
                }
            }
        }
        // Longer prefixes first: they are the more specific entries.
        blockGroups = groups.values.sorted { ($0.isV4 ? 0 : 1, -$0.prefixLength) < ($1.isV4 ? 0 : 1, -$1.prefixLength) }
    }

    var isEmpty: Bool { addresses.isEmpty && blockGroups.isEmpty && domains.isEmpty }

    /// The index of the first list holding `address`, or -1.
    @inline(__always)
    func list(containing address: IPAddress) -> Int32 {
        var best = addresses[AddressKey(address)] ?? -1
        for group in blockGroups where group.isV4 == address.isV4 {
            if let i = group.networks[AddressKey(CIDRBlock(network: address, prefixLength: group.prefixLength).network)], best < 0 || i < best { best = i }
        }
        return best
    }

    /// The listed domain `name` falls under (itself or a parent) and its list, if any.
    func list(containing name: DomainName) -> DomainMatch? {
        guard !domains.isEmpty, !name.labels.isEmpty else { return nil }
        var best: DomainMatch?
        for k in name.labels.indices {
            let start = name.labels[k].lowerBound
            guard let candidates = domains[name.hash(from: start)] else { continue }
            for candidate in candidates where candidate.domain.utf8.elementsEqual(name.bytes[start...]) {
                if best == nil || candidate.list < best!.list { best = candidate }
            }
        }
        return best
    }
}
