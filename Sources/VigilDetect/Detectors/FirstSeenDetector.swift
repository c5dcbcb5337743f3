import VigilCore
import VigilStore

/// New terms per principal: the first time a principal calls from a source address, with a user agent, in a
/// region, or uses an API (`eventSource:eventName`), once the principal has a baseline — as Elastic's new-terms
/// rules do.
///
/// One instance watches one ``Dimension`` and reports under that dimension's own rule id
/// (`vigil.baseline.new-source-ip`, `…new-user-agent`, `…new-region`, `…new-api`), so each dimension is a
/// finding of its own, folded per principal with a count of new values.
///
/// **Learning.** A principal's baseline is built during the `learningPeriod` (24 h by default) of event time
/// that follows the *principal's own* first event; values seen then are learned silently. Counting from each
/// principal's first event rather than from the dataset's start keeps a principal that appears late (a new role,
/// a new user) from having every one of its first values reported: it has no history to differ from. Brand-new
/// principals are left to the rules (CreateUser, CreateAccessKey…).
///
/// **Who is a principal.** The ARN of the identity, except that role sessions are grouped by their role
/// (`assumed-role/ci-deploy/run-8812376` and `…/run-8812377` are one principal: session names are often per run
/// or per task) unless the session name names a person (contains `@`, or the role is an IAM Identity Center
/// `AWSReservedSSO_…` role). AWS service principals and calls whose source is not an address (`AWS Internal`,
/// `*.amazonaws.com`: a service acting on the principal's behalf) are ignored.
///
/// **User agents** are reduced to their product (`aws-cli`, `boto3`, `trufflehog`, `console.amazonaws.com`), so a
/// version upgrade is not news but a switch of tool is.
///
/// **Bounds.** At most `maximumValuesPerPrincipal` (512) values per principal: a principal that goes past it has
/// no useful baseline for this dimension (a fleet role calling from ever-changing addresses), is marked
/// saturated and is no longer reported on. At most `maximumPrincipals` (100,000) principals and
/// `maximumStoredValues` (500,000) values in all: past either, the least recently active eighth of principals is
/// forgotten (they start learning again when they return, so forgetting never causes a report). Worst case
/// about 20 MB per dimension, plus the per-symbol answers (principal group, product of a user agent, whether a
/// source is an address): at most one entry per distinct value in the store, which the store already holds.
///
/// Per event: array reads and one table lookup on interned symbols; no strings are built except when reporting
/// or when a principal or user agent is met for the first time.
public final class FirstSeenDetector: Detector {
    public enum Dimension: String, Sendable, CaseIterable {
        case sourceIP = "new-source-ip"
        case userAgent = "new-user-agent"
        case region = "new-region"
        case api = "new-api"
    }

