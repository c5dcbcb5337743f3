import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// Follows folders and files as they grow — logs synced from S3, a flow-log export being appended to — and
/// hands over only what is new at each poll.
///
/// Line-oriented files (flow logs, sshd logs, Route 53 logs, JSON lines) are read incrementally from where the
/// last poll stopped, complete lines only; a file that shrinks was rotated and is read again from the start.
/// Whole documents (`{"Records":[…]}`, `.gz`) are read once their size has stayed the same for one poll, so a
/// file still being written is not read half-way. Re-reading the same record is harmless: the store drops
/// duplicates by record id.
public final class LiveTail: @unchecked Sendable {
    private let paths: [String]
    private let options: IngestOptions
    private var files: [String: FileState] = [:]

    struct FileState {
        var size = -1
        var modified: Timestamp?
        /// Bytes consumed (incremental mode) — always at a line boundary.
        var offset = 0
        var lineNumber = 1
        var mode: Mode = .undecided
        var stream: LineStreamReader?
        var done = false

        enum Mode { case undecided, incremental, document }
    }

    public init(paths: [String], options: IngestOptions = IngestOptions()) {
        self.paths = paths
        self.options = options
    }

    /// Marks everything already in the inputs as read, so that polls return only what arrives afterwards
    /// (for following inputs that were just loaded in full).
    public func skipExisting() {
        let (found, _) = InputFile.expand(paths.filter { $0 != "-" })
        for path in found {
            guard case .file(let size, let modified) = InputFile.kind(path) else { continue }
            var state = FileState(size: size, modified: modified, done: true)
            if size > 0, Self.isIncremental(path), let bytes = try? InputFile.read(path) {
                state.mode = .incremental
                state.offset = Self.lastLineEnd(bytes, from: 0)
                state.lineNumber = 1 + bytes[0..<state.offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                bytes.withUnsafeBytes { b in
                    // Prime the reader with what was read (a flow-log header, the sshd year) without keeping events.
                    var reader = LineStreamReader(source: path, options: options, referenceTime: modified)
                    var discard = IngestBatch()
                    reader.read(UnsafeRawBufferPointer(rebasing: b[0..<state.offset]), firstLineNumber: 1, into: &discard)
                    state.stream = reader
                }
            } else if size > 0 {
                state.mode = .document
            }
            files[path] = state
        }
    }

    /// Looks at every input once and returns whatever is new since the previous poll.
    public func poll() -> IngestBatch {
        var batch = IngestBatch()
        let (found, errors) = InputFile.expand(paths.filter { $0 != "-" })
        for error in errors where files[error.path] == nil {
            batch.diagnostics.append(IngestDiagnostic(.error, source: error.path, message: error.message))
            files[error.path] = FileState(done: true)
        }
        for path in found { pollFile(path, into: &batch) }
        return batch
    }

    private func pollFile(_ path: String, into batch: inout IngestBatch) {
        guard case .file(let size, let modified) = InputFile.kind(path) else { return }
        var state = files[path] ?? FileState()
        defer { files[path] = state }
        if state.done && size == state.size && modified == state.modified { return }
        if size < state.offset {
            // Rotated or truncated: start over.
            batch.note(path, "file shrank (rotated?); reading it again from the start")
            state = FileState()
        }
        let stable = size == state.size && modified == state.modified
        state.size = size
        state.modified = modified
        if state.mode == .undecided {
            guard size > 0 else { return }
            state.mode = Self.isIncremental(path) ? .incremental : .document
        }
        switch state.mode {
        case .document:
            guard stable || state.done else { return }  // wait one poll for the writer to finish
            let (_, fileBatch) = Ingestor.readFile(path, options: options)
            batch.append(contentsOf: fileBatch)
            state.done = true
        case .incremental:
            guard size > state.offset else { return }
            // Only the part not yet seen is read, so a poll costs what was appended, not the file's size.
            guard let fresh = try? InputFile.read(path, from: state.offset, length: size - state.offset) else { return }
            let end = Self.lastLineEnd(fresh, from: 0)
            guard end > 0 else { return }
            if state.stream == nil {
                state.stream = LineStreamReader(source: path, options: options,
                                                referenceTime: modified)
            }
            fresh.withUnsafeBytes { b in
                let chunk = UnsafeRawBufferPointer(rebasing: b[0..<end])
                state.stream!.read(chunk, firstLineNumber: state.lineNumber, into: &batch)
                state.lineNumber += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            }
            state.offset += end
            state.done = true
        case .undecided:
            break
        }
    }

    /// Uncompressed files whose first line is a whole record are read line by line.
    static func isIncremental(_ path: String) -> Bool {
        // The first 64 KB decide, as for sniffing; the file may be large.
        guard let bytes = try? InputFile.read(path, from: 0, length: 64 << 10), !bytes.isEmpty else { return false }
        return bytes.withUnsafeBytes { b in
            if Gzip.isGzip(b) { return false }
            let format = FormatSniffer.sniff(b)
            switch format {
            case .flowLogs, .sshdAuth, .resolverQueryLogs: return true
            case .cloudTrail, .guardDuty:
                // JSON lines if the first line alone is one complete JSON value.
                var end = 0
                while end < b.count, b[end] != 0x0A { end += 1 }
                guard end < b.count else { return false }
                let first = UnsafeRawBufferPointer(rebasing: b[0..<end])
                var i = 0
                guard (try? JSONScanner.scanValue(first, &i)) != nil else { return false }
                JSONScanner.skipWhitespace(first, &i)
                return i == first.count
            default: return false
            }
        }
    }

    /// The offset just past the last newline at or after `from` (only complete lines are read).
    static func lastLineEnd(_ bytes: [UInt8], from: Int) -> Int {
        var i = bytes.count
        while i > from, bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }
}

/// Reads a stream of lines whose format is decided by the first chunk, keeping each reader's state
/// (a flow-log header, the sshd year) across chunks.
public struct LineStreamReader: Sendable {
    private let source: String
    private let options: IngestOptions
    private let referenceTime: Timestamp
    private var format: LogFormat?
    private var flow: FlowLogReader?
    private var sshd: SSHDAuthLogReader?
    private var dns: ResolverQueryLogReader?

