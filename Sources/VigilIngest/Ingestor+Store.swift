import Synchronization
import VigilCore
import VigilStore

/// The outcome of loading inputs into a store.
public struct LoadResult: Sendable {
    public var store: EventStore
    public var files: [FileReport]
    public var inputErrors: [InputError]
    /// Every diagnostic, in input order (files sorted by path, then position in the file).
    public var diagnostics: [IngestDiagnostic]
    /// Events read before duplicates were dropped.
    public var eventsRead: Int
    public var seconds: Double

    public var errorCount: Int { inputErrors.count + diagnostics.count { $0.severity == .error } }
    public var skippedRecords: Int { files.reduce(0) { $0 + $1.skipped } }
}

extension Ingestor {
    /// Reads every input into a new store: events are sorted by time, duplicates dropped, indexes built.
    public static func load(paths: [String], options: IngestOptions = IngestOptions()) -> LoadResult {
        let start = System.monotonic()
        let collected = Mutex<[(String, IngestBatch)]>([])
        let (files, errors) = ingest(paths: paths, options: options) { report, batch in
            collected.withLock { $0.append((report.path, batch)) }
        }
        var batches = collected.withLock { $0 }
        batches.sort { $0.0 < $1.0 }
        var events: [Event] = []
        events.reserveCapacity(batches.reduce(0) { $0 + $1.1.events.count })
        var diagnostics: [IngestDiagnostic] = []
        for (_, batch) in batches {
            events.append(contentsOf: batch.events)
            diagnostics.append(contentsOf: batch.diagnostics)
        }
        let read = events.count
        let store = EventStore()
        store.append(events)
        events = []
        store.buildIndexes()
        return LoadResult(store: store, files: files.sorted { $0.path < $1.path }, inputErrors: errors,
                          diagnostics: diagnostics, eventsRead: read, seconds: System.monotonic() - start)
    }
}
