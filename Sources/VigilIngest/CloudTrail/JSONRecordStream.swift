import VigilCore

/// Walks a buffer holding JSON records in any of the container shapes AWS tools produce, one record at a time.
///
/// A buffer is a sequence of top-level JSON values separated by whitespace (so one document, an array, and
/// JSON lines are all handled alike). Arrays and the record-array member of a wrapper object (`Records`, `Events`,
/// `Findings`, `events`, `logEvents`) are entered and their elements visited one by one, so that a truncated or
/// corrupt file still yields every record before the damage. After a malformed top-level value the walk resumes at
/// the next line.
struct JSONRecordStream {
    /// One visited record and where it was.
    struct Record {
        var ref: JSONRef
        /// 1-based position among the records of the buffer.
        var number: Int
        /// Name of the wrapper member it came from (`Records`, `Events`…), or nil for a bare value.
        var container: String?
    }

    /// Names of wrapper members whose array elements are records.
    static let containerKeys: Set<String> = ["Records", "Events", "Findings", "events", "logEvents", "findings"]

    let buffer: UnsafeRawBufferPointer
    let source: String
    private var lineIndex: LineIndex

    init(_ buffer: UnsafeRawBufferPointer, source: String) {
        self.buffer = buffer
        self.source = source
        self.lineIndex = LineIndex(buffer)
    }

    /// 1-based line number of a byte offset.
    mutating func line(at offset: Int) -> Int { lineIndex.line(at: offset) }

    /// Reads a record in place: given the offset of a `{`, scans it (advancing the offset past it) and handles it,
    /// returning the syntax error if it was malformed. Lets a reader validate and read a record in one pass.
    typealias InPlaceReader = (_ i: inout Int, _ number: Int, _ batch: inout IngestBatch, _ lines: inout LineIndex) -> JSONSyntaxError?

    /// Visits every record; malformed parts are reported to `batch` and skipped.
    mutating func forEachRecord(into batch: inout IngestBatch, _ body: (Record, inout IngestBatch, inout LineIndex) -> Void) {
        forEachRecord(into: &batch, inPlace: nil, body)
    }

