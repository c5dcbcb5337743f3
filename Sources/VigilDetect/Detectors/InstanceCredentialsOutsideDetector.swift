import VigilCore
import VigilStore

/// EC2 instance-role credentials used from somewhere other than the instance — the footprint of credentials taken
/// from the instance metadata service (SSRF, a compromised host) and replayed elsewhere.
///
/// **Which sessions.** CloudTrail calls by an `AssumedRole` identity whose session name is an instance id
/// (`assumed-role/ROLE/i-0123…`, how EC2 names instance-profile sessions), or whose record has
/// `userIdentity.sessionContext.ec2RoleDelivery` (looked for once per session).
///
/// **Where the instance calls from.** Calls from internal addresses (RFC 1918 and the other ranges of
/// ``AddressScope``) are the instance reaching AWS through a VPC endpoint and are always accepted. Public
/// addresses used during the first `learningPeriod` (10 minutes by default) of event time after the session's
/// first call are learned as the instance's own (its public or elastic IP, its NAT gateway): instances call AWS as
/// soon as they have credentials, and stolen credentials take longer than that to show up elsewhere. Calls whose
/// source is not an address (`ec2.amazonaws.com`, `AWS Internal`: AWS acting on the instance's behalf) are
/// ignored. Flow logs are not used: they record the instance's private address, never the public one a call to a
/// public endpoint comes from, and private addresses are accepted anyway.
///
/// **What is reported.** After the learning period, each call from a public address the session has not
/// learned — the session having been seen calling from another address before — is a high-severity hit, folded
/// per instance. Known false positives: a stop/start that changes the instance's public address, a new NAT
/// gateway; the summary names the addresses the instance was learned with so the responder can compare.
/// Documented limitation: there is no list of AWS's own address ranges, so credentials replayed from another
/// AWS account's instance through *its* public address are caught, but replayed through a VPC endpoint (a
/// private source address) are not.
///
/// **Bounds.** At most `maximumSessions` (50,000) sessions, least recently active evicted first (an evicted
/// session re-learns when it returns); at most 8 learned public addresses per session (later ones are not
/// learned). Symbol caches are emptied when they reach 65,536 entries.
public final class InstanceCredentialsOutsideDetector: Detector {
    public let id = "vigil.credentials.instance-credentials-outside"
    public let template: FindingTemplate
    public let kinds: Set<EventKind> = [.cloudTrail]
    public let learningPeriod: Int64
    static let maximumAddressesPerSession = 8

    private struct Session {
        var firstSeen: Int64
        var learned: [IPAddress] = []
        var calledFromInternal = false
    }

    private enum Source {
        case notAnAddress
        case internalAddress
        case publicAddress(IPAddress)
    }

    /// What the session's ARN says: the role and, when the session is named after it, the instance.
    private struct SessionName {
        var role: String
        var instance: String?
    }

    private var sessions: RecencyTable<UInt32, Session>
    private var sources: [UInt32: Source] = [:]
    /// Principal symbol → the session's name when it is an instance-role session, nil when it is not one.
    private var instanceSessions: [UInt32: SessionName?] = [:]
    private var assumedRoleCodes: [UInt32: Bool] = [:]
    private let cacheLimit = 65_536

    /// - Parameter learningPeriod: event time after a session's first call during which its public addresses are
    ///   learned (milliseconds; 10 minutes by default).
    public init(learningPeriod: Int64 = 10 * 60_000, maximumSessions: Int = 50_000) {
        self.learningPeriod = learningPeriod
        sessions = RecencyTable(capacity: maximumSessions)
        template = FindingTemplate(
            ruleID: id, title: "Instance credentials used outside the instance", severity: .high, source: .detector,
            tactics: ["credential-access", "defense-evasion"], techniques: ["T1552.005", "T1078.004"],
            explanation: "An EC2 instance-role session made API calls from a public address that is not one the instance itself calls from.",
            whyItMatters: "Instance-role credentials are meant to be used only by the instance. Used from elsewhere, they were most likely taken from the instance metadata service (SSRF, a compromised host) and are being replayed with the role's permissions.",
            nextSteps: ["revoke-sessions", "contain-principal", "isolate-instance", "snapshot-instance", "capture-memory",
                        "block-ip", "hunt-related-activity", "preserve-logs"],
            falsePositives: ["The instance's public address changed (stop/start without an elastic IP, a new NAT gateway)."],
            origin: "InstanceCredentialsOutsideDetector")
    }

