import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import VigilCore
import VigilStore

/// Settings for one ingestion run.
public struct IngestOptions: Sendable {
    /// The year to assume for syslog timestamps that carry none (sshd logs); inferred from file times when nil.
    public var year: Int?
    /// Stop at the first error instead of skipping the bad record.
    public var strict: Bool
    /// How many files are read at once.
    public var concurrency: Int
    /// Keep raw records compressed in the store (for loads larger than memory would otherwise allow).
    public var compressRawRecords: Bool

    public init(year: Int? = nil, strict: Bool = false, concurrency: Int = 0, compressRawRecords: Bool = false) {
        self.year = year
        self.strict = strict
        self.concurrency = concurrency
        self.compressRawRecords = compressRawRecords
    }
}

/// What was read from one input file.
public struct FileReport: Sendable {
    public var path: String
    public var format: LogFormat
    /// The format inside a container (CloudWatch Logs export of flow logs, say), when there was one.
    public var innerFormat: LogFormat?
    public var compressed: Bool
    /// Bytes on disk, and after decompression.
    public var storedBytes: Int
    public var decodedBytes: Int
    public var events: Int
    public var skipped: Int
    public var ignored: Int
    public var errors: Int
    public var warnings: Int
}

/// Reads files, folders and standard input into events, sniffing each file's format from its content.
public enum Ingestor {
    /// Reads every input, handing each file's events to `deliver` as soon as they are read. Files are read in
    /// parallel by `workers` workers; `deliver` receives the worker's index, and is called concurrently for different
    /// workers but one call at a time for any one worker (so per-worker state needs no lock). A file's last call
    /// carries its report and diagnostics; large line-oriented files make earlier calls with events only.
    /// Returns the per-file reports and whole-input errors.
    public static func ingest(paths: [String], options: IngestOptions = IngestOptions(),
                              deliver: @escaping @Sendable (_ worker: Int, FileReport, IngestBatch) -> Void) -> (files: [FileReport], errors: [InputError]) {
        ingest(expanded: InputFile.expand(paths), options: options) { worker, _, report, batch in
            deliver(worker, report, batch)
        }
    }

