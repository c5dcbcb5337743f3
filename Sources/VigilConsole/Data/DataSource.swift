import VigilCore
import VigilDetect
import VigilIngest
import VigilStore

/// The console's data: the store, the detection engine, the time-ordered index and view caches.
///
/// Owned by the UI thread (the store is not thread-safe). Background readers fill an `IngestFeed`; `poll`
/// moves their batches into the store on the input-timeout tick and runs detection in time-boxed slices, so
/// the UI answers keys while a large load is still arriving.
final class DataSource {
    typealias EventID = EventStore.EventID

    let store: EventStore
    let timeline: TimelineIndex
    private(set) var engine: DetectionEngine?
    /// Findings in report order (severity, then time).
    private(set) var findings: [Finding] = []
    /// Changes whenever `findings` does.
    private(set) var findingsRevision = 0
    private(set) var status: IngestStatus
    let caches = ViewCaches()
    /// Diagnostics and problems to be logged (taken by the runtime).
    var pendingLog: [String] = []

    private let feed: IngestFeed?
    private var phase: DetectionPhase
    private var engineRevision = -1
    private var rateSamples: [(time: Double, events: Int)] = []
    private var storedEvents = 0

    private enum DetectionPhase {
        /// Waiting for the first pass over the inputs, or for the rules.
        case waiting
        /// Running over the events loaded so far, in time order; rows from `rowLimit` on arrived meanwhile.
        case catchingUp(ids: [EventID], next: Int, rowLimit: Int, later: [[EventID]])
        /// Every event is checked as it arrives.
        case live
    }

    /// Data that is already loaded (tests, benchmarks): the engine has processed the store, or is nil.
    init(store: EventStore, engine: DetectionEngine?) {
        self.store = store
        self.timeline = TimelineIndex(store: store)
        self.engine = engine
        self.feed = nil
        self.phase = .live
        self.status = IngestStatus(phase: .idle, eventsRead: store.count)
        refreshFindings()
    }

    /// Data that is already loaded, with findings computed elsewhere (tests share one detection run).
    convenience init(store: EventStore, findings: [Finding]) {
        self.init(store: store, engine: nil)
        self.findings = findings
        findingsRevision += 1
    }

    /// Data arriving from background readers through `feed`.
    init(feed: IngestFeed, compressRawRecords: Bool = false) {
        self.store = EventStore(compressRawRecords: compressRawRecords)
        self.timeline = TimelineIndex(store: store)
        self.feed = feed
        self.phase = .waiting
        self.status = IngestStatus(phase: .loading)
    }

    /// Whether more work is pending (the runtime polls more often meanwhile).
    var isBusy: Bool {
        switch phase {
        case .waiting, .catchingUp: return true
        case .live: return status.phase == .loading
        }
    }

    // MARK: - Polling

    /// Moves queued batches into the store and runs detection for up to about `budget` seconds.
    func poll(budget: Double, now: Double = System.monotonic()) -> DataChange {
        var change = DataChange()
        let before = status
        if let feed {
            let taken = feed.take(maxEvents: 50_000)
            if let setup = taken.setup { installEngine(setup) }
            if !taken.batches.isEmpty { change.eventsAdded = absorb(taken.batches) }
            updateStatus(taken.progress, queued: taken.queuedAfter, now: now)
            if case .waiting = phase, taken.progress.initialDone, taken.queuedAfter == 0, engine != nil {
                phase = .catchingUp(ids: timeline.ordered, next: 0, rowLimit: store.rowCount, later: [])
            }
        }
        runDetection(until: now + budget)
        if feed != nil { updateStatus(nil, queued: 0, now: now) }
        change.findingsChanged = refreshFindings()
        change.statusChanged = status != before
        return change
    }

    private func installEngine(_ setup: DetectionSetup) {
        let detectors = setup.detectors ? StandardDetectors.make(intel: setup.intel) : []
        engine = DetectionEngine(store: store, rules: setup.rules, detectors: detectors, intel: setup.intel)
        pendingLog.append(contentsOf: setup.problems)
    }

    /// Appends the batches' events in one go (the store sorts them) and indexes the new rows.
    private func absorb(_ batches: [IngestBatch]) -> Int {
        var events: [Event] = []
        events.reserveCapacity(batches.reduce(0) { $0 + $1.events.count })
        for batch in batches {
            events.append(contentsOf: batch.events)
            for d in batch.diagnostics {
                switch d.severity {
                case .error: status.errors += 1
                case .warning: status.warnings += 1
                case .note: break
                }
                pendingLog.append(d.description)
            }
        }
        let firstRow = store.rowCount
        let supersededBefore = store.superseded.count
        store.append(events)
        let newIDs = (firstRow..<store.rowCount).map { EventID($0) }
        timeline.append(newIDs, supersededChanged: store.superseded.count != supersededBefore)
        caches.dataChanged()
        storedEvents += newIDs.count
        switch phase {
        case .live: engine?.process(newIDs)
        case .catchingUp(let ids, let next, let limit, var later):
            later.append(newIDs)
            phase = .catchingUp(ids: ids, next: next, rowLimit: limit, later: later)
        case .waiting: break
        }
        return newIDs.count
    }

    /// Runs detection over the catch-up list in slices until the deadline.
    private func runDetection(until deadline: Double) {
        guard case .catchingUp(let ids, var next, let limit, let later) = phase, let engine else { return }
        let slice = 2_000
        while next < ids.count {
            let end = min(ids.count, next + slice)
            engine.process(Array(ids[next..<end]))
            next = end
            if System.monotonic() >= deadline { break }
        }
        if next < ids.count {
            phase = .catchingUp(ids: ids, next: next, rowLimit: limit, later: later)
            return
        }
        for chunk in later { engine.process(chunk) }
        phase = .live
    }

    @discardableResult
    private func refreshFindings() -> Bool {
        guard let engine, engine.revision != engineRevision else { return false }
        engineRevision = engine.revision
        findings = engine.findings
        findingsRevision += 1
        caches.findingsChanged()
        return true
    }

    private func updateStatus(_ progress: IngestFeed.Progress?, queued: Int, now: Double) {
        if let progress {
            status.filesDone = progress.filesDone
            status.filesTotal = progress.filesTotal
            status.eventsRead = progress.eventsRead
            rateSamples.append((now, storedEvents))
            rateSamples.removeAll { now - $0.time > 3 }
            if let first = rateSamples.first, now - first.time > 0.2 {
                status.rate = Double(storedEvents - first.events) / (now - first.time)
            } else if rateSamples.count <= 1 {
                status.rate = 0
            }
            following = progress.following && !progress.ended
            initialDone = progress.initialDone && queued == 0
        }
        switch phase {
        case .waiting: status.phase = initialDone ? .detecting(percent: 0) : .loading
        case .catchingUp(let ids, let next, _, _):
            status.phase = .detecting(percent: ids.isEmpty ? 100 : next * 100 / ids.count)
        case .live: status.phase = !initialDone ? .loading : (following ? .live : .idle)
        }
    }

    private var following = false
    private var initialDone = false
}