    public func observe(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        guard isAssumedRole(id, store) else { return }
        let principalSymbol = store.symbol(.principal, of: id)
        guard principalSymbol != 0, let name = sessionName(principalSymbol, id, store) else { return }
        let sourceSymbol = store.symbol(.sourceIP, of: id)
        guard sourceSymbol != 0 else { return }
        let source = classify(sourceSymbol, store)
        if case .notAnAddress = source { return }

        let now = store.time(of: id).milliseconds
        let window = learningPeriod
        let outside: (address: IPAddress, learned: [IPAddress], fromInternal: Bool)? =
            sessions.update(principalSymbol, orInsert: { Session(firstSeen: now) }) { session in
                switch source {
                case .notAnAddress:
                    return nil
                case .internalAddress:
                    session.calledFromInternal = true
                    return nil
                case .publicAddress(let address):
                    if session.learned.contains(address) { return nil }
                    if now - session.firstSeen <= window {
                        if session.learned.count < Self.maximumAddressesPerSession { session.learned.append(address) }
                        return nil
                    }
                    return (address, session.learned, session.calledFromInternal)
                }
            }
        guard let outside else { return }
        var known = outside.learned.map(\.description)
        if outside.fromInternal { known.append("private addresses") }
        let who = name.instance.map { "\($0) (role \(name.role))" } ?? "role \(name.role)"
        let summary = "credentials of \(who) used from \(outside.address); the instance calls from "
            + (known.isEmpty ? "nowhere else seen" : known.joined(separator: ", "))
        let primary = name.instance.map { Entity(.instance, $0) } ?? Entity(.principal, store.symbols[principalSymbol])
        report(DetectorHit(primary: primary, time: Timestamp(milliseconds: now), events: [id], summary: summary))
    }

    private func isAssumedRole(_ id: EventStore.EventID, _ store: EventStore) -> Bool {
        let code = store.symbol(.principalType, of: id)
        guard code != 0 else { return false }
        if let known = assumedRoleCodes[code] { return known }
        let answer = store.value(.principalType, of: id) == Principal.IdentityType.assumedRole.rawValue
        assumedRoleCodes[code] = answer
        return answer
    }

    private func classify(_ symbol: UInt32, _ store: EventStore) -> Source {
        if let known = sources[symbol] { return known }
        let source: Source
        if let address = IPAddress(store.symbols[symbol]) {
            source = AddressScope.isInternal(address) ? .internalAddress : .publicAddress(address)
        } else {
            source = .notAnAddress
        }
        if sources.count >= cacheLimit { sources.removeAll(keepingCapacity: true) }
        sources[symbol] = source
        return source
    }

    /// The session's role and instance when `symbol` is an instance-role session; read once per session ARN.
    private func sessionName(_ symbol: UInt32, _ id: EventStore.EventID, _ store: EventStore) -> SessionName? {
        if let known = instanceSessions[symbol] { return known }
        let arn = store.symbols[symbol]
        var result: SessionName?
        if let parsed = Self.parse(sessionARN: arn) {
            if FlowEntities.isInstanceID(parsed.session) {
                result = SessionName(role: parsed.role, instance: parsed.session)
            } else if Self.hasRoleDelivery(id, store) {
                result = SessionName(role: parsed.role, instance: nil)
            }
        }
        if instanceSessions.count >= cacheLimit { instanceSessions.removeAll(keepingCapacity: true) }
        instanceSessions[symbol] = .some(result)
        return result
    }

    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` → (ROLE, SESSION).
    static func parse(sessionARN arn: String) -> (role: String, session: String)? {
        guard let marker = arn.firstRange(of: ":assumed-role/") else { return nil }
        let rest = arn[marker.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
    }

    private static let roleDeliveryKey = Array("\"ec2RoleDelivery\"".utf8)

    static func hasRoleDelivery(_ id: EventStore.EventID, _ store: EventStore) -> Bool {
        store.withRawBytes(of: id) { ByteSearch.contains($0, roleDeliveryKey) }
    }
}
