import Dispatch
import Synchronization
import VigilCore
import VigilDetect
import VigilIngest

/// What detection needs, prepared off the UI thread (rule files are parsed and compiled there).
public struct DetectionSetup: Sendable {
    public var rules: RuleSet
    public var intel: ThreatIntel
    /// Whether the Swift detectors (baselines, flow and DNS analytics) run too.
    public var detectors: Bool
    /// Problems to log (rules that did not compile, bad threat-list lines).
    public var problems: [String]

    public init(rules: RuleSet, intel: ThreatIntel = ThreatIntel(), detectors: Bool = true, problems: [String] = []) {
        self.rules = rules
        self.intel = intel
        self.detectors = detectors
        self.problems = problems
    }
}

/// The hand-over point between background readers and the UI thread, which owns the store.
///
/// Readers push one `IngestBatch` per file (or per chunk of a large file) and progress counts; the UI takes
/// batches on its input-timeout tick. The lock is held only to move arrays, never while reading or storing.
final class IngestFeed: Sendable {
    struct Progress: Equatable, Sendable {
        var filesTotal = 0
        var filesDone = 0
        var eventsRead = 0
        /// The first pass over the inputs is over (following may go on).
        var initialDone = false
        var following = false
        /// Standard input reached its end, or following stopped.
        var ended = false
        var failure: String?
    }

    private struct State {
        var batches: [IngestBatch] = []
        var queuedEvents = 0
        var progress = Progress()
        var setup: DetectionSetup?
        var stopped = false
    }

    private let state = Mutex(State())

    init() {}

    func push(_ batch: IngestBatch, fileDone: Bool) {
        state.withLock { s in
            s.progress.eventsRead += batch.events.count
            if fileDone { s.progress.filesDone += 1 }
            guard !batch.events.isEmpty || !batch.diagnostics.isEmpty else { return }
            s.batches.append(batch)
            s.queuedEvents += batch.events.count
        }
    }

    func update(_ change: (inout Progress) -> Void) {
        state.withLock { change(&$0.progress) }
    }

    func provide(_ setup: DetectionSetup) {
        state.withLock { $0.setup = setup }
    }

    /// Takes queued batches up to about `maxEvents` events (at least one batch), the progress, and the detection
    /// setup once it is ready (handed over once).
    func take(maxEvents: Int) -> (batches: [IngestBatch], queuedAfter: Int, progress: Progress, setup: DetectionSetup?) {
        state.withLock { s in
            var taken: [IngestBatch] = []
            var events = 0
            while !s.batches.isEmpty, taken.isEmpty || events + s.batches[0].events.count <= maxEvents {
                let batch = s.batches.removeFirst()
                events += batch.events.count
                taken.append(batch)
            }
            s.queuedEvents -= events
            let setup = s.setup
            s.setup = nil
            return (taken, s.batches.count, s.progress, setup)
        }
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    func stop() { state.withLock { $0.stopped = true } }
}

/// Reads the inputs on background threads into an `IngestFeed`: the files once (in parallel), then, when
/// following, whatever is appended to them (or arrives on standard input).
enum IngestLoader {
    struct Request: Sendable {
        var paths: [String]
        var options: IngestOptions
        var follow: Bool
        /// Seconds between looks at followed files.
        var interval: Double
    }

    static func start(_ request: Request, feed: IngestFeed, prepareDetection: @escaping @Sendable () -> DetectionSetup) {
        DispatchQueue.global(qos: .userInitiated).async {
            feed.provide(prepareDetection())
        }
        DispatchQueue.global(qos: .userInitiated).async {
            read(request, feed: feed)
        }
    }

    private static func read(_ request: Request, feed: IngestFeed) {
        let readsStandardInput = request.paths == ["-"]
        if readsStandardInput {
            feed.update { $0.initialDone = true; $0.following = true }
            var follower = StreamFollower(fd: 0, options: request.options)
            while !feed.isStopped, let batch = follower.next() { feed.push(batch, fileDone: false) }
            feed.update { $0.ended = true }
            return
        }
        let files = request.paths.filter { $0 != "-" }
        let tail = request.follow ? LiveTail(paths: files, options: request.options) : nil
        // Marked before the first read, so that nothing appended while it runs is missed (a record read twice is
        // dropped by the store as a duplicate).
        tail?.skipExisting()
        let expanded = InputFile.expand(files)
        feed.update { $0.filesTotal = expanded.files.count; $0.following = request.follow }
        var errors = IngestBatch()
        for error in expanded.errors { errors.error(error.path, error.message) }
        if !errors.diagnostics.isEmpty { feed.push(errors, fileDone: false) }
        _ = Ingestor.ingest(paths: expanded.files, options: request.options) { _, report, batch in
            // A file's last delivery carries its report; earlier ones (chunks of a large file) carry events only.
            let last = report.storedBytes > 0 || report.format != .unknown || !batch.diagnostics.isEmpty
            feed.push(batch, fileDone: last)
        }
        feed.update { $0.filesDone = $0.filesTotal; $0.initialDone = true }
        guard let tail else { return }
        while !feed.isStopped {
            System.sleep(seconds: request.interval)
            let batch = tail.poll()
            if !batch.events.isEmpty || !batch.diagnostics.isEmpty { feed.push(batch, fileDone: false) }
        }
    }
}
