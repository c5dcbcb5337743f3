import Dispatch

/// A busy account's logs, of any size, for benchmarks: CloudTrail in the S3 layout (plain or gzipped) and VPC
/// flow logs (v2, S3 style with a header line).
///
/// About 300 principals (IAM users named `alice`, `bob`, …, SSO sessions, workload roles, AWS services), ~210
/// actions over 32 services, ~3,000 resources and 17 regions, all with Zipf-like popularity, so that a filter
/// like `user:alice action:Create*` selects a small fraction. Records are 1–2 KB. Output depends only on the
/// seed and the arguments; files are built independently (in parallel) from per-file generators.
public struct BenchDataGenerator: Sendable {
    public let seed: UInt64
    let catalog: BenchCatalog

    /// The first event time: 2026-03-01T00:00:00Z.
    public static let baseTime: Int64 = 1_772_323_200
    /// CloudTrail events per second of simulated time (so a dataset's time span grows with its size).
    public static let eventsPerSecond = 100

    public init(seed: UInt64) {
        self.seed = seed
        catalog = BenchCatalog(seed: seed)
    }

    // MARK: CloudTrail

    /// One CloudTrail log file's JSON (`{"Records":[…]}`), as file number `fileIndex` of a dataset would hold.
    public func cloudTrailDocument(records: Int, fileIndex: Int) -> [UInt8] {
        var rng = SeededGenerator(seed: seed, stream: UInt64(fileIndex) &+ 1)
        let region = catalog.regionPicker.pick(&rng)
        let start = Self.baseTime + Int64(fileIndex) * 300
        return document(records: records, region: region, start: start, span: 300, rng: &rng)
    }

