import VigilCore
import VigilStore

/// A problem (or a note) met while reading input, located precisely enough to find it again.
public struct IngestDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case note, warning, error }

    public var severity: Severity
    /// The file path as given (or `-` for standard input).
    public var source: String
    /// 1-based line number, when the format is line-oriented or the position is known.
    public var line: Int?
    /// 1-based record number within the file (the n-th element of `Records`, the n-th JSON line…).
    public var record: Int?
    public var message: String

    public init(_ severity: Severity, source: String, line: Int? = nil, record: Int? = nil, message: String) {
        self.severity = severity
        self.source = source
        self.line = line
        self.record = record
        self.message = message
    }

    /// `file:line: record n: message`, the shape compilers use so editors can jump to it.
    public var description: String {
        var s = TextSanitizer.sanitize(source)
        if let line { s += ":\(line)" }
        s += ": "
        if severity != .error { s += "\(severity.rawValue): " }
        if let record { s += "record \(record): " }
        s += TextSanitizer.sanitize(message)
        return s
    }
}

/// What a reader produced from one chunk of input: events, diagnostics and counts of what it skipped.
public struct IngestBatch: Sendable {
    public var events: [Event] = []
    /// When set (by the caller, before reading), the readers of high-volume formats (CloudTrail, VPC flow logs)
    /// add their records here, built straight from the bytes, instead of to `events`: the store's fast path.
    public var rows: EventRows?
    public var diagnostics: [IngestDiagnostic] = []
    /// Records that could not be turned into events (malformed, missing required fields).
    public var skippedRecords = 0
    /// Records deliberately not turned into events (digest files, comment lines, headers).
    public var ignoredRecords = 0

    public init() {}

    public mutating func error(_ source: String, line: Int? = nil, record: Int? = nil, _ message: String) {
        diagnostics.append(IngestDiagnostic(.error, source: source, line: line, record: record, message: message))
        skippedRecords += 1
    }

    public mutating func warning(_ source: String, line: Int? = nil, record: Int? = nil, _ message: String) {
        diagnostics.append(IngestDiagnostic(.warning, source: source, line: line, record: record, message: message))
    }

    public mutating func note(_ source: String, line: Int? = nil, record: Int? = nil, _ message: String) {
        diagnostics.append(IngestDiagnostic(.note, source: source, line: line, record: record, message: message))
    }

    /// Events and rows read.
    public var eventCount: Int { events.count + (rows?.count ?? 0) }

    public mutating func append(contentsOf other: IngestBatch) {
        events.append(contentsOf: other.events)
        if let more = other.rows, !more.isEmpty {
            precondition(rows == nil || rows!.isEmpty, "merging two batches that both hold rows")
            rows = more
        }
        diagnostics.append(contentsOf: other.diagnostics)
        skippedRecords += other.skippedRecords
        ignoredRecords += other.ignoredRecords
    }
}