    public let id: String
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.cloudTrail]
    public let dimension: Dimension
    public let learningPeriod: Int64
    public let maximumValuesPerPrincipal: Int
    public let maximumStoredValues: Int

    private struct PrincipalKey: RecencyKey {
        var hash: UInt64

        var mixedBits: UInt64 { hash }
    }

    private struct History {
        var firstSeen: Int64
        var values: Set<UInt64> = []
        var saturated = false
    }

    private var principals: RecencyTable<PrincipalKey, History>
    private var storedValues = 0
    /// Principal symbol → its grouped principal, an index into `groupKeys` and `groupEntities`; -1 for
    /// principals that are ignored. Integers on the per-event path: copying an entity (its strings) per event
    /// cost more reference counting than the rest of the update.
    private var principalGroups = SymbolMemo<Int32>()
    private var groupKeys: [PrincipalKey] = []
    /// The grouped principals as shown in findings.
    private var groupEntities: [Entity] = []
    /// Source address symbol → whether it is an address (rather than a service name or `AWS Internal`).
    private var sourceIsAddress = SymbolMemo<Bool>()
    /// User agent symbol → hash of its product token.
    private var agentProducts = SymbolMemo<UInt64>()

    /// - Parameters:
    ///   - learningPeriod: event time, from a principal's first event, during which its values are learned
    ///     silently (milliseconds; 24 h by default).
    public init(dimension: Dimension, learningPeriod: Int64 = 24 * 3_600_000, maximumPrincipals: Int = 100_000,
                maximumValuesPerPrincipal: Int = 512, maximumStoredValues: Int = 500_000) {
        self.dimension = dimension
        self.learningPeriod = learningPeriod
        self.maximumValuesPerPrincipal = maximumValuesPerPrincipal
        self.maximumStoredValues = maximumStoredValues
        principals = RecencyTable(capacity: maximumPrincipals)
        id = "vigil.baseline." + dimension.rawValue
        template = Self.template(dimension, id: id)
    }

    public func observe(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        store.withColumnReader { observe(id, $0, store, report) }
    }

    /// Looks at a run of events through one ``ColumnReader`` (an order of magnitude cheaper per event than the
    /// store's methods).
    public func observe(_ ids: ArraySlice<EventStore.EventID>, in store: EventStore, report: (Int, DetectorHit) -> Void) {
        store.withColumnReader { columns in
            for position in ids.indices where columns.kind(of: ids[position]) == .cloudTrail {
                observe(ids[position], columns, store) { report(position, $0) }
            }
        }
    }

    private func observe(_ id: EventStore.EventID, _ columns: ColumnReader, _ store: EventStore, _ report: (DetectorHit) -> Void) {
        let sourceSymbol = columns.symbol(.sourceIP, of: id)
        guard sourceSymbol != 0, sourceIsAddress.value(sourceSymbol, { IPAddress(store.symbols[sourceSymbol]) != nil }) else { return }
        guard columns.identityType(of: id) != .awsService else { return }
        let principalSymbol = columns.symbol(.principal, of: id)
        guard principalSymbol != 0 else { return }
        let group = principalGroups.value(principalSymbol) { addGroup(store.symbols[principalSymbol]) }
        guard group >= 0 else { return }
        let principalKey = groupKeys[Int(group)]
        let value: UInt64
        switch dimension {
        case .sourceIP: value = UInt64(sourceSymbol)
        case .region:
            let s = columns.symbol(.region, of: id)
            guard s != 0 else { return }
            value = UInt64(s)
        case .api:
            let service = columns.symbol(.service, of: id), action = columns.symbol(.action, of: id)
            guard action != 0 else { return }
            value = UInt64(service) << 32 | UInt64(action)
        case .userAgent:
            let s = columns.symbol(.userAgent, of: id)
            guard s != 0 else { return }
            value = agentProducts.value(s) { Self.fnv(Self.product(ofUserAgent: store.symbols[s])) }
        }

        let now = columns.time(of: id)
        let limit = maximumValuesPerPrincipal
        var learnedOne = false, created = false
        let countBefore = principals.count
        let isNew: Bool = principals.update(principalKey, orInsert: {
            created = true
            return History(firstSeen: now)
        }) { h in
            if h.saturated || h.values.contains(value) { return false }
            if h.values.count >= limit {
                // No usable baseline: stop storing and stop reporting for this principal.
                h.saturated = true
                storedValues -= h.values.count
                h.values = []
                return false
            }
            h.values.insert(value)
            learnedOne = true
            return now - h.firstSeen >= learningPeriod
        }
        if learnedOne { storedValues += 1 }
        if principals.count < countBefore + (created ? 1 : 0) {
            storedValues = principals.sum { $0.values.count }  // the table evicted principals to stay in bounds
        }
        if storedValues > maximumStoredValues { forgetLeastRecentPrincipals() }
        guard isNew else { return }
        let since = principals.peek(principalKey)?.firstSeen ?? now
        let entity = groupEntities[Int(group)]
        report(DetectorHit(primary: entity, time: Timestamp(milliseconds: now), events: [id],
                           summary: summary(id, store, principal: entity, history: now - since)))
    }

    // MARK: Reading the event

    /// Records the grouped principal of a principal column value; its index, or -1 when it is ignored. Distinct
    /// column values of one group (sessions of one role) get entries of their own with the same key.
    private func addGroup(_ arn: String) -> Int32 {
        guard let entity = Self.group(principal: arn) else { return -1 }
        groupKeys.append(PrincipalKey(hash: Self.fnv(entity.value)))
        groupEntities.append(entity)
        return Int32(groupKeys.count - 1)
    }

    /// The principal a CloudTrail ARN is baselined as: role sessions grouped by role, except personal sessions.
    static func group(principal arn: String) -> Entity? {
        guard !arn.isEmpty else { return nil }
        // arn:aws:sts::111122223333:assumed-role/ROLE/SESSION
        guard let range = arn.firstRange(of: ":assumed-role/") else { return Entity(.principal, arn) }
        let head = arn[..<range.lowerBound]                    // arn:aws:sts::111122223333
        let rest = arn[range.upperBound...]                   // ROLE/SESSION
        guard let slash = rest.firstIndex(of: "/") else { return Entity(.principal, arn) }
        let role = rest[..<slash]
        let session = rest[rest.index(after: slash)...]
        if session.contains("@") || role.hasPrefix("AWSReservedSSO_") { return Entity(.principal, arn) }
        let account = head.split(separator: ":", omittingEmptySubsequences: false).last ?? ""
        let partition = head.split(separator: ":", omittingEmptySubsequences: false).dropFirst().first ?? "aws"
        return Entity(.role, "arn:\(partition):iam::\(account):role/\(role)")
    }

    /// `aws-cli/2.15.0 Python/3.11 Darwin/23` → `aws-cli`; `[Boto3/1.34 …]` → `boto3`; `AWS Internal` → `aws internal`.
    static func product(ofUserAgent agent: String) -> String {
        var out = ""
        for c in agent.unicodeScalars {
            if c == "[" && out.isEmpty { continue }
            if c == "/" || c == " " || c == "(" || c == "]" {
                if out.isEmpty { continue }
                // Keep two-word names that have no version (`AWS Internal`, `Amazon CloudWatch Agent`) whole.
                if c == " ", !agent.contains("/") { out.append(" "); continue }
                break
            }
            out.unicodeScalars.append(c.properties.lowercaseMapping.unicodeScalars.first ?? c)
        }
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    static func fnv(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in text.utf8 { h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    // MARK: Bounds

    private func forgetLeastRecentPrincipals() {
        while storedValues > maximumStoredValues, !principals.isEmpty {
            principals.shrink(to: principals.count - max(1, principals.count / 8))
            storedValues = principals.sum { $0.values.count }
        }
    }

    // MARK: Wording

    private func summary(_ id: EventStore.EventID, _ store: EventStore, principal: Entity, history: Int64) -> String {
        let who = principal.value
        let age = DetectorText.duration(milliseconds: history)
        switch dimension {
        case .sourceIP:
            return "\(who) called from \(store.value(.sourceIP, of: id) ?? "?") for the first time (history: \(age))"
        case .userAgent:
            let agent = store.value(.userAgent, of: id) ?? ""
            return "\(who) used \(Self.product(ofUserAgent: agent)) for the first time (\(TextSanitizer.sanitize(String(agent.prefix(120))))) (history: \(age))"
        case .region:
            return "\(who) acted in \(store.value(.region, of: id) ?? "?") for the first time (history: \(age))"
        case .api:
            let service = store.value(.service, of: id) ?? ""
            return "\(who) called \(service.replacingSuffix(".amazonaws.com")):\(store.value(.action, of: id) ?? "") for the first time (history: \(age))"
        }
    }

    static func template(_ dimension: Dimension, id: String) -> FindingTemplate {
        let steps = ["confirm-with-owner", "hunt-related-activity"]
        switch dimension {
        case .sourceIP:
            return FindingTemplate(
                ruleID: id, title: "Principal calls from a source address it never used before", severity: .low,
                source: .detector, tactics: ["initial-access", "defense-evasion"], techniques: ["T1078.004"],
                explanation: "After a day of history, this principal made API calls from an address it had not used before.",
                whyItMatters: "Stolen keys and sessions are used from the attacker's infrastructure; a new address is often the first visible sign, especially when the legitimate owner keeps working from their usual one.",
                nextSteps: steps + ["rotate-credentials"],
                falsePositives: ["Travel, a new office or VPN exit, a CI runner pool, a changed NAT gateway."],
                origin: "FirstSeenDetector")
        case .userAgent:
            return FindingTemplate(
                ruleID: id, title: "Principal uses a tool it never used before", severity: .low,
                source: .detector, tactics: ["initial-access", "defense-evasion"], techniques: ["T1078.004"],
                explanation: "After a day of history, this principal's calls came from a client (user agent product) it had not used before.",
                whyItMatters: "Attackers replaying stolen credentials bring their own tooling (boto3 scripts, scanners, TruffleHog, Pacu); a developer's key suddenly used by a different SDK deserves a look.",
                nextSteps: steps,
                falsePositives: ["A new SDK, IDE plug-in or automation adopted by the principal's owner."],
                origin: "FirstSeenDetector")
        case .region:
            return FindingTemplate(
                ruleID: id, title: "Principal acts in a region it never used before", severity: .medium,
                source: .detector, tactics: ["defense-evasion", "impact"], techniques: ["T1535", "T1078.004"],
                explanation: "After a day of history, this principal made calls in an AWS region it had not used before.",
                whyItMatters: "Attackers launch miners and hide resources in regions nobody watches; a principal that only ever worked in one region suddenly active in another is a classic sign.",
                nextSteps: steps + ["contain-principal"],
                falsePositives: ["Planned expansion to a new region, global services, region-wide inventory scripts."],
                origin: "FirstSeenDetector")
        case .api:
            return FindingTemplate(
                ruleID: id, title: "Principal calls an API it never used before", severity: .low,
                source: .detector, tactics: ["discovery"], techniques: ["T1078.004", "T1580"],
                explanation: "After a day of history, this principal called API operations it had not called before (the count is how many new operations).",
                whyItMatters: "A burst of operations new to a principal (IAM enumeration, snapshot sharing, user creation) is what misuse of a working credential looks like; normal principals repeat a small, stable set of calls.",
                nextSteps: steps + ["contain-principal"],
                falsePositives: ["New features in the principal's application, an engineer's first use of a service."],
                origin: "FirstSeenDetector")
        }
    }
}

private extension String {
    func replacingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : Substring(self)
    }
}
