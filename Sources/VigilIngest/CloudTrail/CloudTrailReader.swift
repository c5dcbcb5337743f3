import VigilCore

/// Reads CloudTrail records from every shape they are delivered or exported in.
///
/// - S3 delivery: `{"Records":[…]}` (optionally gzip-compressed; decompression happens before this reader).
/// - A bare JSON array of records, one record per file, or JSON lines (also with Logstash's `@timestamp`/`@version`
///   keys, or with the record as a JSON string in `message`).
/// - `aws cloudtrail lookup-events` output: `{"Events":[{"CloudTrailEvent":"<escaped JSON>"…}]}`.
/// - CloudTrail Insights events (`eventType: AwsCloudTrailInsight`).
/// - Digest files are recognised and skipped with a note.
///
/// CloudWatch Logs containers are unwrapped by ``CloudWatchLogsUnwrapper`` before they reach this reader.
public enum CloudTrailReader {
    /// Reads every record in `data`, appending events and diagnostics to `batch`.
    public static func read(_ data: UnsafeRawBufferPointer, source: String, into batch: inout IngestBatch) {
        var stream = JSONRecordStream(data, source: source)
        var cache = RecordStringCache()
        // Plain records are validated and read in one pass; anything else (wrappers, digests) falls back.
        let inPlace: JSONRecordStream.InPlaceReader = { i, number, batch, lines in
            let result = batch.rows != nil
                ? CloudTrailRecord.scan(data, &i, into: &batch.rows!)
                : CloudTrailRecord.scan(data, &i, cache: &cache, into: &batch.events)
            switch result {
            case .read:
                return nil
            case .malformed(let error):
                return error
            case .problem(_, let object):
                readRecord(data, object, number: number, lines: &lines, source: source, into: &batch)
                return nil
            }
        }
        stream.forEachRecord(into: &batch, inPlace: inPlace) { record, batch, lines in
            readRecord(data, record.ref, number: record.number, lines: &lines, source: source, into: &batch)
        }
        // Rows that point into `data` (a bulk load defers copying raw records) get their bytes now, while `data`
        // is valid: laid out in time order, as the load would otherwise do with a second copy.
        if batch.rows?.hasDeferredRaw == true {
            batch.rows!.settleDeferredRaw(sortingByTime: batch.rows!.isWorthSortingByTime)
        }
    }

    private static func readRecord(_ b: UnsafeRawBufferPointer, _ ref: JSONRef, number: Int,
                                   lines: inout LineIndex, source: String, into batch: inout IngestBatch) {
        guard ref.kind == .object else {
            batch.error(source, line: lines.line(at: ref.start), record: number, "expected a CloudTrail record (a JSON object), found \(ref.kind)")
            return
        }
        do {
            batch.events.append(try CloudTrailRecord.event(b, ref))
        } catch {
            // Not a plain record: perhaps a wrapper holding one, or a digest.
            if let embedded = embeddedRecord(b, ref) {
                embedded.withUnsafeBytes { eb in
                    var i = 0
                    do {
                        let inner = try JSONScanner.scanValue(eb, &i)
                        batch.events.append(try CloudTrailRecord.event(eb, inner))
                    } catch let problem as CloudTrailRecord.Problem {
                        batch.error(source, line: lines.line(at: ref.start), record: number, problem.message)
                    } catch {
                        batch.error(source, line: lines.line(at: ref.start), record: number, "embedded CloudTrail event is not valid JSON: \(error)")
                    }
                }
            } else if JSONScanner.member(b, ref, "digestStartTime") != nil, JSONScanner.member(b, ref, "logFiles") != nil {
                batch.ignoredRecords += 1
                batch.note(source, record: number, "CloudTrail digest file skipped (it holds hashes of log files, not events)")
            } else {
                batch.error(source, line: lines.line(at: ref.start), record: number, error.message)
            }
        }
    }

    /// The bytes of a record carried as a JSON string: `CloudTrailEvent` (lookup-events) or `message` (Logstash, CloudWatch).
    private static func embeddedRecord(_ b: UnsafeRawBufferPointer, _ object: JSONRef) -> [UInt8]? {
        for name in ["CloudTrailEvent", "message"] {
            if let value = JSONScanner.member(b, object, name), value.kind == .string {
                let inner = UnsafeRawBufferPointer(rebasing: b[(value.start + 1)..<(value.end - 1)])
                let bytes = value.hasEscapes ? JSONScanner.unescape(inner) : Array(inner)
                if let first = bytes.first(where: { !JSONScanner.isWhitespace($0) }), first == UInt8(ascii: "{") { return bytes }
            }
        }
        return nil
    }
}