    /// `ingest(paths:)` for inputs already expanded into files (by `InputFile.expand`). `deliver` also receives
    /// the file's index in `expanded.files`.
    ///
    /// With `rows`, each file's CloudTrail and flow-log records are built straight from the bytes into an
    /// ``EventRows`` that arrives, whole, in the file's last batch (the store's fast path).
    static func ingest(expanded: (files: [String], errors: [InputError]), options: IngestOptions, rows: Bool = false,
                       deliver: @escaping @Sendable (_ worker: Int, _ file: Int, FileReport, IngestBatch) -> Void)
        -> (files: [FileReport], errors: [InputError]) {
        let (files, inputErrors) = expanded
        if options.strict, let first = inputErrors.first { return ([], [first]) }
        let workers = workerCount(options, files: files.count)
        let state = Mutex(SharedState(reports: Array(repeating: nil, count: files.count)))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // One interner per worker: the files it reads share their values (see ``ByteInterner``).
            let interner = ByteInterner()
            let fileBuffer = FileBuffer()
            while true {
                let next: Int? = state.withLock { s in
                    guard !s.stopped, s.next < files.count else { return nil }
                    defer { s.next += 1 }
                    return s.next
                }
                guard let index = next else { return }
                let path = files[index]
                // Large line-oriented files hand over their events chunk by chunk, keeping memory flat.
                let partialReport = FileReport(path: path, format: .unknown, compressed: false, storedBytes: 0,
                                               decodedBytes: 0, events: 0, skipped: 0, ignored: 0, errors: 0, warnings: 0)
                var fileRows: EventRows? = rows ? EventRows(compressRawRecords: options.compressRawRecords, symbols: interner) : nil
                var (report, batch) = readFile(path, options: options, rows: &fileRows, buffer: fileBuffer) { partial in
                    deliver(worker, index, partialReport, partial)
                }
                if var fileRows, !fileRows.isEmpty {
                    // JSON records are laid out in time order here, on this core, so that reading the store in
                    // time order walks memory forwards; short lines are left to the store's one ordering pass.
                    if fileRows.isWorthSortingByTime { fileRows.sortByTime() }
                    batch.rows = fileRows
                }
                deliver(worker, index, report, batch)
                state.withLock { s in
                    s.reports[index] = report
                    if options.strict && report.errors > 0 { s.stopped = true }
                }
            }
        }
        let reports = state.withLock { $0.reports.compactMap { $0 } }
        return (reports, inputErrors)
    }

    /// How many workers `ingest` uses for `files` files.
    public static func workerCount(_ options: IngestOptions, files: Int) -> Int {
        max(1, min(options.concurrency > 0 ? options.concurrency : System.activeProcessorCount, files))
    }

    private struct SharedState: Sendable {
        var next = 0
        var stopped = false
        var reports: [FileReport?]
    }

    /// Reads one file (or `-`), decompressing gzip, sniffing and dispatching to the right reader.
    ///
    /// With `deliverEvents`, events of large line-oriented files are handed over in chunks as they are read
    /// (the returned batch then holds only the rest); the report still counts them all.
    public static func readFile(_ path: String, options: IngestOptions = IngestOptions(),
                                deliverEvents: (([Event]) -> Void)? = nil) -> (FileReport, IngestBatch) {
        var rows: EventRows?
        return readFile(path, options: options, rows: &rows, deliverPartial: deliverEvents.map { deliver in { deliver($0.events) } })
    }

    /// `readFile`, delivering partial batches of events of large line-oriented files. With `rows`, CloudTrail and
    /// flow-log records are added to it instead of being made into events (and are not delivered).
    /// With `buffer`, the file is read into it rather than into memory of its own.
    static func readFile(_ path: String, options: IngestOptions, rows: inout EventRows?, buffer: FileBuffer? = nil,
                         deliverPartial: ((IngestBatch) -> Void)?) -> (FileReport, IngestBatch) {
        var delivered = 0
        var batch = IngestBatch()
        let rowsBefore = rows?.count ?? 0
        swap(&batch.rows, &rows)
        defer { swap(&batch.rows, &rows) }
        var report = FileReport(path: path, format: .unknown, compressed: false, storedBytes: 0, decodedBytes: 0,
                                events: 0, skipped: 0, ignored: 0, errors: 0, warnings: 0)
        /// Decompresses (when gzip) and reads the file's bytes.
        func readStored(_ stored: UnsafeRawBufferPointer) {
            report.storedBytes = stored.count
            guard Gzip.isGzip(stored) else { return readDecoded(stored) }
            report.compressed = true
            let result = Gzip.decompress(stored)
            if let problem = result.problem {
                batch.error(path, problem + "; reading the records that were recovered")
            }
            result.bytes.withUnsafeBytes { readDecoded($0) }
        }
        func readDecoded(_ data: UnsafeRawBufferPointer) {
            report.decodedBytes = data.count
            // Room for the rows this file will likely give (a flow line is ~100 bytes, a CloudTrail record ~1 kB),
            // so the batch's columns are not copied again and again as they grow.
            if batch.rows != nil {
                let flowLike = data.prefix(256).allSatisfy { $0 != UInt8(ascii: "{") }
                batch.rows!.reserveCapacity(rows: data.count / (flowLike ? 100 : 1000))
            }
            let reference = InputFile.modificationTime(path) ?? Timestamp(seconds: Int64(System.now()))
            let flush: ((inout IngestBatch) -> Void)? = deliverPartial.map { deliver in
                { batch in
                    guard !batch.events.isEmpty else { return }
                    delivered += batch.events.count
                    var partial = IngestBatch()
                    swap(&partial.events, &batch.events)
                    deliver(partial)
                }
            }
            // Readers may keep raw records as references into `data` until they settle them (the CloudTrail reader
            // copies each record once, to its place in time order). Whatever a reader left is copied here, while
            // `data` is still valid.
            batch.rows?.defersRawRecords = true
            let (format, inner) = read(data, source: path, options: options, referenceTime: reference,
                                       into: &batch, flush: flush)
            if batch.rows?.hasDeferredRaw == true { batch.rows!.settleDeferredRaw(sortingByTime: false) }
            batch.rows?.defersRawRecords = false
            report.format = format
            report.innerFormat = inner
        }
        do throws(InputError) {
            if let buffer {
                try InputFile.withContents(of: path, in: buffer, readStored)
            } else {
                try InputFile.read(path).withUnsafeBytes(readStored)
            }
        } catch {
            batch.error(path, error.message)
        }
        report.events = delivered + batch.events.count + (batch.rows?.count ?? 0) - rowsBefore
        report.skipped = batch.skippedRecords
        report.ignored = batch.ignoredRecords
        report.errors = batch.diagnostics.count { $0.severity == .error }
        report.warnings = batch.diagnostics.count { $0.severity == .warning }
        return (report, batch)
    }

    /// Reads a decoded buffer of any supported format. Returns the format, and the inner format of a container.
    @discardableResult
    public static func read(_ data: UnsafeRawBufferPointer, source: String, options: IngestOptions = IngestOptions(),
                            referenceTime: Timestamp, into batch: inout IngestBatch,
                            flush: ((inout IngestBatch) -> Void)? = nil) -> (LogFormat, LogFormat?) {
        let format = FormatSniffer.sniff(data)
        UTF8Check.warnIfInvalid(data, source: source, into: &batch)
        switch format {
        case .cloudTrail:
            CloudTrailReader.read(data, source: source, into: &batch)
        case .cloudTrailDigest:
            batch.ignoredRecords += 1
            batch.note(source, "CloudTrail digest file skipped (it holds hashes of log files, not events)")
        case .guardDuty:
            GuardDutyReader.read(data, source: source, into: &batch)
        case .resolverQueryLogs:
            var reader = ResolverQueryLogReader(source: source)
            forEachChunk(data) { chunk, line in
                reader.read(chunk, firstLineNumber: line, into: &batch)
                flush?(&batch)
            }
        case .flowLogs:
            batch.rows?.reserve(lineRecordBytes: data.count, flows: data.count / 100)
            var reader = FlowLogReader(source: source, fallbackTime: referenceTime)
            forEachChunk(data) { chunk, line in
                reader.read(chunk, firstLineNumber: line, into: &batch)
                flush?(&batch)
            }
            // Lines the store derives kept nothing of the page reserved for the file's bytes.
            batch.rows?.releaseUnusedRawSpace()
        case .sshdAuth:
            var reader = SSHDAuthLogReader(source: source, year: options.year, referenceTime: referenceTime)
            forEachChunk(data) { chunk, line in
                reader.read(chunk, firstLineNumber: line, into: &batch)
                flush?(&batch)
            }
        case .cloudWatchLogs, .timestampedLines:
            let unwrapped = format == .cloudWatchLogs
                ? CloudWatchLogsUnwrapper.unwrapJSON(data, source: source, into: &batch)
                : CloudWatchLogsUnwrapper.unwrapTimestamped(data)
            var inner: LogFormat = .empty
            unwrapped.text.withUnsafeBytes { text in
                inner = FormatSniffer.sniff(text)
                switch inner {
                case .cloudWatchLogs, .timestampedLines:
                    batch.error(source, "CloudWatch Logs messages are themselves wrapped again; not read")
                case .empty:
                    batch.warning(source, "no log messages in the CloudWatch Logs export")
                case .unknown:
                    batch.error(source, "the CloudWatch Logs messages are in an unrecognised format")
                default:
                    _ = read(text, source: source + " (CloudWatch Logs messages)", options: options,
                             referenceTime: referenceTime, into: &batch)
                }
            }
            return (format, inner)
        case .empty:
            batch.warning(source, "empty file")
        case .unknown:
            batch.error(source, line: 1, "unrecognised format: not CloudTrail, VPC flow logs, GuardDuty findings, Route 53 resolver query logs or an sshd auth log")
        }
        return (format, nil)
    }
}

