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
    /// Wall-clock seconds of each phase of the load: reading, merging the workers' stores, time order, indexes.
    public var phases: [(name: String, seconds: Double)] = []

    public var errorCount: Int { inputErrors.count + diagnostics.count { $0.severity == .error } }
    public var skippedRecords: Int { files.reduce(0) { $0 + $1.skipped } }
}

extension Ingestor {
    /// Reads every input into a new store: events are sorted by time, duplicates dropped, indexes built.
    public static func load(paths: [String], options: IngestOptions = IngestOptions()) -> LoadResult {
        let start = System.monotonic()
        // Each worker fills a store of its own as files are read (no lock on the hot path); the stores are then
        // merged, duplicates across them dropped, and time order restored once.
        let expanded = InputFile.expand(paths)
        let workers = workerCount(options, files: expanded.files.count)
        let shards = (0..<workers).map { _ in
            EventStore(compressRawRecords: options.compressRawRecords, keepsRecordFingerprints: true)
        }
        let shared = Mutex<(diagnostics: [(String, [IngestDiagnostic])], read: Int)>(([], 0))
        let (files, errors, rows) = ingest(expanded: expanded, options: options, rows: true) { worker, report, batch in
            shards[worker].append(batch.events)
            shared.withLock { state in
                state.read += batch.events.count
                if !batch.diagnostics.isEmpty { state.diagnostics.append((report.path, batch.diagnostics)) }
            }
        }
        // Merged even when there is one worker, so that the result never depends on the number of cores
        // (merging also drops findings superseded within a worker).
        var phases: [(String, Double)] = []
        var mark = start
        func phase(_ name: String) {
            let now = System.monotonic()
            phases.append((name, now - mark))
            mark = now
        }
        phase("read")
        let store = EventStore(compressRawRecords: options.compressRawRecords)
        for shard in shards { store.absorb(shard) }
        var read = shared.withLock { $0.read }
        for batch in rows {
            read += batch.count
            store.absorb(batch)
        }
        store.releaseFingerprints()
        phase("merge")
        store.restoreTimeOrder()
        phase("order")
        store.buildIndexes()
        phase("index")
        let perFile = shared.withLock { $0.diagnostics }
        let diagnostics = perFile.sorted { $0.0 < $1.0 }.flatMap { $0.1 }
        return LoadResult(store: store, files: files.sorted { $0.path < $1.path }, inputErrors: errors,
                          diagnostics: diagnostics, eventsRead: read, seconds: System.monotonic() - start, phases: phases)
    }
}
