import VigilCore
import VigilStore

/// Reads VPC flow log records, one per line, into `.flow` events.
///
/// Without a header the version-2 default format is assumed (CloudWatch Logs delivery):
/// `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status`.
/// A line naming fields (S3 delivery, custom formats; names may be written `srcaddr`, `$srcaddr` or `${srcaddr}`)
/// sets the columns, in any order, for the lines that follow, until another header line. Columns are separated by
/// runs of spaces or tabs; `-` means empty. NODATA and SKIPDATA records become events too (coverage gaps).
///
/// Mapping: `time` is `start` (else `end`); `action` is `ACCEPT`, `REJECT`, `NODATA`, `SKIPDATA`, or `-` when the
/// format has no action; a REJECT is `.failure(code: "REJECT")`, everything else `.success`. `sourceIP` is the
/// `srcaddr` text; `resources` are the interface, instance, VPC and subnet ids present. Malformed lines are
/// reported as errors with their line number and skipped; blank lines are skipped silently.
public struct FlowLogReader: Sendable {
    public let source: String
    private var columns: [FlowLogField] = FlowLogField.defaultFormat
    /// The version implied by the header's fields, used when there is no `version` column.
    private var impliedVersion = 2

    /// The time given to records of formats without `start` and `end` (AWS's transit-gateway and NAT examples):
    /// the file's modification time, when the caller knows it. Without it such records are errors.
    private let fallbackTime: Timestamp?
    private var warnedAboutFallback = false
    /// Symbols of the addresses met so far, for the bulk path (kept from chunk to chunk).
    private let addresses = AddressSymbolCache()

    public init(source: String, fallbackTime: Timestamp? = nil) {
        self.source = source
        self.fallbackTime = fallbackTime
    }

    /// Consumes a chunk of complete lines (the chunk ends at a line boundary, with or without a final newline).
    /// `firstLineNumber` is the 1-based line number of the chunk's first line in the file. May be called many times
    /// for one file (live tailing): the header seen in an earlier chunk stays in force.
    public mutating func read(_ chunk: UnsafeRawBufferPointer, firstLineNumber: Int, into batch: inout IngestBatch) {
        if let rows = batch.rows { addresses.use(rows.symbols) }
        var parser = LineParser(columns: columns, impliedVersion: impliedVersion, fallbackTime: fallbackTime, addresses: addresses)
        Lines.forEach(chunk, firstLineNumber: firstLineNumber) { line, number in
            if let header = parser.parse(line, lineNumber: number, source: source, into: &batch) {
                columns = header
                impliedVersion = header.reduce(2) { max($0, $1.introducedIn) }
                parser = LineParser(columns: header, impliedVersion: impliedVersion, fallbackTime: fallbackTime, addresses: addresses)
            }
            if let untimed = parser.firstUntimedLine, !warnedAboutFallback, let fallbackTime {
                warnedAboutFallback = true
                batch.warning(source, line: untimed,
                              "this format has no start or end time; its records are timed at the file's modification time (\(fallbackTime))")
            }
            return true
        }
    }