extension Ingestor {
    /// Bytes per chunk when line-oriented files are read piecewise.
    static let chunkSize = 4 << 20

    /// Splits `data` at line boundaries into chunks of about `chunkSize`, with the 1-based line number each starts at.
    static func forEachChunk(_ data: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> Void) {
        var start = 0
        var line = 1
        while start < data.count {
            var end = min(data.count, start + chunkSize)
            while end < data.count, data[end - 1] != 0x0A { end += 1 }
            let chunk = UnsafeRawBufferPointer(rebasing: data[start..<end])
            body(chunk, line)
            if end < data.count { line += newlines(in: chunk) }
            start = end
        }
    }

    /// The number of `\n` bytes in `data`, eight bytes at a time: counting byte by byte cost as much as a
    /// tenth of reading a flow log.
    static func newlines(in data: UnsafeRawBufferPointer) -> Int {
        let n = data.count
        guard let base = data.baseAddress else { return 0 }
        var count = 0, i = 0
        let ones: UInt64 = 0x0101_0101_0101_0101, low7 = ones &* 0x7F
        /// A 1 in each byte of the word at `offset` that is a newline, exactly (no carry crosses bytes).
        @inline(__always) func marks(_ offset: Int) -> UInt64 {
            let x = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ (ones &* 0x0A)
            return ~(((x & low7) &+ low7) | x | low7) >> 7
        }
        // Four words' marks add up per byte (at most 4 each), then one multiply sums the bytes: the baseline
        // x86-64 has no popcount instruction.
        while i + 32 <= n {
            let sum = marks(i) &+ marks(i + 8) &+ marks(i + 16) &+ marks(i + 24)
            count &+= Int(truncatingIfNeeded: (sum &* ones) >> 56)
            i &+= 32
        }
        while i + 8 <= n {
            count &+= Int(truncatingIfNeeded: (marks(i) &* ones) >> 56)
            i &+= 8
        }
        while i < n {
            if data[i] == 0x0A { count += 1 }
            i += 1
        }
        return count
    }
}

