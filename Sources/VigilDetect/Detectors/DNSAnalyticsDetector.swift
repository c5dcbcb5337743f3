import VigilCore
import VigilStore

/// Route 53 Resolver query analytics: mining-pool lookups, machine-generated (DGA-like) names, and DNS tunnelling
/// or exfiltration.
///
/// One instance runs one ``Check`` under its own rule id, since the three mean different things and carry
/// different severities; all fold on the querying instance (or source address when the record names no
/// instance).
///
/// - ``Check/miningPool`` (`vigil.dns.mining-pool-domain`, high): a lookup of a name that looks like a mining
///   pool's (``MiningIndicators/isMiningPool(_:)``: distinctive pool names such as `supportxmr`, `nanopool`,
///   `moneroocean`, and labels such as `xmr-…`, `stratum…`).
/// - ``Check/generatedName`` (`vigil.dns.dga-like-domain`, medium): a lookup whose *registrable* label looks
///   machine-made (``LabelShape``: ≥ 12 characters, entropy ≥ 3.3 bits and two of: a run of 5 consonants, < 20%
///   vowels, digits mixed through). Subdomains are not scored — random subdomains are what CDNs and cloud
///   services produce, and what the tunnelling check is for.
/// - ``Check/tunnelling`` (`vigil.dns.tunnelling`, medium): from one source, at least `uniqueNames` (50)
///   distinct names under one registrable domain within `window` (10 minutes), or any subdomain label longer
///   than `longLabel` (40) characters. Tunnels (iodine, dnscat2) and DNS exfiltration encode data in labels,
///   so every query is a new, long name; TXT-based tunnels are caught the same way, by their names.
///
/// Names under provider and infrastructure domains (``DomainName/infrastructureSuffixes``: amazonaws.com,
/// cloudfront.net, akamai…, reverse zones, DNS block lists and anti-virus reputation lookups) are skipped by the
/// DGA and tunnelling checks, whose patterns they produce by design.
///
/// **Bounds.** Facts about each name are cached (16,384 names, emptied when full). Tunnelling keeps, per (source,
/// registrable domain), at most `uniqueNames` name hashes (reaching it reports and starts afresh, or drops names
/// older than the window); at most `maximumWindows` (20,000) such windows, least recently active evicted, idle
/// ones swept every minute of event time.
public final class DNSAnalyticsDetector: Detector {
    public enum Check: String, Sendable, CaseIterable {
        case miningPool = "mining-pool-domain"
        case generatedName = "dga-like-domain"
        case tunnelling = "tunnelling"
    }

