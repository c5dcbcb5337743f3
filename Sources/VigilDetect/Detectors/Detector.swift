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
    /// Looks at a run of events in time order, other kinds included; calls `report` with the index in `ids` of
    /// the event behind each hit. Must report what ``observe(_:in:report:)`` would, event by event.
    func observe(_ ids: ArraySlice<EventStore.EventID>, in store: EventStore, report: (Int, DetectorHit) -> Void)
    /// How many parts the detector's state splits into that never touch each other (1 by default). The engine
    /// runs each part of a run on a core of its own, then merges their hits by event, part 0 first.
    var parts: Int { get }
    /// Looks at a run of events for one part only; with one part, the same as ``observe(_:in:report:)``.
    func observe(_ ids: ArraySlice<EventStore.EventID>, part: Int, in store: EventStore, report: (Int, DetectorHit) -> Void)
}

extension Detector {
    public var parts: Int { 1 }

    public func observe(_ ids: ArraySlice<EventStore.EventID>, part: Int, in store: EventStore, report: (Int, DetectorHit) -> Void) {
        observe(ids, in: store, report: report)
    }

    /// Asks ``observe(_:in:report:)`` about each event of the detector's kinds.
    public func observe(_ ids: ArraySlice<EventStore.EventID>, in store: EventStore, report: (Int, DetectorHit) -> Void) {
        let wanted = EventKind.allCases.map { kinds.contains($0) }
        store.withColumnReader { reader in
            for position in ids.indices {
                let id = ids[position]
                guard wanted[Int(reader.kind(of: id).rawValue)] else { continue }
                observe(id, in: store) { report(position, $0) }
            }
        }
    }
}

/// A detector that looks at every flow record, and reads them through a ``ColumnReader`` (an order of magnitude
/// cheaper than the store's methods when called millions of times).
public protocol FlowDetector: Detector {
    /// Looks at one flow record.
    func observeFlow(_ id: EventStore.EventID, _ flows: ColumnReader, in store: EventStore, report: (DetectorHit) -> Void)
    /// Looks at an event of the detector's other kinds (by default: nothing to do).
    func observeOther(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void)
}

extension FlowDetector {
    public func observeOther(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {}

    public func observe(_ id: EventStore.EventID, in store: EventStore, report: (DetectorHit) -> Void) {
        guard store.kind(of: id) == .flow else {
            if kinds.contains(store.kind(of: id)) { observeOther(id, in: store, report: report) }
            return
        }
        store.withColumnReader { observeFlow(id, $0, in: store, report: report) }
    }

    public func observe(_ ids: ArraySlice<EventStore.EventID>, in store: EventStore, report: (Int, DetectorHit) -> Void) {
        let wanted = EventKind.allCases.map { $0 != .flow && kinds.contains($0) }
        let wantsFlows = kinds.contains(.flow)
        store.withColumnReader { flows in
            for position in ids.indices {
                let id = ids[position]
                if flows.isFlow(id) {
                    guard wantsFlows else { continue }
                    observeFlow(id, flows, in: store) { report(position, $0) }
                } else if wanted[Int(flows.kind(of: id).rawValue)] {
                    observeOther(id, in: store) { report(position, $0) }
                }
            }
        }
    }
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