    /// Visits every record, objects through `inPlace` when given, everything else through `body`.
    mutating func forEachRecord(into batch: inout IngestBatch, inPlace: InPlaceReader?,
                                _ body: (Record, inout IngestBatch, inout LineIndex) -> Void) {
        let b = buffer
        var i = 0
        var number = 0
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }  // UTF-8 byte order mark
        while true {
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count else { return }
            let start = i
            switch b[i] {
            case UInt8(ascii: "["):
                i += 1
                walkArray(&i, container: nil, number: &number, batch: &batch, inPlace: inPlace, body)
            case UInt8(ascii: "{"):
                if let (key, arrayStart) = wrapperArray(at: i) {
                    i = arrayStart + 1
                    walkArray(&i, container: key, number: &number, batch: &batch, inPlace: inPlace, body)
                    // Skip the rest of the wrapper object (NextToken, searchedLogStreams…).
                    skipRestOfObject(&i)
                } else if let inPlace {
                    number += 1
                    if let error = inPlace(&i, number, &batch, &lineIndex) {
                        batch.error(source, line: line(at: error.offset), record: number, "malformed JSON: \(error.message)")
                        i = nextLine(after: max(start + 1, min(error.offset, b.count)))
                    }
                } else {
                    do {
                        let ref = try JSONScanner.scanValue(b, &i)
                        number += 1
                        body(Record(ref: ref, number: number, container: nil), &batch, &lineIndex)
                    } catch {
                        number += 1
                        batch.error(source, line: line(at: error.offset), record: number, "malformed JSON: \(error.message)")
                        i = nextLine(after: max(start + 1, min(error.offset, b.count)))
                    }
                }
            default:
                number += 1
                let shown = JSONRecordStream.describe(b[i])
                batch.error(source, line: line(at: i), record: number, "expected a JSON object or array, found \(shown)")
                i = nextLine(after: i)
            }
        }
    }

    private mutating func walkArray(_ i: inout Int, container: String?, number: inout Int, batch: inout IngestBatch,
                                    inPlace: InPlaceReader?, _ body: (Record, inout IngestBatch, inout LineIndex) -> Void) {
        let b = buffer
        JSONScanner.skipWhitespace(b, &i)
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return }
        while i < b.count {
            let start = i
            do throws(JSONSyntaxError) {
                if let inPlace, b[i] == UInt8(ascii: "{") {
                    number += 1
                    if let error = inPlace(&i, number, &batch, &lineIndex) { number -= 1; throw error }
                } else {
                    let ref = try JSONScanner.scanValue(b, &i)
                    number += 1
                    body(Record(ref: ref, number: number, container: container), &batch, &lineIndex)
                }
            } catch {
                number += 1
                let endOfInput = error.offset >= b.count || error.message.contains("end of input") || error.message.hasPrefix("unterminated")
                let what = endOfInput ? "truncated JSON (the file ends inside this record)" : "malformed JSON: \(error.message)"
                batch.error(source, line: line(at: min(error.offset, max(b.count - 1, 0))), record: number, what)
                // Inside an array there is no safe place to resume; give up on the rest of this value.
                _ = start
                i = b.count
                return
            }
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count else {
                batch.error(source, line: line(at: max(b.count - 1, 0)), record: nil, "truncated JSON: the file ends inside an array after record \(number)")
                return
            }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return }
            batch.error(source, line: line(at: i), record: number, "malformed JSON: expected ',' or ']' after record, found \(JSONRecordStream.describe(b[i]))")
            i = b.count
            return
        }
    }

    /// If the object at `start` is a wrapper whose first array member is a record container, returns the key and the offset of its `[`.
    /// Members before it are skipped; anything unexpected means "not a wrapper".
    private func wrapperArray(at start: Int) -> (String, Int)? {
        let b = buffer
        var i = start + 1
        for _ in 0..<8 {
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count, b[i] == UInt8(ascii: "\""), let key = try? JSONScanner.scanString(b, &i) else { return nil }
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count else { return nil }
            let name = JSONScanner.decodeString(b, key)
            if JSONRecordStream.containerKeys.contains(name), b[i] == UInt8(ascii: "[") { return (name, i) }
            // A small scalar or object before the array (messageType, owner, logGroup…): skip it and look on.
            guard (try? JSONScanner.scanValue(b, &i)) != nil else { return nil }
            if name == "eventVersion" || name == "eventTime" || name == "eventName" { return nil }
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count, b[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
        return nil
    }

    private func skipRestOfObject(_ i: inout Int) {
        let b = buffer
        while true {
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count else { return }
            if b[i] == UInt8(ascii: "}") { i += 1; return }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            guard b[i] == UInt8(ascii: "\""), (try? JSONScanner.scanString(b, &i)) != nil else { i = nextLine(after: i); return }
            JSONScanner.skipWhitespace(b, &i)
            guard i < b.count, b[i] == UInt8(ascii: ":") else { i = nextLine(after: i); return }
            i += 1
            guard (try? JSONScanner.scanValue(b, &i)) != nil else { i = nextLine(after: i); return }
        }
    }

    private func nextLine(after offset: Int) -> Int {
        var i = offset
        while i < buffer.count, buffer[i] != 0x0A { i += 1 }
        return min(i + 1, buffer.count)
    }

    static func describe(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7f ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16)
    }
}

/// Maps byte offsets to 1-based line numbers, counting newlines only once and only as far as asked.
struct LineIndex {
    private let buffer: UnsafeRawBufferPointer
    private var scannedTo = 0
    private var linesBefore = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    mutating func line(at offset: Int) -> Int {
        let target = min(max(offset, 0), buffer.count)
        if target < scannedTo {
            scannedTo = 0
            linesBefore = 0
        }
        var i = scannedTo
        var lines = linesBefore
        while i < target {
            if buffer[i] == 0x0A { lines += 1 }
            i += 1
        }
        scannedTo = target
        linesBefore = lines
        return lines + 1
    }
}
