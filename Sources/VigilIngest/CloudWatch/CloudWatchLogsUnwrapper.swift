import VigilCore

/// Takes the log messages out of CloudWatch Logs containers so that the right reader can read them.
///
/// CloudTrail, VPC flow logs and Route 53 resolver logs can all be delivered to CloudWatch Logs and exported
/// from there. Three container shapes are handled:
/// - `aws logs filter-log-events` / `get-log-events` output: `{"events":[{"message":"…",…}],…}`;
/// - subscription-filter deliveries (often gzip-compressed): `{"messageType":"DATA_MESSAGE",…,"logEvents":[…]}`,
///   possibly several per file, one per line; `CONTROL_MESSAGE`s are skipped;
/// - the S3 export format: one message per line, each prefixed with an ISO 8601 timestamp and a space.
/// The messages are joined with newlines into a new buffer, which is then sniffed and read like a file.
public enum CloudWatchLogsUnwrapper {
    public struct Unwrapped: Sendable {
        public var text: [UInt8]
        public var messages: Int
    }

    /// Extracts the `message` of every log event in a JSON container.
    public static func unwrapJSON(_ data: UnsafeRawBufferPointer, source: String, into batch: inout IngestBatch) -> Unwrapped {
        var out = [UInt8]()
        out.reserveCapacity(data.count)
        var messages = 0
        var stream = JSONRecordStream(data, source: source)
        stream.forEachRecord(into: &batch) { record, batch, lines in
            guard record.ref.kind == .object else { return }
            if let message = JSONScanner.member(data, record.ref, "message"), message.kind == .string {
                let inner = UnsafeRawBufferPointer(rebasing: data[(message.start + 1)..<(message.end - 1)])
                var bytes = message.hasEscapes ? JSONScanner.unescape(inner) : Array(inner)
                // A message is one log line; a stray newline inside would split it.
                while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
                for k in bytes.indices where bytes[k] == 0x0A || bytes[k] == 0x0D { bytes[k] = 0x20 }
                out.append(contentsOf: bytes)
                out.append(0x0A)
                messages += 1
            } else if let type = JSONScanner.member(data, record.ref, "messageType"),
                      JSONScanner.text(data, type) == "CONTROL_MESSAGE" {
                batch.ignoredRecords += 1
            } else {
                batch.error(source, line: lines.line(at: record.ref.start), record: record.number, "CloudWatch Logs event has no 'message' string")
            }
        }
        return Unwrapped(text: out, messages: messages)
    }

    /// True when most of the first lines start with an ISO 8601 timestamp and a space.
    public static func looksTimestamped(_ sample: UnsafeRawBufferPointer) -> Bool {
        var lines = 0, stamped = 0
        forEachLine(sample) { line in
            guard line.count > 0 else { return true }
            lines += 1
            if prefixLength(line) != nil { stamped += 1 }
            return lines < 20
        }
        return lines > 0 && stamped * 10 >= lines * 8
    }

    /// Strips the timestamp prefix from each line of CloudWatch's S3 export format.
    public static func unwrapTimestamped(_ data: UnsafeRawBufferPointer) -> Unwrapped {
        var out = [UInt8]()
        out.reserveCapacity(data.count)
        var messages = 0
        forEachLine(data) { line in
            if let skip = prefixLength(line) {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[skip...]))
            } else {
                out.append(contentsOf: line)
            }
            out.append(0x0A)
            messages += 1
            return true
        }
        return Unwrapped(text: out, messages: messages)
    }

    /// Length of a `2024-05-01T10:00:00.000Z ` prefix, if the line has one.
    static func prefixLength(_ line: UnsafeRawBufferPointer) -> Int? {
        guard let space = line.firstIndex(of: 0x20), space >= 10, space <= 35 else { return nil }
        guard ISO8601Parser.parse(UnsafeRawBufferPointer(rebasing: line[0..<space])) != nil else { return nil }
        return space + 1
    }

    static func forEachLine(_ data: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Bool) {
        Lines.forEach(data) { line, _ in body(line) }
    }
}
