import VigilCore

/// One event in a line: who did what to what, how it went and from where (the CLI's table and the console's
/// timeline both use it).
///
/// Values are raw log text; they are sanitised where they are drawn or exported.
public struct EventSummary: Equatable, Sendable {
    public var time: Timestamp
    public var kind: EventKind
    public var actor: String
    public var action: String
    public var target: String
    public var outcome: String
    public var succeeded: Bool
    public var source: String

    public init(_ store: EventStore, _ id: EventStore.EventID) {
        let kind = store.kind(of: id)
        var actor = store.value(.user, of: id) ?? store.value(.principal, of: id) ?? ""
        var action = store.value(.action, of: id) ?? ""
        var target = store.resources(of: id).first ?? ""
        var source = store.value(.sourceIP, of: id) ?? ""
        switch kind {
        case .flow:
            if let flow = store.flow(of: id) {
                source = flow.sourceAddress.map { "\($0)" + (flow.sourcePort.map { ":\($0)" } ?? "") } ?? source
                target = flow.destinationAddress.map { "\($0)" + (flow.destinationPort.map { ":\($0)" } ?? "") } ?? ""
                actor = store.resources(of: id).first ?? ""
                if let bytes = flow.bytes { action += " \(bytes)B" }
            }
        case .finding:
            if let finding = store.finding(of: id) { action = "[\(finding.severity)] " + finding.type }
        case .dns:
            if let dns = store.dns(of: id) {
                target = dns.queryName
                action = "DNS " + action
            }
        case .auth, .cloudTrail:
            break
        }
        if actor.isEmpty { actor = "-" }
        self.time = store.time(of: id)
        self.kind = kind
        self.actor = actor
        self.action = action
        self.target = target
        self.succeeded = store.isSuccess(id)
        self.outcome = succeeded ? "ok" : (store.value(.errorCode, of: id) ?? "failed")
        self.source = source
    }

    /// Everything searchable in the row, for `/` search in the timeline.
    public var searchText: String { [actor, action, target, outcome, source].joined(separator: " ") }
}