    public init(source: String, options: IngestOptions = IngestOptions(), referenceTime: Timestamp? = nil) {
        self.source = source
        self.options = options
        self.referenceTime = referenceTime ?? Timestamp(milliseconds: Int64(System.now() * 1000))
    }

    /// The format decided so far.
    public var detectedFormat: LogFormat? { format }

    /// Reads a chunk of complete lines.
    public mutating func read(_ chunk: UnsafeRawBufferPointer, firstLineNumber: Int, into batch: inout IngestBatch) {
        if format == nil {
            let sniffed = FormatSniffer.sniff(chunk)
            guard sniffed != .empty else { return }
            format = sniffed
            switch sniffed {
            case .flowLogs: flow = FlowLogReader(source: source, fallbackTime: referenceTime)
            case .sshdAuth: sshd = SSHDAuthLogReader(source: source, year: options.year, referenceTime: referenceTime)
            case .resolverQueryLogs: dns = ResolverQueryLogReader(source: source)
            default: break
            }
        }
        switch format {
        case .flowLogs: flow!.read(chunk, firstLineNumber: firstLineNumber, into: &batch)
        case .sshdAuth: sshd!.read(chunk, firstLineNumber: firstLineNumber, into: &batch)
        case .resolverQueryLogs: dns!.read(chunk, firstLineNumber: firstLineNumber, into: &batch)
        case .cloudTrail:
            var sub = IngestBatch()
            CloudTrailReader.read(chunk, source: source, into: &sub)
            Self.shiftLines(&sub, by: firstLineNumber - 1)
            batch.append(contentsOf: sub)
        case .guardDuty:
            var sub = IngestBatch()
            GuardDutyReader.read(chunk, source: source, into: &sub)
            Self.shiftLines(&sub, by: firstLineNumber - 1)
            batch.append(contentsOf: sub)
        default:
            Ingestor.read(chunk, source: source, options: options, referenceTime: referenceTime, into: &batch)
        }
    }

    private static func shiftLines(_ batch: inout IngestBatch, by offset: Int) {
        guard offset != 0 else { return }
        for k in batch.diagnostics.indices { batch.diagnostics[k].line = batch.diagnostics[k].line.map { $0 + offset } }
    }
}

/// Reads standard input (or any descriptor) as a live stream, handing complete lines to a ``LineStreamReader``.
public struct StreamFollower {
    private var reader: LineStreamReader
    private var pending: [UInt8] = []
    private var lineNumber = 1
    private let fd: Int32

    public init(fd: Int32 = 0, source: String = "-", options: IngestOptions = IngestOptions()) {
        self.fd = fd
        self.reader = LineStreamReader(source: source, options: options)
    }

    /// Blocks for the next chunk of input; returns nil at end of input. The final partial line is read at the end.
    public mutating func next() -> IngestBatch? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 {
                guard !pending.isEmpty else { return nil }
                var batch = IngestBatch()
                pending.append(0x0A)
                let chunk = pending
                pending = []
                chunk.withUnsafeBytes { reader.read($0, firstLineNumber: lineNumber, into: &batch) }
                return batch
            }
            pending.append(contentsOf: buffer[0..<n])
            let end = LiveTail.lastLineEnd(pending, from: 0)
            guard end > 0 else { continue }
            var batch = IngestBatch()
            let chunk = Array(pending[0..<end])
            pending.removeFirst(end)
            chunk.withUnsafeBytes { reader.read($0, firstLineNumber: lineNumber, into: &batch) }
            lineNumber += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return batch
        }
    }
}
