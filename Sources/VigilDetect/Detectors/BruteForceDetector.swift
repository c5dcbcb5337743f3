import VigilCore
import VigilStore

/// SSH and RDP brute force, from flow logs and from sshd's auth log, and the login that may follow it.
///
/// One instance reports one ``Stage`` under its own rule id, because a burst of attempts and a likely successful
/// break-in are different findings with different severities (and the engine folds hits of one rule on one
/// entity): `.attempts` is `vigil.network.brute-force` (medium), `.success` is
/// `vigil.network.brute-force-success` (high). Both fold on the attacking address.
///
/// **Flow logs** (ports 22 and 3389, the client → server half): an *attempt* is a REJECT, or an ACCEPT with fewer
/// than 40 packets and under 10 KB from the client — a failed SSH password exchange is some 15–30 packets and
/// 1–5 KB; a *session* is an ACCEPT with at least 40 packets or 10 KB. Records without packet and byte counts
/// only count when rejected. Attempts are counted per (source, destination, port): a brute force hammers one
/// host, while a sweep touching port 22 once on many hosts is reconnaissance, not guessing.
/// - attempts: `flowAttempts` (20) attempts within `flowWindow` (10 minutes) → a hit with those flows as
///   evidence; counting then starts afresh (the finding's count is the number of attempts in such bursts).
/// - success: a session from the same source to the same destination and port within `successWindow`
///   (1 hour) after such a burst → a hit (once per client port, i.e. per connection).
///
/// **sshd** (per source address and host): failures are `Failed <method>` lines (except `Failed none`, which
/// clients send routinely before their real method) and `Invalid user` lines — one guess at an unknown user
/// can log both, so the count is of failure lines.
/// - attempts: `loginFailures` (10) failures within `flowWindow` (10 minutes) → a hit, then afresh.
/// - success: an `Accepted …` login from an address with at least `loginFailures` failures on that host in the
///   preceding `successWindow` (1 hour) → a hit whose evidence is the accepted login and the failures.
///
/// **Bounds.** Per key a ring of the last 20 (flows) or 10 (sshd) attempts; at most `maximumKeys` (50,000) keys
/// of each kind, least recently active evicted first; keys idle for longer than `successWindow` are swept every
/// 10 minutes of event time. At most about 400 bytes per key (20 MB per table when full).
public final class BruteForceDetector: FlowDetector {
    public enum Stage: Sendable {
        /// Many attempts in a short time (medium).
        case attempts
        /// Attempts followed by an accepted session or login (high).
        case success
    }