    func document(records: Int, region: Int, start: Int64, span: Int64, rng: inout SeededGenerator) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(records * 1_500 + 64)
        out.append("{\"Records\":[")
        var writer = RecordWriter(catalog: catalog)
        for i in 0..<records {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let time = start + Int64(rng.below(Int(max(1, span))))
            writer.write(into: &out, time: time, region: region, rng: &rng)
        }
        out.append("]}\n")
        return out
    }

    /// Splits `events` into file sizes within `range` (one smaller file only if `events` < the range's lower bound).
    static func partition(_ events: Int, _ range: ClosedRange<Int>, rng: inout SeededGenerator) -> [Int] {
        guard events > 0 else { return [] }
        let lo = max(1, range.lowerBound), hi = max(lo, range.upperBound)
        if events <= hi { return [events] }
        var files = max(1, Int((Double(events) / Double(lo + hi) * 2).rounded()))
        if files * hi < events { files = (events + hi - 1) / hi }
        if files * lo > events { files = events / lo }
        var sizes = [Int](repeating: lo, count: files)
        var remaining = events - files * lo
        let chunk = max(1, (hi - lo) / 3)
        var open = Array(0..<files)
        while remaining > 0 {
            let k = rng.below(open.count)
            let i = open[k]
            let add = min(remaining, hi - sizes[i], 1 + rng.below(chunk))
            sizes[i] += add
            remaining -= add
            if sizes[i] == hi { open.swapAt(k, open.count - 1); open.removeLast() }
        }
        return sizes
    }

    /// Writes `events` CloudTrail records under `folder/AWSLogs/111122223333/CloudTrail/<region>/YYYY/MM/DD/`,
    /// `recordsPerFile` records a file, gzipped (`.json.gz`) or not (`.json`). Returns the number of files and
    /// the uncompressed bytes.
    public func writeCloudTrail(to folder: String, events: Int, recordsPerFile: ClosedRange<Int> = 1000...5000,
                                gzip: Bool) throws -> (files: Int, bytes: Int) {
        var planner = SeededGenerator(seed: seed, stream: 0xF11E)
        let sizes = Self.partition(events, recordsPerFile, rng: &planner)
        var starts: [Int] = []
        var total = 0
        for s in sizes { starts.append(total); total += s }
        let results = ResultSlots(count: sizes.count)
        let catalog = self.catalog
        let seed = self.seed
        let fileStarts = starts
        DispatchQueue.concurrentPerform(iterations: sizes.count) { index in
            var rng = SeededGenerator(seed: seed, stream: UInt64(index) &+ 1)
            let region = catalog.regionPicker.pick(&rng)
            let start = Self.baseTime + Int64(fileStarts[index] / Self.eventsPerSecond)
            let span = Int64(max(1, sizes[index] / Self.eventsPerSecond))
            let generator = BenchDataGenerator(seed: seed, catalog: catalog)
            let doc = generator.document(records: sizes[index], region: region, start: start, span: span, rng: &rng)
            let written = start + span + Int64(rng.int(in: 30...300))
            let regionName = BenchCatalog.regionNames[region]
            let name = "\(BenchCatalog.account)_CloudTrail_\(regionName)_\(UTC.compactMinute(written))_\(rng.alphanumeric(16)).json\(gzip ? ".gz" : "")"
            let path = FileOutput.join(folder, "AWSLogs/\(BenchCatalog.account)/CloudTrail/\(regionName)/\(UTC.slashDate(written))/\(name)")
            do {
                try FileOutput.write(gzip ? GzipWriter.compress(doc, level: 1) : doc, to: path)
                results.set(index, doc.count)
            } catch {
                results.fail(error)
            }
        }
        if let error = results.error { throw error }
        return (sizes.count, results.sum)
    }

    init(seed: UInt64, catalog: BenchCatalog) {
        self.seed = seed
        self.catalog = catalog
    }

    // MARK: Flow logs

    static let flowHeader = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"

    /// Writes `lines` VPC flow log records (v2 default format, header line, 1-minute windows) as plain `.log`
    /// files of at most `linesPerFile` records, under `folder/AWSLogs/111122223333/vpcflowlogs/<region>/YYYY/MM/DD/`.
    /// Returns the number of files and their bytes.
    public func writeFlowLogs(to folder: String, lines: Int, linesPerFile: Int = 1_000_000) throws -> (files: Int, bytes: Int) {
        let perFile = max(1, linesPerFile)
        let files = lines <= 0 ? 0 : (lines + perFile - 1) / perFile
        let results = ResultSlots(count: files)
        let seed = self.seed
        DispatchQueue.concurrentPerform(iterations: files) { index in
            let count = min(perFile, lines - index * perFile)
            var rng = SeededGenerator(seed: seed, stream: 0xF10E_0000 &+ UInt64(index))
            let network = FlowNetwork.shared
            let start = Self.baseTime + Int64(index) * 600
            var out: [UInt8] = []
            out.reserveCapacity(count * 110 + 128)
            out.append(Self.flowHeader)
            for _ in 0..<count { network.writeLine(into: &out, windowStart: start, rng: &rng) }
            let written = start + 600
            let name = "\(BenchCatalog.account)_vpcflowlogs_us-east-1_fl-0\(String(seed & 0xFFFF_FFFF, radix: 16))_\(UTC.compactMinute(written))_\(rng.hex(8)).log"
            let path = FileOutput.join(folder, "AWSLogs/\(BenchCatalog.account)/vpcflowlogs/us-east-1/\(UTC.slashDate(written))/\(name)")
            do {
                try FileOutput.write(out, to: path)
                results.set(index, out.count)
            } catch {
                results.fail(error)
            }
        }
        if let error = results.error { throw error }
        return (files, results.sum)
    }
}

/// Per-file results of a parallel write: each iteration writes only its own slot.
final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Int>
    private let lock = DispatchSemaphore(value: 1)
    private var firstError: Error?

    init(count: Int) {
        slots = .allocate(capacity: max(1, count))
        slots.initialize(repeating: 0)
    }

    deinit { slots.deallocate() }

    func set(_ index: Int, _ value: Int) { slots[index] = value }

    func fail(_ error: Error) {
        lock.wait()
        if firstError == nil { firstError = error }
        lock.signal()
    }

    var error: Error? {
        lock.wait()
        defer { lock.signal() }
        return firstError
    }

    var sum: Int { slots.reduce(0, +) }
}

/// Writes one CloudTrail record at a time from the catalog, straight into bytes.
struct RecordWriter {
    let catalog: BenchCatalog