    /// True when the first bytes of a file look like flow logs: the first non-blank line is a header naming at
    /// least two flow-log fields (and nothing that could not be a field name), or a record in the version-2
    /// default format.
    public static func looksLike(_ sample: UnsafeRawBufferPointer) -> Bool {
        guard let base = sample.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        var start = 0
        let count = sample.count
        while start < count {
            var end = start
            while end < count, base[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > start, base[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let line = UnsafeRawBufferPointer(start: base + start, count: contentEnd - start)
            let tokens = FlowLineTokens()
            tokens.split(line)
            if tokens.count > 0 {
                if let header = headerFields(line, tokens) {
                    return header.filter { $0 != .unknown }.count >= 2
                }
                var probe = IngestBatch()
                var parser = LineParser(columns: FlowLogField.defaultFormat, impliedVersion: 2)
                _ = parser.parse(line, lineNumber: 1, source: "", into: &probe)
                return probe.events.count == 1
            }
            start = end + 1
        }
        return false
    }

    /// The columns named by `line` when it is a header line: every token is a possible field name and at least
    /// one is a known flow-log field.
    static func headerFields(_ line: UnsafeRawBufferPointer, _ tokens: FlowLineTokens) -> [FlowLogField]? {
        guard tokens.count > 0, tokens.count == tokens.stored else { return nil }
        let first = line[tokens.start(0)]
        guard (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || first == UInt8(ascii: "$") else { return nil }
        for k in 0..<tokens.count where !FlowLogField.isNameLike(tokens.token(k, in: line)) { return nil }
        var fields = [FlowLogField]()
        fields.reserveCapacity(tokens.count)
        var known = false
        for k in 0..<tokens.count {
            guard let field = FlowLogField.lookup(tokens.token(k, in: line)) else { return nil }
            if field != .unknown { known = true }
            fields.append(field)
        }
        return known ? fields : nil
    }
}

/// Parses lines against one set of columns, reusing its buffers and the last id strings it made.
private struct LineParser {
    let columns: [FlowLogField]
    let impliedVersion: Int
    var accountCache = StringCache()
    var interfaceCache = StringCache()
    var instanceCache = StringCache()
    var vpcCache = StringCache()
    var subnetCache = StringCache()
    var regionCache = StringCache()

    /// The current line's tokens (a buffer reused line after line).
    let tokens = FlowLineTokens()

    /// Whether the columns are the version-2 default format, which has a one-pass parse of its own.
    let isDefaultFormat: Bool

    /// Symbols of IPv4 addresses by address (for the bulk path).
    let addresses: AddressSymbolCache

    init(columns: [FlowLogField], impliedVersion: Int, fallbackTime: Timestamp? = nil,
         addresses: AddressSymbolCache = AddressSymbolCache(bits: 4)) {
        self.columns = columns
        self.addresses = addresses
        isDefaultFormat = columns == FlowLogField.defaultFormat
        self.impliedVersion = impliedVersion
        self.fallbackTime = fallbackTime
    }

    let fallbackTime: Timestamp?
    /// The first line that was timed with `fallbackTime`, if any.
    var firstUntimedLine: Int?

    private enum Problem {
        case notNumber, notPort, notAddress, badAction, badStatus, pastYear9999

        var text: String {
            switch self {
            case .notNumber: "is not a number"
            case .notPort: "is not a port number"
            case .notAddress: "is not an IP address"
            case .badAction: "is not ACCEPT or REJECT"
            case .badStatus: "is not OK, NODATA or SKIPDATA"
            case .pastYear9999: "is past the year 9999 (seconds since 1970 expected)"
            }
        }
    }

    /// A data line's values: the numbers in the store's row layout, the text fields as byte ranges of the line.
    private struct ParsedFields {
        var row = FlowRow()
        var version: Int64
        var packetSource: IPAddress?, packetDestination: IPAddress?
        var action = FlowFields.Action.none, status = FlowFields.Status.ok
        var actionText: StaticString = "-"
        var account = 0..<0, region = 0..<0, sourceText = 0..<0, destinationText = 0..<0
        var interface = 0..<0, instance = 0..<0, vpc = 0..<0, subnet = 0..<0
        /// The line is in the version-2 default format, written the plain way (see ``takeDefaultFormat(_:_:)``).
        var isPlain = false

        init(version: Int64) { self.version = version }

        /// Takes every column's value from a line split into `tokens` (one per column), in column order; the first
        /// bad column and its problem, if any. One loop with the decoding inlined: a call per field cost a seventh
        /// of the parse.
        mutating func takeAll(_ columns: UnsafeBufferPointer<FlowLogField>, _ tokens: FlowLineTokens,
                              _ p: UnsafePointer<UInt8>) -> (Int, Problem)? {
            for c in 0..<columns.count {
                let s = tokens.start(c), e = tokens.end(c)
                if e - s == 1, p[s] == UInt8(ascii: "-") { continue }
                if let problem = take(columns[c], p, s, e) { return (c, problem) }
            }
            return nil
        }

        /// Takes the values of a line in the version-2 default format (the CloudWatch delivery, and the S3
        /// delivery's default header) in one pass, splitting as it goes: no token table, no dispatch on the
        /// column. False when the line is anything but fourteen plain values (a dash, a value that does not
        /// parse, NODATA, a field too many or too few); the general path then reads it and reports what is wrong.
        @inline(__always)
        mutating func takeDefaultFormat(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
            var i = 0
            // For `isPlain`: the separator bytes skipped, whether any was a tab, whether a number has a leading zero.
            var gaps = 0, tabs = false, leadingZeros: UInt8 = 0
            // The next token's bounds, or an empty range at the end of the line.
            @inline(__always) func next() -> Range<Int> {
                while i < n {
                    let c = p[i]
                    guard c == 0x20 || c == 0x09 else { break }
                    gaps &+= 1
                    tabs = tabs || c == 0x09
                    i &+= 1
                }
                guard i < n else { return i..<i }
                let s = i
                i = FlowLineTokens.separator(p, from: s + 1, n)
                return Range(uncheckedBounds: (s, i))
            }
            @inline(__always) func number(_ r: Range<Int>) -> Int64? {
                // Without branches: a one-digit zero is plain.
                leadingZeros |= (p[r.lowerBound] == UInt8(ascii: "0") ? 1 : 0) & (r.count > 1 ? 1 : 0)
                return LineParser.integer(p + r.lowerBound, r.count)
            }
            @inline(__always) func address(_ r: Range<Int>) -> IPAddress? {
                let text = UnsafeRawBufferPointer(start: p + r.lowerBound, count: r.count)
                // Plain dotted quads inline; anything else (IPv6, bad text) through the whole parser.
                if r.count <= 15, let v4 = IPAddress.quickV4(text) { return IPAddress(v4: v4) }
                return IPAddress.parse(text)
            }
            @inline(__always) func isDash(_ r: Range<Int>) -> Bool { r.count == 1 && p[r.lowerBound] == UInt8(ascii: "-") }

            guard let v = number(next()) else { return false }
            version = v
            let accountRange = next(), interfaceRange = next()
            guard !accountRange.isEmpty, !interfaceRange.isEmpty, !isDash(accountRange), !isDash(interfaceRange) else { return false }
            account = accountRange
            interface = interfaceRange
            let sourceRange = next()
            guard let source = address(sourceRange) else { return false }
            let destinationRange = next()
            guard let destination = address(destinationRange) else { return false }
            guard let sourcePort = number(next()), sourcePort <= 65535, let destinationPort = number(next()), destinationPort <= 65535,
                  let ipProtocol = number(next()), let packets = number(next()), let bytes = number(next()),
                  let start = number(next()), start <= Timestamp.latestSeconds, let end = number(next()), end <= Timestamp.latestSeconds
            else { return false }
            let actionRange = next()
            guard takeAction(UnsafeRawBufferPointer(start: p + actionRange.lowerBound, count: actionRange.count)) else { return false }
            let statusRange = next()
            guard statusRange.count == 2, p[statusRange.lowerBound] == UInt8(ascii: "O"), p[statusRange.lowerBound + 1] == UInt8(ascii: "K"),
                  next().isEmpty else { return false }
            status = .ok
            // Written the plain way, the line is exactly what the values say, and the store need not keep it: one
            // space between fields and none around them (fourteen fields and thirteen separator bytes, none a tab),
            // numbers without leading zeros, values that fit their columns, ids in ASCII (kept as text, which must
            // read back as the same bytes). Addresses parse only in their one plain form.
            isPlain = gaps == 13 && !tabs && leadingZeros == 0 && v <= 255 && ipProtocol <= 255
                && Self.isASCII(p, accountRange) && Self.isASCII(p, interfaceRange)
            row.setSource(source)
            sourceText = sourceRange
            row.setDestination(destination)
            destinationText = destinationRange
            row.setSourcePort(sourcePort)
            row.setDestinationPort(destinationPort)
            row.setProtocol(ipProtocol)
            row.setPackets(packets)
            row.setBytes(bytes)
            row.setStart(Timestamp(seconds: start))
            row.setEnd(Timestamp(seconds: end))
            return true
        }

        /// Whether bytes `r` of the line are all ASCII, eight at a time (the last eight overlapping the others).
        @inline(__always)
        static func isASCII(_ p: UnsafePointer<UInt8>, _ r: Range<Int>) -> Bool {
            let raw = UnsafeRawPointer(p)
            guard r.count >= 8 else {
                var high: UInt8 = 0
                for k in r { high |= p[k] }
                return high & 0x80 == 0
            }
            var high = raw.loadUnaligned(fromByteOffset: r.upperBound - 8, as: UInt64.self)
            var i = r.lowerBound
            while i + 8 < r.upperBound {
                high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            return high & 0x8080_8080_8080_8080 == 0
        }

        /// Takes an action value; false when it is neither `ACCEPT` nor `REJECT`.
        @inline(__always)
        mutating func takeAction(_ value: UnsafeRawBufferPointer) -> Bool {
            if ByteSearch.equals(value, "ACCEPT") {
                action = .accept
                actionText = "ACCEPT"
            } else if ByteSearch.equals(value, "REJECT") {
                action = .reject
                actionText = "REJECT"
            } else {
                return false
            }
            return true
        }

        /// Takes the value of `field` from bytes `s..<e` of the line (not `-`); the problem when it is bad. The one
        /// place a field's text becomes a value, whichever way the line was split.
        @inline(__always)
        mutating func take(_ field: FlowLogField, _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Problem? {
            let value = UnsafeRawBufferPointer(start: p + s, count: e - s)
            switch field {
            case .version:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                version = v
            case .accountID: account = s..<e
            case .interfaceID: interface = s..<e
            case .instanceID: instance = s..<e
            case .vpcID: vpc = s..<e
            case .subnetID: subnet = s..<e
            case .region: region = s..<e
            case .sourceAddress:
                guard let address = IPAddress.parse(value) else { return .notAddress }
                row.setSource(address)
                sourceText = s..<e
            case .destinationAddress:
                guard let address = IPAddress.parse(value) else { return .notAddress }
                row.setDestination(address)
                destinationText = s..<e
            case .packetSourceAddress:
                guard let address = IPAddress.parse(value) else { return .notAddress }
                packetSource = address
            case .packetDestinationAddress:
                guard let address = IPAddress.parse(value) else { return .notAddress }
                packetDestination = address
            case .sourcePort, .destinationPort:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                guard v <= 65535 else { return .notPort }
                if field == .sourcePort { row.setSourcePort(v) } else { row.setDestinationPort(v) }
            case .ipProtocol:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                row.setProtocol(v)
            case .tcpFlags:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                row.setTCPFlags(v)
            case .packets:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                row.setPackets(v)
            case .bytes:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                row.setBytes(v)
            case .start, .end:
                guard let v = LineParser.integer(p + s, e - s) else { return .notNumber }
                guard v <= Timestamp.latestSeconds else { return .pastYear9999 }
                if field == .start { row.setStart(Timestamp(seconds: v)) } else { row.setEnd(Timestamp(seconds: v)) }
            case .action:
                guard takeAction(value) else { return .badAction }
            case .logStatus:
                if ByteSearch.equals(value, "OK") {
                    status = .ok
                } else if ByteSearch.equals(value, "NODATA") {
                    status = .noData
                } else if ByteSearch.equals(value, "SKIPDATA") {
                    status = .skipData
                } else {
                    return .badStatus
                }
            case .flowDirection:
                if ByteSearch.equals(value, "ingress") {
                    row.setDirection(.ingress)
                } else if ByteSearch.equals(value, "egress") {
                    row.setDirection(.egress)
                }
            case .type, .azID, .sublocationType, .sublocationID, .packetSourceAWSService,
                 .packetDestinationAWSService, .trafficPath, .ecs, .rejectReason, .unknown:
                break
            }
            return nil
        }
    }

    /// Parses one line in a single pass: appends an event or an error to `batch`, or returns the new columns when
    /// it is a header line.
    mutating func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int, source: String,
                        into batch: inout IngestBatch) -> [FlowLogField]? {
        let n = line.count
        guard n > 0, let p = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var i = 0
        while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        if i == n { return nil }
        // Data lines start with a digit, `-` or an upper-case letter far more often than not; only lines starting
        // with a lower-case letter or `$` can be headers.
        if p[i] >= UInt8(ascii: "a") || p[i] == UInt8(ascii: "$") {
            tokens.split(line)
            if let header = FlowLogReader.headerFields(line, tokens) {
                batch.ignoredRecords += 1
                return header
            }
        }

        // The numbers go straight into the store's row layout; a FlowFields (ids as strings) is made only for
        // the event path, at the end.
        var parsed = ParsedFields(version: Int64(impliedVersion))
        if isDefaultFormat, n <= Int(Int32.max), parsed.takeDefaultFormat(p, n) {
            return finish(parsed, line, p, lineNumber: lineNumber, source: source, into: &batch)
        }
        parsed = ParsedFields(version: Int64(impliedVersion))
        // Split first (eight bytes at a time), then each column's value taken in column order: a field named twice
        // keeps its last value, and the first bad value in column order is the one reported. Lines with more
        // tokens than the buffer records, or too long for its 32-bit offsets, are read column by column instead.
        if n <= Int(Int32.max) {
            tokens.split(p, n)
        }
        if n <= Int(Int32.max), tokens.count == tokens.stored {
            guard tokens.count == columns.count else {
                batch.error(source, line: lineNumber, "expected \(columns.count) fields, found \(tokens.count)")
                return nil
            }
            if let bad = columns.withUnsafeBufferPointer({ parsed.takeAll($0, tokens, p) }) {
                let (c, problem) = bad
                Self.report(problem, columns[c], p, tokens.start(c), tokens.end(c), lineNumber: lineNumber, source: source,
                            into: &batch)
                return nil
            }
            if isDefaultFormat, parsed.status != .ok { parsed.isPlain = Self.isPlainGap(p, n, tokens, version: parsed.version) }
        } else {
            guard parseColumns(p, n, lineNumber: lineNumber, source: source, into: &batch, fields: &parsed) else { return nil }
        }
        return finish(parsed, line, p, lineNumber: lineNumber, source: source, into: &batch)
    }

    /// Appends the event of a data line whose values are all taken (or the error when it has no time).
    @inline(__always)
    private mutating func finish(_ parsed: ParsedFields, _ line: UnsafeRawBufferPointer, _ p: UnsafePointer<UInt8>, lineNumber: Int,
                                 source: String, into batch: inout IngestBatch) -> [FlowLogField]? {
        var row = parsed.row
        let version = parsed.version, action = parsed.action, status = parsed.status
        var actionText = parsed.actionText
        let (packetSource, packetDestination) = (parsed.packetSource, parsed.packetDestination)
        let (account, region, sourceText, destinationText) = (parsed.account, parsed.region, parsed.sourceText, parsed.destinationText)
        let (interface, instance, vpc, subnet) = (parsed.interface, parsed.instance, parsed.vpc, parsed.subnet)
        row.setVersion(version)
        row.setAction(action)
        row.setStatus(status)
        let recordTime = row.startOrEnd
        guard let time = recordTime ?? fallbackTime else {
            batch.error(source, line: lineNumber, "record has neither start nor end time")
            return nil
        }
        if recordTime == nil && firstUntimedLine == nil { firstUntimedLine = lineNumber }
        switch status {
        case .noData: actionText = "NODATA"
        case .skipData: actionText = "SKIPDATA"
        case .ok: break
        }
        func bytes(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: p + r.lowerBound, count: r.count) }
        if batch.rows != nil {
            Self.appendRow(into: &batch.rows!, addresses: addresses, time: time, row: row, actionText: actionText, rejected: action == .reject,
                           source: bytes(sourceText), destination: bytes(destinationText), region: bytes(region),
                           account: bytes(account), ids: (bytes(interface), bytes(instance), bytes(vpc), bytes(subnet)),
                           packetSource: packetSource, packetDestination: packetDestination, lineIsDerivable: parsed.isPlain, raw: line)
            return nil
        }
        var flow = row.fields
        flow.version = Int(version)
        flow.packetSourceAddress = packetSource
        flow.packetDestinationAddress = packetDestination
        func text(_ r: Range<Int>, _ cache: inout StringCache) -> String? { r.isEmpty ? nil : cache.string(bytes(r)) }
        flow.interfaceID = text(interface, &interfaceCache)
        flow.instanceID = text(instance, &instanceCache)
        flow.vpcID = text(vpc, &vpcCache)
        flow.subnetID = text(subnet, &subnetCache)
        var resources = [String]()
        resources.reserveCapacity(4)
        if let id = flow.interfaceID { resources.append(id) }
        if let id = flow.instanceID { resources.append(id) }
        if let id = flow.vpcID { resources.append(id) }
        if let id = flow.subnetID { resources.append(id) }
        batch.events.append(Event(
            time: time, kind: .flow, service: "vpc-flow-logs", action: actionText.description,
            outcome: action == .reject ? .failure(code: "REJECT", message: nil) : .success,
            sourceIP: sourceText.isEmpty ? nil : String(decoding: bytes(sourceText), as: UTF8.self),
            region: text(region, &regionCache), account: text(account, &accountCache), resources: resources,
            flow: flow, raw: [UInt8](line)))
        return nil
    }


    /// Whether a NODATA or SKIPDATA line of the default format, already read, is written the plain way (see
    /// ``ParsedFields/takeDefaultFormat(_:_:)``): fourteen fields one space apart, the version, account and
    /// interface, then `-` for every field but the start and end, both plain numbers.
    private static func isPlainGap(_ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: FlowLineTokens, version: Int64) -> Bool {
        guard tokens.count == 14, tokens.start(0) == 0, tokens.end(13) == n, version <= 255 else { return false }
        for k in 1..<14 where tokens.start(k) != tokens.end(k - 1) + 1 || p[tokens.end(k - 1)] != 0x20 { return false }
        func isDash(_ k: Int) -> Bool { tokens.end(k) - tokens.start(k) == 1 && p[tokens.start(k)] == UInt8(ascii: "-") }
        func isPlainNumber(_ k: Int) -> Bool {
            let s = tokens.start(k), count = tokens.end(k) - s
            return LineParser.integer(p + s, count) != nil && (count == 1 || p[s] != UInt8(ascii: "0"))
        }
        for k in [3, 4, 5, 6, 7, 8, 9, 12] where !isDash(k) { return false }
        return isPlainNumber(0) && isPlainNumber(10) && isPlainNumber(11) && !isDash(1) && !isDash(2)
            && ParsedFields.isASCII(p, tokens.start(1)..<tokens.end(1)) && ParsedFields.isASCII(p, tokens.start(2)..<tokens.end(2))
    }

    /// Reads a data line column by column, splitting as it goes (no limit on the number of tokens). Reports the
    /// problem and returns false when the line is bad.
    private func parseColumns(_ p: UnsafePointer<UInt8>, _ n: Int, lineNumber: Int, source: String,
                              into batch: inout IngestBatch, fields: inout ParsedFields) -> Bool {
        var i = 0, k = 0
        var problem: (field: FlowLogField, start: Int, end: Int, kind: Problem)?
        while true {
            while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            if i == n { break }
            let s = i
            while i < n, p[i] != 0x20, p[i] != 0x09 { i += 1 }
            let column = k
            k += 1
            if column >= columns.count || problem != nil { continue }
            if i - s == 1, p[s] == UInt8(ascii: "-") { continue }
            if let kind = fields.take(columns[column], p, s, i) { problem = (columns[column], s, i, kind) }
        }
        guard k == columns.count else {
            batch.error(source, line: lineNumber, "expected \(columns.count) fields, found \(k)")
            return false
        }
        if let problem {
            Self.report(problem.kind, problem.field, p, problem.start, problem.end, lineNumber: lineNumber, source: source, into: &batch)
            return false
        }
        return true
    }

    /// Reports a bad value, showing at most its first 64 bytes.
    private static func report(_ problem: Problem, _ field: FlowLogField, _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int,
                               lineNumber: Int, source: String, into batch: inout IngestBatch) {
        let shownEnd = min(e, s + 64)
        let shown = String(decoding: UnsafeRawBufferPointer(start: p + s, count: shownEnd - s), as: UTF8.self)
            + (e > shownEnd ? "…" : "")
        batch.error(source, line: lineNumber, "\(field.name) '\(shown)' \(problem.text)")
    }

    /// Writes one flow line as a row of the bulk batch (one access to the batch for the whole row).
    @inline(__always)
    private static func appendRow(into rows: inout EventRows, addresses: AddressSymbolCache, time: Timestamp, row: FlowRow, actionText: StaticString,
                                  rejected: Bool, source: UnsafeRawBufferPointer, destination: UnsafeRawBufferPointer,
                                  region: UnsafeRawBufferPointer, account: UnsafeRawBufferPointer,
                                  ids: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeRawBufferPointer),
                                  packetSource: IPAddress?, packetDestination: IPAddress?, lineIsDerivable: Bool,
                                  raw: UnsafeRawBufferPointer) {
        rows.beginRow(time: time, kind: .flow)
        rows.set(.service, "vpc-flow-logs")
        rows.set(.action, actionText)
        if rejected { rows.setFailure(code: "REJECT") }
        // IPv4 addresses by their value; anything else (IPv6, absent) by its text.
        if let a = row.sourceAddress, a.isV4 {
            rows.set(.sourceIP, symbol: addresses.symbol(of: UInt32(truncatingIfNeeded: a.low), text: source, in: rows.symbols))
        } else {
            rows.set(.sourceIP, source)
        }
        if let a = row.destinationAddress, a.isV4 {
            rows.set(.destinationIP, symbol: addresses.symbol(of: UInt32(truncatingIfNeeded: a.low), text: destination, in: rows.symbols))
        } else {
            rows.set(.destinationIP, destination)
        }
        // Absent values leave their cells empty: most formats have no region, and the default format names the
        // interface only (three calls a line that would intern nothing).
        if !region.isEmpty { rows.set(.region, region) }
        rows.set(.account, account)
        if !ids.0.isEmpty { rows.addResource(ids.0) }
        if !ids.1.isEmpty { rows.addResource(ids.1) }
        if !ids.2.isEmpty { rows.addResource(ids.2) }
        if !ids.3.isEmpty { rows.addResource(ids.3) }
        rows.setFlow(row, packetSource: packetSource, packetDestination: packetDestination, lineIsDerivable: lineIsDerivable)
        rows.endRow(raw: raw)
    }

    /// A non-negative decimal integer of at most 18 digits.
    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard count > 0, count <= 18 else { return nil }
        var v: Int64 = 0
        for k in 0..<count {
            let d = p[k] &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
        }
        return v
    }
}

/// Remembers the last string made from bytes, so repeated ids (one interface's records) share one allocation.
private struct StringCache {
    var bytes: [UInt8] = []
    var value = ""

    mutating func string(_ b: UnsafeRawBufferPointer) -> String {
        if b.count == bytes.count, !bytes.isEmpty, bytes.withUnsafeBufferPointer({ mine in
            for k in 0..<b.count where mine[k] != b[k] { return false }
            return true
        }) {
            return value
        }
        bytes = [UInt8](b)
        value = String(decoding: b, as: UTF8.self)
        return value
    }
}
