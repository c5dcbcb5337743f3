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
        // Files are read on all cores; each file's records come back as rows built from the bytes (CloudTrail,
        // flow logs) and events (the other formats). They are merged in file order, so that which copy of a
        // duplicated record is kept never depends on timing or the number of cores: the first, by path.
        let expanded = InputFile.expand(paths)
        let perFile = Mutex([FileRecords](repeating: FileRecords(), count: expanded.files.count))
        let (files, errors) = ingest(expanded: expanded, options: options, rows: true) { _, index, _, batch in
            perFile.withLock { all in
                if !batch.events.isEmpty { all[index].events.append(batch.events) }
                if let rows = batch.rows { all[index].rows = rows }
                all[index].diagnostics += batch.diagnostics
            }
        }
        var phases: [(String, Double)] = []
        var mark = start
        func phase(_ name: String) {
            let now = System.monotonic()
            phases.append((name, now - mark))
            mark = now
        }
        phase("read")
        let store = EventStore(compressRawRecords: options.compressRawRecords)
        var read = 0
        var diagnostics: [IngestDiagnostic] = []
        var records = perFile.withLock { all in
            defer { all = [] }
            return all
        }
        // Files that all came as rows are merged straight into time order (one copy of each column); a mix
        // with events is appended file by file, then put in order.
        if records.allSatisfy({ $0.events.isEmpty }) {
            var batches: [EventRows] = []
            for k in records.indices {
                if let rows = records[k].rows {
                    read += rows.count
                    batches.append(rows)
                }
                diagnostics += records[k].diagnostics
            }
            records = []
            store.absorbInTimeOrder(consume batches)
        }
        var maps: [ObjectIdentifier: RowSymbolMap] = [:]
        for k in records.indices {
            // Taken out of the list, so each file's memory goes as soon as it is merged.
            let file = records[k]
            records[k] = FileRecords()
            for events in file.events {
                read += events.count
                store.append(events)
            }
            if let rows = file.rows {
                read += rows.count
                store.absorb(rows, map: &maps[ObjectIdentifier(rows.symbols), default: RowSymbolMap()])
            }
            diagnostics += file.diagnostics
        }
        phase("merge")
        store.restoreTimeOrder()
        phase("order")
        store.buildIndexes()
        phase("index")
        return LoadResult(store: store, files: files.sorted { $0.path < $1.path }, inputErrors: errors,
                          diagnostics: diagnostics, eventsRead: read, seconds: System.monotonic() - start, phases: phases)
    }
}

/// What one file gave a load: its events (in the batches they were delivered in), rows and diagnostics.
private struct FileRecords: Sendable {
    var events: [[Event]] = []
    var rows: EventRows?
    var diagnostics: [IngestDiagnostic] = []
}