    public let id: String
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.dns]
    public let check: Check
    public let uniqueNames: Int
    public let longLabel: Int
    public let window: Int64

    private struct NameFacts {
        var text: String
        var registrable: String
        var registrableHash: UInt64
        var nameHash: UInt64
        var isInfrastructure: Bool
        var isMiningPool: Bool
        var shape: LabelShape?
        /// Length of the longest label left of the registrable domain.
        var longestSubdomainLabel: Int
    }

    private struct WindowKey: RecencyKey {
        var source: UInt32
        var domain: UInt64

        var mixedBits: UInt64 { domain ^ UInt64(source) &* 0x9E37_79B9_7F4A_7C15 }
    }

    /// Distinct names seen recently under one domain from one source (a flat array: never more than the threshold).
    private struct NameWindow {
        var names: [(hash: UInt64, time: Int64, event: UInt32)] = []
        var lastTime: Int64 = 0

        mutating func add(_ name: UInt64, time: Int64, event: UInt32, threshold: Int, window: Int64) -> [UInt32]? {
            lastTime = time
            if let k = names.firstIndex(where: { $0.hash == name }) {
                names[k] = (name, time, event)
                return nil
            }
            names.append((name, time, event))
            guard names.count >= threshold else { return nil }
            names.removeAll { time - $0.time > window }
            guard names.count >= threshold else { return nil }
            let evidence = names.sorted { ($0.time, $0.event) < ($1.time, $1.event) }.map(\.event)
            names.removeAll()
            return evidence
        }
    }

    private var facts: [String: NameFacts] = [:]
    private var windows: RecencyTable<WindowKey, NameWindow>
    private var sweep = SweepSchedule(every: 60_000)

    public init(check: Check, uniqueNames: Int = 50, longLabel: Int = 40, window: Int64 = 10 * 60_000,
                maximumWindows: Int = 20_000) {
        self.check = check
        self.uniqueNames = uniqueNames
        self.longLabel = longLabel
        self.window = window
        windows = RecencyTable(capacity: maximumWindows)
        id = "vigil.dns." + check.rawValue
        template = Self.template(check, id: id)
    }

    public func observe(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        guard let dns = store.dns(of: id), !dns.queryName.isEmpty else { return }
        let name = facts(of: dns.queryName)
        let now = store.time(of: id).milliseconds
        let client = dns.instanceID.map { Entity(.instance, $0) }
            ?? store.value(.sourceIP, of: id).map { Entity(.sourceIP, $0) } ?? Entity(.group, "unknown client")
        switch check {
        case .miningPool:
            guard name.isMiningPool else { return }
            let answers = dns.answers.prefix(4).map { TextSanitizer.sanitize($0) }.joined(separator: ", ")
            report(DetectorHit(primary: client, time: Timestamp(milliseconds: now), events: [id],
                               summary: "\(client.value) looked up \(name.text)" + (answers.isEmpty ? "" : " → \(answers)")))
        case .generatedName:
            guard !name.isInfrastructure, let shape = name.shape, shape.looksGenerated else { return }
            let entropy = Int(shape.entropy * 10)
            let vowels = Int(shape.vowelRatio * 100)
            report(DetectorHit(primary: client, time: Timestamp(milliseconds: now), events: [id],
                               summary: "\(client.value) looked up \(name.text): \(shape.length) characters, entropy \(entropy / 10).\(entropy % 10) bits, "
                                   + "\(vowels)% vowels, longest consonant run \(shape.longestConsonantRun)"
                                   + (dns.responseCode.map { " (\($0))" } ?? "")))
        case .tunnelling:
            guard !name.isInfrastructure else { return }
            if sweep.isDue(now) { sweepIdle(now) }
            if name.longestSubdomainLabel > longLabel {
                report(DetectorHit(primary: client, time: Timestamp(milliseconds: now), events: [id],
                                   summary: "\(client.value) looked up a name with a \(name.longestSubdomainLabel)-character label under \(name.registrable): \(String(name.text.prefix(120)))"))
            }
            let source = store.symbol(.sourceIP, of: id)
            let (threshold, window) = (uniqueNames, self.window)
            let key = WindowKey(source: source, domain: name.registrableHash)
            if let evidence = windows.update(key, orInsert: { NameWindow() }, {
                $0.add(name.nameHash, time: now, event: id, threshold: threshold, window: window)
            }) {
                let first = store.time(of: evidence[0]).milliseconds
                report(DetectorHit(primary: client, time: Timestamp(milliseconds: first), lastTime: Timestamp(milliseconds: now),
                                   events: evidence, count: 1,
                                   summary: "\(client.value) looked up \(evidence.count) different names under \(name.registrable) within \(DetectorText.duration(milliseconds: now - first))"))
            }
        }
    }

    private func facts(of queryName: String) -> NameFacts {
        if let known = facts[queryName] { return known }
        let name = DomainName(queryName)
        let start = name.labels.isEmpty ? 0 : name.registrableStart
        var longest = 0
        for k in 0..<start { longest = max(longest, name.labels[k].count) }
        let registrableLabel = name.registrableLabel
        let shape = check == .generatedName ? registrableLabel.flatMap { label -> LabelShape? in
            label.starts(with: "xn--".utf8) ? nil : LabelShape(label)
        } : nil
        let result = NameFacts(
            text: TextSanitizer.sanitize(name.text), registrable: TextSanitizer.sanitize(name.registrableDomain),
            registrableHash: name.labels.isEmpty ? 0 : name.hash(from: name.labels[start].lowerBound),
            nameHash: name.hash(), isInfrastructure: name.isInfrastructure,
            isMiningPool: check == .miningPool && MiningIndicators.isMiningPool(name), shape: shape,
            longestSubdomainLabel: longest)
        if facts.count >= 16_384 { facts.removeAll(keepingCapacity: true) }
        facts[queryName] = result
        return result
    }

    private func sweepIdle(_ now: Int64) {
        let window = self.window
        windows.removeAll { now - $0.lastTime > window }
    }

    static func template(_ check: Check, id: String) -> FindingTemplate {
        switch check {
        case .miningPool:
            return FindingTemplate(
                ruleID: id, title: "DNS lookups of a cryptocurrency mining pool", severity: .high, source: .detector,
                tactics: ["impact"], techniques: ["T1496"],
                explanation: "An instance looked up a domain name that belongs to (or looks like) a cryptocurrency mining pool.",
                whyItMatters: "A miner resolves its pool before connecting; seen in resolver logs, it means code that is not yours is running on the instance, or the instance was launched by an attacker.",
                nextSteps: ["isolate-instance", "snapshot-instance", "capture-memory", "block-ip", "hunt-related-activity", "preserve-logs"],
                falsePositives: ["Research or monitoring that looks pools up; a sanctioned miner."],
                origin: "DNSAnalyticsDetector")
        case .generatedName:
            return FindingTemplate(
                ruleID: id, title: "DNS lookups of machine-generated-looking domains", severity: .medium, source: .detector,
                tactics: ["command-and-control"], techniques: ["T1568.002"],
                explanation: "An instance looked up a registered domain whose name looks algorithmically generated (long, high-entropy, few vowels or digits mixed through).",
                whyItMatters: "Malware with a domain generation algorithm tries many such names to find its command server; a burst of them, many answered NXDOMAIN, is a strong sign of infection.",
                nextSteps: ["isolate-instance", "capture-memory", "snapshot-instance", "hunt-related-activity"],
                falsePositives: ["Random-looking brand or product domains; services that register hashed domain names."],
                origin: "DNSAnalyticsDetector")
        case .tunnelling:
            return FindingTemplate(
                ruleID: id, title: "DNS tunnelling or exfiltration pattern", severity: .medium, source: .detector,
                tactics: ["exfiltration", "command-and-control"], techniques: ["T1048.003", "T1071.004", "T1572"],
                explanation: "A host looked up very long labels, or a great many different names under one domain in a few minutes.",
                whyItMatters: "DNS tunnels and exfiltration tools encode data in the names they look up, so every query is a new, long subdomain of the attacker's domain; DNS usually leaves even networks that block everything else.",
                nextSteps: ["isolate-instance", "capture-memory", "snapshot-instance", "block-ip", "hunt-related-activity", "preserve-logs"],
                falsePositives: ["Telemetry and reputation services that encode lookups in names (add them to the exclusions); crawlers resolving many hosts of one site."],
                origin: "DNSAnalyticsDetector")
        }
    }
}