    public let id: String
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.flow, .auth]
    public let stage: Stage
    public let flowAttempts: Int
    public let loginFailures: Int
    public let flowWindow: Int64
    public let successWindow: Int64

    static let sessionPackets: Int64 = 40
    static let sessionBytes: Int64 = 10_000

    /// Source and destination as the store's interned address symbols, and the port; hashed as one word.
    private struct FlowTarget: RecencyKey {
        var addresses: UInt64
        var port: UInt16

        var mixedBits: UInt64 { addresses ^ UInt64(port) &* 0x9E37_79B9_7F4A_7C15 }
    }

    private struct Attempts {
        var recent: RecentEvents
        /// When the last burst (threshold reached within the window) ended.
        var lastBurst: Int64?
        /// Failures or attempts since the streak began (a gap longer than the success window ends a streak).
        var streak = 0
        var lastAttempt: Int64?
        /// Client port of the last session reported, so one connection's many flow records report once.
        var reportedPort: Int?

        init(capacity: Int) { recent = RecentEvents(capacity: capacity) }
    }

    private enum AuthOutcome { case failure, accepted, other }

    private var flowTargets: RecencyTable<FlowTarget, Attempts>
    private var logins: RecencyTable<UInt64, Attempts>
    private var authOutcomes: [UInt32: AuthOutcome] = [:]
    private var sweep = SweepSchedule(every: 10 * 60_000)

    public init(stage: Stage, flowAttempts: Int = 20, loginFailures: Int = 10, flowWindow: Int64 = 10 * 60_000,
                successWindow: Int64 = 3_600_000, maximumKeys: Int = 50_000) {
        self.stage = stage
        self.flowAttempts = flowAttempts
        self.loginFailures = loginFailures
        self.flowWindow = flowWindow
        self.successWindow = successWindow
        flowTargets = RecencyTable(capacity: maximumKeys)
        logins = RecencyTable(capacity: maximumKeys)
        switch stage {
        case .attempts:
            id = "vigil.network.brute-force"
            template = FindingTemplate(
                ruleID: id, title: "SSH/RDP brute force", severity: .medium, source: .detector,
                tactics: ["credential-access"], techniques: ["T1110.001", "T1110"],
                explanation: "One address made many short or rejected SSH/RDP connections to a host, or failed many sshd logins, within minutes.",
                whyItMatters: "Password guessing against an exposed SSH or RDP port. On its own it is internet background noise; it matters when the host accepts passwords, or when the same address later gets in.",
                nextSteps: ["block-ip", "review-security-groups", "hunt-related-activity"],
                falsePositives: ["A misconfigured client or monitoring probe retrying with a stale password; a vulnerability scanner you run."],
                origin: "BruteForceDetector")
        case .success:
            id = "vigil.network.brute-force-success"
            template = FindingTemplate(
                ruleID: id, title: "Possible successful SSH/RDP brute force", severity: .high, source: .detector,
                tactics: ["credential-access", "initial-access"], techniques: ["T1110.001", "T1078.003"],
                explanation: "An address that had just failed many SSH/RDP attempts against a host then logged in, or held a longer session, on the same host.",
                whyItMatters: "A guessed password gives the attacker a shell on the host: everything the host can reach and every credential it holds (instance role, keys, secrets in files) must be treated as exposed.",
                nextSteps: ["isolate-instance", "snapshot-instance", "capture-memory", "block-ip", "rotate-credentials",
                            "review-security-groups", "hunt-related-activity", "preserve-logs"],
                falsePositives: ["A user who mistyped their password many times before getting it right."],
                origin: "BruteForceDetector")
        }
    }

    public func observeOther(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        let now = store.time(of: id).milliseconds
        if sweep.isDue(now) { sweepIdle(now) }
        if store.kind(of: id) == .auth { observeLogin(id, now, store, report) }
    }

    // MARK: Flow logs

    public func observeFlow(_ id: EventStore.EventID, _ flows: ColumnReader, in store: EventStore, report: (DetectorHit) -> Void) {
        let now = flows.time(of: id)
        if sweep.isDue(now) { sweepIdle(now) }
        // The port alone rules out most flows: read it from its column before the whole row.
        guard let port = flows.ports(of: id).destination, port == 22 || port == 3389 else { return }
        let flow = flows.numbers(of: id)
        guard flow.status == .ok,
              let clientPort = flow.sourcePortValue, clientPort >= 1024,
              let source = flow.sourceAddress, let destination = flow.destinationAddress else { return }
        let isSession: Bool
        switch flow.action {
        case .reject:
            isSession = false
        case .accept:
            guard let packets = flow.packetsValue, let bytes = flow.bytesValue else { return }
            isSession = packets >= Self.sessionPackets || bytes >= Self.sessionBytes
        case .none:
            return
        }
        let sourceSymbol = flows.sourceSymbol(of: id), destinationSymbol = flows.destinationSymbol(of: id)
        let key = FlowTarget(addresses: UInt64(sourceSymbol) << 32 | UInt64(destinationSymbol), port: UInt16(port))
        let (threshold, window, successWindow, stage) = (flowAttempts, flowWindow, self.successWindow, self.stage)
        if isSession {
            guard stage == .success else { return }
            let evidence: [UInt32]? = flowTargets.updateIfPresent(key) { a in
                guard let burst = a.lastBurst, now - burst <= successWindow, a.reportedPort != clientPort else { return nil }
                a.reportedPort = clientPort
                return a.recent.eventIDs
            } ?? nil
            guard let evidence else { return }
            let size = "\(flow.packetsValue ?? 0) packets, \(DetectorText.bytes(flow.bytesValue ?? 0))"
            report(DetectorHit(primary: Entity(.sourceIP, source.description), time: Timestamp(milliseconds: now),
                               events: [id] + evidence, count: 1,
                               summary: "after a burst of short or rejected connections, \(source) held a session to \(destination):\(port) (\(size))"))
            return
        }
        let burst: [UInt32]? = flowTargets.update(key, orInsert: { Attempts(capacity: threshold) }) { a in
            a.recent.append(time: now, id: id)
            guard a.recent.isFull(within: window, of: now) else { return nil }
            a.lastBurst = now
            a.reportedPort = nil
            let ids = a.recent.eventIDs
            if stage == .attempts { a.recent.removeAll() }
            return ids
        }
        guard stage == .attempts, let burst else { return }
        let first = flows.time(of: burst[0])
        report(DetectorHit(primary: Entity(.sourceIP, source.description), time: Timestamp(milliseconds: first),
                           lastTime: Timestamp(milliseconds: now), events: burst, count: burst.count,
                           summary: "\(burst.count) short or rejected connections from \(source) to \(destination):\(port) within \(DetectorText.duration(milliseconds: now - first))"))
    }

    // MARK: sshd

    private func observeLogin(_ id: EventStore.EventID, _ now: Int64, _ store: EventStore, _ report: (DetectorHit) -> Void) {
        let outcome = authOutcome(store.symbol(.action, of: id), store)
        guard outcome != .other else { return }
        let sourceSymbol = store.symbol(.sourceIP, of: id)
        guard sourceSymbol != 0 else { return }
        let host = store.symbol(.resource, of: id)
        let key = UInt64(sourceSymbol) << 32 | UInt64(host)
        let (threshold, window, successWindow, stage) = (loginFailures, flowWindow, self.successWindow, self.stage)

        if outcome == .accepted {
            guard stage == .success else { return }
            let prior: (ids: [UInt32], streak: Int)? = logins.updateIfPresent(key) { a in
                guard a.recent.isFull(within: successWindow, of: now) else { return nil }
                return (a.recent.eventIDs, a.streak)
            } ?? nil
            guard let prior else { return }
            let user = store.value(.user, of: id) ?? "?"
            let hostName = store.value(.resource, of: id) ?? "?"
            let source = store.symbols[sourceSymbol]
            let method = store.auth(of: id)?.method ?? "login"
            let summary = "\(method) login accepted for \(TextSanitizer.sanitize(user)) on \(TextSanitizer.sanitize(hostName)) from \(source) "
                + "after \(prior.streak) failures (at least \(threshold) in the hour before)"
            report(DetectorHit(primary: Entity(.sourceIP, Self.canonical(source)), time: Timestamp(milliseconds: now),
                               events: [id] + prior.ids, count: 1, summary: summary))
            return
        }
        let burst: [UInt32]? = logins.update(key, orInsert: { Attempts(capacity: threshold) }) { a in
            if let last = a.lastAttempt, now - last > successWindow { a.streak = 0 }
            a.streak += 1
            a.lastAttempt = now
            a.recent.append(time: now, id: id)
            guard stage == .attempts, a.recent.isFull(within: window, of: now) else { return nil }
            let ids = a.recent.eventIDs
            a.recent.removeAll()
            return ids
        }
        guard let burst else { return }
        let first = store.time(of: burst[0]).milliseconds
        let source = store.symbols[sourceSymbol]
        let hostName = store.value(.resource, of: id) ?? "?"
        report(DetectorHit(primary: Entity(.sourceIP, Self.canonical(source)), time: Timestamp(milliseconds: first),
                           lastTime: Timestamp(milliseconds: now), events: burst, count: burst.count,
                           summary: "\(burst.count) failed sshd logins from \(source) on \(TextSanitizer.sanitize(hostName)) within \(DetectorText.duration(milliseconds: now - first))"))
    }

    private func authOutcome(_ action: UInt32, _ store: EventStore) -> AuthOutcome {
        if let known = authOutcomes[action] { return known }
        let name = action == 0 ? "" : store.symbols[action]
        let outcome: AuthOutcome
        if name.hasPrefix("Accepted") {
            outcome = .accepted
        } else if (name.hasPrefix("Failed") && name != "FailedNone") || name == "InvalidUser" {
            outcome = .failure
        } else {
            outcome = .other
        }
        // Action names are a small fixed vocabulary; the cache cannot grow past it by much.
        if authOutcomes.count < 4096 { authOutcomes[action] = outcome }
        return outcome
    }

    /// The address as flow findings spell it, so sshd and flow hits on one attacker fold together.
    static func canonical(_ text: String) -> String {
        IPAddress(text)?.description ?? text
    }

    private func sweepIdle(_ now: Int64) {
        let keep = successWindow
        func isOld(_ time: Int64?) -> Bool { time.map { now - $0 > keep } ?? true }
        flowTargets.removeAll { isOld($0.recent.newestTime) && isOld($0.lastBurst) }
        logins.removeAll { isOld($0.lastAttempt) }
    }
}