    static let usEast1: [UInt8] = Array("us-east-1".utf8)
    static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    mutating func write(into out: inout [UInt8], time: Int64, region: Int, rng: inout SeededGenerator) {
        let p = catalog.principals[catalog.principalPicker.pick(&rng)]
        var a = catalog.actions[catalog.actionPicker.pick(&rng)]
        if a.signIn && p.isService { a = catalog.actions[0] }
        let pool = catalog.pools[a.pool]
        let resource = pool.items[pool.picker.pick(&rng)]
        let regionName = catalog.regions[region]
        let denied = !p.isService && !a.signIn && rng.below(100) < 3

        out.append("{\"eventVersion\":\"1.09\",\"userIdentity\":")
        out.append(contentsOf: p.identity)
        out.append(",\"eventTime\":\"")
        UTC.appendISO(time, to: &out)
        out.append("\",\"eventSource\":\"")
        out.append(contentsOf: a.eventSource)
        out.append("\",\"eventName\":\"")
        out.append(contentsOf: a.eventName)
        out.append("\",\"awsRegion\":\"")
        out.append(contentsOf: a.signIn || a.service == "iam" ? Self.usEast1 : regionName)
        out.append("\",\"sourceIPAddress\":\"")
        out.append(contentsOf: p.sourceIP)
        out.append("\",\"userAgent\":\"")
        out.append(contentsOf: p.userAgents[rng.below(p.userAgents.count)])
        out.append("\",")
        if denied {
            out.append("\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User: ")
            out.append(p.arn)
            out.append(" is not authorized to perform: ")
            out.append(a.service)
            out.append(":")
            out.append(contentsOf: a.eventName)
            out.append(" on resource: ")
            appendEscaped(resource, into: &out)
            out.append(" because no identity-based policy allows the action\",")
        }
        if a.signIn {
            let failed = rng.below(100) < 4
            if failed { out.append("\"errorMessage\":\"Failed authentication\",") }
            out.append("\"requestParameters\":null,\"responseElements\":{\"ConsoleLogin\":\"")
            out.append(failed ? "Failure" : "Success")
            out.append("\"},\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/console/home\",\"MobileVersion\":\"No\",\"MFAUsed\":\"")
            out.append(rng.below(10) < 8 ? "Yes" : "No")
            out.append("\"},")
        } else {
            out.append("\"requestParameters\":{\"")
            out.append(contentsOf: a.parameter)
            out.append("\":\"")
            appendEscaped(resource, into: &out)
            out.append("\"")
            out.append(contentsOf: a.extraParameters)
            out.append("},\"responseElements\":")
            if denied || a.response.isEmpty {
                out.append("null")
            } else {
                // Fragments alternate with values: ids and the resource.
                for (k, fragment) in a.response.enumerated() {
                    out.append(contentsOf: fragment)
                    if k < a.responseSlots.count {
                        switch a.responseSlots[k] {
                        case .uuid: appendUUID(into: &out, rng: &rng)
                        case .key: appendKey(into: &out, rng: &rng)
                        case .resource: appendEscaped(resource, into: &out)
                        }
                    }
                }
            }
            out.append(",")
            if a.dataEvent {
                out.append("\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":0,\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"")
                for _ in 0..<3 { appendKey(into: &out, rng: &rng) }
                out.append("=\",\"bytesTransferredOut\":")
                out.appendDecimal(rng.below(2_000_000))
                out.append("},")
            }
            out.append("\"requestID\":\"")
            if a.service == "s3" {
                let r = rng.next()
                for i in 0..<16 { out.append(Self.upperHex[Int((r >> UInt64(60 - 4 * i)) & 0xF)]) }
            } else {
                appendUUID(into: &out, rng: &rng)
            }
            out.append("\",")
        }
        out.append("\"eventID\":\"")
        appendUUID(into: &out, rng: &rng)
        out.append(a.readOnly ? "\",\"readOnly\":true," : "\",\"readOnly\":false,")
        if let type = a.resourceType {
            out.append("\"resources\":[{\"accountId\":\"111122223333\",\"type\":\"")
            out.append(type)
            out.append("\",\"ARN\":\"")
            appendEscaped(resource, into: &out)
            out.append("\"}],")
        }
        out.append(a.signIn ? "\"eventType\":\"AwsConsoleSignIn\"," : "\"eventType\":\"AwsApiCall\",")
        out.append(a.dataEvent ? "\"managementEvent\":false," : "\"managementEvent\":true,")
        out.append("\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"")
        out.append(a.dataEvent ? "Data\"" : "Management\"")
        if !p.isService {
            out.append(",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"")
            out.append(contentsOf: a.eventSource.prefix(a.eventSource.count - 14))
            out.append(".")
            out.append(contentsOf: regionName)
            out.append(".amazonaws.com\"}")
            if p.console { out.append(",\"sessionCredentialFromConsole\":\"true\"") }
        }
        out.append("}")
    }

    @inline(__always)
    func appendEscaped(_ bytes: [UInt8], into out: inout [UInt8]) {
        // Catalog strings never need escaping except '/' which JSON allows raw.
        out.append(contentsOf: bytes)
    }

    @inline(__always)
    func appendUUID(into out: inout [UInt8], rng: inout SeededGenerator) {
        rng.appendUUID(to: &out)
    }

    @inline(__always)
    func appendKey(into out: inout [UInt8], rng: inout SeededGenerator) {
        let alphabet = SeededGenerator.upperAlnum
        var r = rng.next()
        for _ in 0..<12 {
            out.append(alphabet[Int(r & 31)])
            r >>= 5
        }
        r = rng.next()
        for _ in 0..<4 {
            out.append(alphabet[Int(r & 31)])
            r >>= 5
        }
    }
}

/// The addresses and ports of the flow-log benchmark: ~2,000 ENIs and ~5,000 peers.
struct FlowNetwork: Sendable {
    static let shared = FlowNetwork()

    struct Interface: Sendable {
        var eni: [UInt8]
        var address: [UInt8]
    }

    var interfaces: [Interface] = []
    var interfacePicker: WeightedPicker
    var peers: [[UInt8]] = []
    var peerPicker: WeightedPicker
    let ports: [Int] = [443, 80, 22, 53, 5432, 3306, 6379, 8080, 123, 9092, 27017, 8443, 25, 3389, 445]
    let portPicker: WeightedPicker

    init() {
        var rng = SeededGenerator(seed: 0xF10F_10F1)
        for i in 0..<2_000 {
            let eni = "eni-0" + rng.hex(16)
            let address = "10.\(i % 40).\(i / 40 % 256).\(rng.int(in: 4...250))"
            interfaces.append(Interface(eni: Array(eni.utf8), address: Array(address.utf8)))
        }
        interfacePicker = WeightedPicker.zipf(count: interfaces.count, exponent: 0.8)
        for i in 0..<5_000 {
            let peer: String = switch i % 5 {
            case 0, 1: "10.\(rng.int(in: 0...40)).\(rng.int(in: 0...255)).\(rng.int(in: 4...250))"
            case 2: "198.51.100.\(rng.int(in: 1...254))"
            case 3: "203.0.113.\(rng.int(in: 1...254))"
            default: "192.0.2.\(rng.int(in: 1...254))"
            }
            peers.append(Array(peer.utf8))
        }
        peerPicker = WeightedPicker.zipf(count: peers.count, exponent: 1.0)
        portPicker = WeightedPicker.zipf(count: ports.count, exponent: 1.2)
    }

    func writeLine(into out: inout [UInt8], windowStart: Int64, rng: inout SeededGenerator) {
        let iface = interfaces[interfacePicker.pick(&rng)]
        let roll = rng.below(1000)
        out.append("2 111122223333 ")
        out.append(contentsOf: iface.eni)
        let start = windowStart + Int64(rng.below(540))
        if roll < 8 {
            out.append(" - - - - - - - ")
            out.appendDecimal(Int(start))
            out.append(UInt8(ascii: " "))
            out.appendDecimal(Int(start + 60))
            out.append(" - NODATA\n")
            return
        }
        let peer = peers[peerPicker.pick(&rng)]
        let service = ports[portPicker.pick(&rng)]
        let ephemeral = 32_768 + rng.below(28_000)
        let outbound = rng.below(2) == 0
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: outbound ? iface.address : peer)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: outbound ? peer : iface.address)
        out.append(UInt8(ascii: " "))
        out.appendDecimal(outbound ? ephemeral : ephemeral - 1)
        out.append(UInt8(ascii: " "))
        out.appendDecimal(service)
        out.append(service == 53 || service == 123 ? " 17 " : " 6 ")
        let packets = 1 + rng.below(rng.below(10) == 0 ? 20_000 : 200)
        out.appendDecimal(packets)
        out.append(UInt8(ascii: " "))
        out.appendDecimal(packets * (40 + rng.below(1_400)))
        out.append(UInt8(ascii: " "))
        out.appendDecimal(Int(start))
        out.append(UInt8(ascii: " "))
        out.appendDecimal(Int(start + 60))
        out.append(roll < 100 ? " REJECT OK\n" : " ACCEPT OK\n")
    }
}