/// A single pass that finds the first invalid UTF-8 sequence, so the user hears about mangled text once per file.
enum UTF8Check {
    static func warnIfInvalid(_ data: UnsafeRawBufferPointer, source: String, into batch: inout IngestBatch) {
        guard let offset = firstInvalid(data) else { return }
        var lines = LineIndex(data)
        batch.warning(source, line: lines.line(at: offset),
                      "invalid UTF-8 at byte \(offset); such bytes are shown as U+FFFD")
    }

    static func firstInvalid(_ b: UnsafeRawBufferPointer) -> Int? {
        let n = b.count
        var i = 0
        while i < n {
            // Skip ASCII 32 bytes at a time (logs are nearly all ASCII), then eight at a time.
            let high: UInt64 = 0x8080_8080_8080_8080
            while i + 32 <= n {
                let any = b.loadUnaligned(fromByteOffset: i, as: UInt64.self) | b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                if any & high != 0 { break }
                i += 32
            }
            while i + 8 <= n, b.loadUnaligned(fromByteOffset: i, as: UInt64.self) & high == 0 { i += 8 }
            guard i < n else { return nil }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let length: Int
            switch c {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length where b[i + k] & 0xC0 != 0x80 { return i }
            if c == 0xE0 && b[i + 1] < 0xA0 { return i }          // overlong
            if c == 0xED && b[i + 1] > 0x9F { return i }          // surrogates
            if c == 0xF0 && b[i + 1] < 0x90 { return i }          // overlong
            if c == 0xF4 && b[i + 1] > 0x8F { return i }          // beyond U+10FFFF
            i += length
        }
        return nil
    }
}

