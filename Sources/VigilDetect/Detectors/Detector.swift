import VigilCore
import VigilStore

/// A detection that Sigma cannot express (baselines, flow analytics, DNS analytics), written in Swift.
///
/// The engine calls ``observe(_:in:report:)`` for every event of the detector's kinds, in event-time order.
/// Detectors keep bounded state (windows expire, sets are capped) so a long live session does not grow without
/// limit, and they must give the same results whether events arrive at once or in pieces.
public protocol Detector: AnyObject {
    /// A stable id (`vigil.flow.port-scan`).
    var id: String { get }
    /// What the detector's findings share (title, severity, ATT&CK, guidance).
    var template: FindingTemplate { get }
    /// The kinds of event it looks at.
    var kinds: Set<EventKind> { get }
    /// Looks at one event; calls `report` for each hit.
    func observe(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void)
}

/// One hit of a detector: an entity, when, the evidence, and optionally a more specific severity or title.
public struct DetectorHit: Sendable {
    public var primary: Entity
    public var time: Timestamp
    public var lastTime: Timestamp?
    public var events: [EventStore.EventID]
    public var count: Int
    public var summary: String?
    public var severity: Severity?

    public init(primary: Entity, time: Timestamp, lastTime: Timestamp? = nil, events: [EventStore.EventID], count: Int? = nil,
                summary: String? = nil, severity: Severity? = nil) {
        self.primary = primary
        self.time = time
        self.lastTime = lastTime
        self.events = events
        self.count = count ?? events.count
        self.summary = summary
        self.severity = severity
    }
}
