import Foundation
import Testing
import VigilCore
@testable import VigilIngest
import VigilStore
import VigilSynth

/// A scratch folder for one test, removed afterwards.
final class ScratchFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "vigil-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }

    func append(_ name: String, _ text: String) {
        let handle = FileHandle(forWritingAtPath: path + "/" + name)!
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        handle.closeFile()
    }
}

enum OtherFixtures {
    static let flowV2 = """
    2 111122223333 eni-0a1b2c3d 10.0.1.5 198.51.100.20 49152 443 6 10 8400 1773151200 1773151260 ACCEPT OK
    2 111122223333 eni-0a1b2c3d 203.0.113.9 10.0.1.5 51515 22 6 1 40 1773151200 1773151260 REJECT OK

    """
    static let sshd = """
    Mar 10 14:03:11 bastion sshd[2211]: Failed password for invalid user admin from 198.51.100.23 port 40022 ssh2
    Mar 10 14:03:15 bastion sshd[2213]: Accepted publickey for ops from 192.0.2.44 port 51000 ssh2: ED25519 SHA256:abc

    """
    static let dns = """
    {"version":"1.100000","account_id":"111122223333","region":"us-east-1","vpc_id":"vpc-0abc","query_timestamp":"2026-03-10T14:10:00Z","query_name":"pool.example.net.","query_type":"A","query_class":"IN","rcode":"NOERROR","answers":[{"Rdata":"198.51.100.99","Type":"A","Class":"IN"}],"srcaddr":"10.0.1.5","srcport":"53111","transport":"UDP","srcids":{"instance":"i-0abc"}}

    """
    static let finding = #"{"Findings":[{"SchemaVersion":"2.0","AccountId":"111122223333","Region":"us-east-1","Id":"f00d","Type":"UnauthorizedAccess:EC2/SSHBruteForce","Severity":5,"CreatedAt":"2026-03-10T14:20:00.000Z","UpdatedAt":"2026-03-10T14:25:00.000Z","Title":"SSH brute force","Resource":{"ResourceType":"Instance","InstanceDetails":{"InstanceId":"i-0abc"}},"Service":{"Count":3,"Action":{"ActionType":"NETWORK_CONNECTION","NetworkConnectionAction":{"RemoteIpDetails":{"IpAddressV4":"198.51.100.23"}}}}}]}"#
}

@Suite("Ingestor")
struct IngestorTests {
    @Test("sniffs each format from content, whatever the file is called", arguments: [
        (CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records), LogFormat.cloudTrail),
        (CloudTrailFixtures.records.joined(separator: "\n"), .cloudTrail),
        (OtherFixtures.flowV2, .flowLogs),
        ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" + OtherFixtures.flowV2, .flowLogs),
        (OtherFixtures.sshd, .sshdAuth),
        (OtherFixtures.dns, .resolverQueryLogs),
        (OtherFixtures.finding, .guardDuty),
        ("{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"x\",\"ingestionTime\":2}]}", .cloudWatchLogs),
        ("2026-03-10T14:00:00.000Z " + OtherFixtures.flowV2.split(separator: "\n")[0] + "\n", .timestampedLines),
        ("   \n\t ", .empty),
        ("hello, world\nthis is not a log\n", .unknown),
    ])
    func sniffs(text: String, format: LogFormat) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { FormatSniffer.sniff($0) } == format)
    }

    @Test("reads a folder of every kind, including gzip and the AWSLogs layout")
    func folder() throws {
        let dir = ScratchFolder()
        let trail = CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records)
        dir.write("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/10/111122223333_CloudTrail_us-east-1_20260310T1405Z_abc.json.gz",
                  GzipWriter.compress(Array(trail.utf8)))
        dir.write("flows.log", OtherFixtures.flowV2)
        dir.write("auth.log", OtherFixtures.sshd)
        dir.write("dns/resolver.log", OtherFixtures.dns)
        dir.write("findings.json", OtherFixtures.finding)
        dir.write(".hidden/ignored.json", trail)
        let result = Ingestor.load(paths: [dir.path], options: IngestOptions(year: 2026))
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        #expect(result.files.count == 5)
        let kinds = Dictionary(uniqueKeysWithValues: result.store.valueCounts(.kind).map { ($0.value, $0.count) })
        #expect(kinds == ["cloudtrail": 4, "flow": 2, "auth": 2, "dns": 1, "finding": 1])
        let gz = try #require(result.files.first { $0.path.hasSuffix(".json.gz") })
        #expect(gz.compressed)
        #expect(gz.format == .cloudTrail)
        #expect(gz.decodedBytes == trail.utf8.count)
    }

    @Test("unwraps CloudWatch Logs exports of CloudTrail and flow logs")
    func cloudWatch() {
        let messages = CloudTrailFixtures.records.map { "{\"logStreamName\":\"111122223333_CloudTrail_us-east-1\",\"timestamp\":1,\"message\":" + JSONValue.quoted($0) + ",\"ingestionTime\":2,\"eventId\":\"e\"}" }
        let filterOutput = "{\"events\":[" + messages.joined(separator: ",") + "],\"searchedLogStreams\":[]}"
        var batch = IngestBatch()
        let (format, inner) = Array(filterOutput.utf8).withUnsafeBytes {
            Ingestor.read($0, source: "cw.json", referenceTime: Timestamp(seconds: 0), into: &batch)
        }
        #expect(format == .cloudWatchLogs)
        #expect(inner == .cloudTrail)
        #expect(batch.events.count == 4)
        #expect(batch.diagnostics.isEmpty)

        let flowLines = OtherFixtures.flowV2.split(separator: "\n").map { "{\"id\":\"1\",\"timestamp\":1,\"message\":\"\($0)\"}" }
        let subscription = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"flows\",\"logStream\":\"eni\",\"subscriptionFilters\":[\"f\"],\"logEvents\":[" + flowLines.joined(separator: ",") + "]}"
        var flows = IngestBatch()
        let result = Array(GzipWriter.compress(Array(subscription.utf8))).withUnsafeBytes { gz -> (LogFormat, LogFormat?) in
            let plain = Gzip.decompress(gz).bytes
            return plain.withUnsafeBytes { Ingestor.read($0, source: "sub.gz", referenceTime: Timestamp(seconds: 0), into: &flows) }
        }
        #expect(result.0 == .cloudWatchLogs)
        #expect(result.1 == .flowLogs)
        #expect(flows.events.map(\.action) == ["ACCEPT", "REJECT"])

        let exported = OtherFixtures.flowV2.split(separator: "\n").map { "2026-03-10T14:00:00.000Z " + $0 }.joined(separator: "\n") + "\n"
        var s3 = IngestBatch()
        let s3Result = Array(exported.utf8).withUnsafeBytes { Ingestor.read($0, source: "000000.gz", referenceTime: Timestamp(seconds: 0), into: &s3) }
        #expect(s3Result.0 == .timestampedLines)
        #expect(s3.events.count == 2)
    }

    @Test("bad inputs get clear messages and the rest is still read")
    func badInputs() throws {
        let dir = ScratchFolder()
        let good = dir.write("good.json", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records))
        let gz = GzipWriter.compress(Array(CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records).utf8))
        dir.write("cut.json.gz", Array(gz.prefix(gz.count * 2 / 3)))
        dir.write("empty.json", "")
        dir.write("notes.txt", "meeting notes\nnothing to see\n")
        var garbage = [UInt8](repeating: 0, count: 4096)
        var rng = SeededGenerator(seed: 7)
        for k in garbage.indices { garbage[k] = UInt8.random(in: 0...255, using: &rng) }
        garbage[0] = 0x00
        dir.write("garbage.bin", garbage)
        dir.write("latin1.log", [0x4D, 0x61, 0x72] + Array(" 10 14:03:11 bastion sshd[1]: Invalid user ".utf8) + [0xE9, 0xFF] + Array(" from 198.51.100.1 port 2\n".utf8))
        let result = Ingestor.load(paths: [dir.path, dir.path + "/missing.json"], options: IngestOptions(year: 2026))
        let messages = result.diagnostics.map(\.description) + result.inputErrors.map(\.description)
        func has(_ file: String, _ fragment: String) -> Bool {
            messages.contains { $0.contains(file) && $0.contains(fragment) }
        }
        #expect(has("cut.json.gz", "truncated gzip stream"), "\(messages)")
        #expect(has("empty.json", "empty file"))
        #expect(has("notes.txt:1", "unrecognised format"))
        #expect(has("garbage.bin", "unrecognised format"))
        #expect(has("latin1.log:1", "invalid UTF-8 at byte"))
        #expect(has("missing.json", "No such file"))
        // Everything readable was read: 4 good records, the intact records of the cut file, the sshd line.
        let cut = try #require(result.files.first { $0.path.hasSuffix("cut.json.gz") })
        #expect(cut.events >= 1)
        #expect(result.store.count == 4 + 1)  // the cut file's records duplicate good.json's and are dropped
        #expect(result.store.duplicatesDropped == cut.events)
        _ = good
    }

    @Test("strict mode stops at the first error")
    func strict() {
        let dir = ScratchFolder()
        dir.write("a.json", "{\"Records\":[{\"eventName\":1}]}")
        dir.write("b.json", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records))
        let result = Ingestor.load(paths: [dir.path], options: IngestOptions(strict: true, concurrency: 1))
        #expect(result.errorCount == 1)
        #expect(result.files.count == 1)
    }

    @Test("a single 50 MB line is read without trouble")
    func hugeLine() {
        let padding = String(repeating: "A", count: 50 << 20)
        let record = CloudTrailFixtures.iamUserCreateKey.replacingOccurrences(of: "\"requestID\":\"r-1\"", with: "\"requestID\":\"\(padding)\"")
        var batch = IngestBatch()
        Array(record.utf8).withUnsafeBytes { Ingestor.read($0, source: "big.json", referenceTime: Timestamp(seconds: 0), into: &batch) }
        #expect(batch.events.count == 1)
        #expect(batch.events.first?.raw.count == record.utf8.count)
    }

    @Test("never modifies the evidence it reads")
    func readOnly() throws {
        let dir = ScratchFolder()
        let path = dir.write("trail.json", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let before = try FileManager.default.attributesOfItem(atPath: path)
        let content = try Data(contentsOf: URL(fileURLWithPath: path))
        _ = Ingestor.load(paths: [path])
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
    }
}

@Suite("LiveTail")
struct LiveTailTests {
    @Test("hands over new lines, new files and finished documents, once each")
    func follows() {
        let dir = ScratchFolder()
        dir.write("flows.log", OtherFixtures.flowV2)
        let tail = LiveTail(paths: [dir.path])
        #expect(tail.poll().events.count == 2)
        #expect(tail.poll().events.isEmpty)
        // A partial line waits for its newline.
        dir.append("flows.log", "2 111122223333 eni-0a1b2c3d 10.0.1.5 198.51.100.20 49153 443 6 10 8400 1773151300 1773151360 ACCEPT")
        #expect(tail.poll().events.isEmpty)
        dir.append("flows.log", " OK\n")
        let grown = tail.poll()
        #expect(grown.events.count == 1)
        #expect(grown.events.first?.flow?.sourcePort == 49153)
        // A whole document is read once it has stopped changing.
        dir.write("trail.json", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records))
        #expect(tail.poll().events.isEmpty)
        #expect(tail.poll().events.count == 4)
        #expect(tail.poll().events.isEmpty)
    }

    @Test("keeps line numbers and the flow-log header across polls")
    func headerAcrossPolls() {
        let dir = ScratchFolder()
        dir.write("custom.log", "version srcaddr dstaddr dstport action log-status start end\n5 10.0.0.1 10.0.0.2 22 ACCEPT OK 1773151200 1773151260\n")
        let tail = LiveTail(paths: [dir.path])
        #expect(tail.poll().events.count == 1)
        dir.append("custom.log", "5 10.0.0.3 10.0.0.2 notaport ACCEPT OK 1773151200 1773151260\n5 10.0.0.4 10.0.0.2 3389 REJECT OK 1773151200 1773151260\n")
        let batch = tail.poll()
        #expect(batch.events.map { $0.flow?.destinationPort } == [3389])
        #expect(batch.diagnostics.first?.line == 3)
    }

    @Test("after skipping what exists, only what arrives later is handed over")
    func skipExisting() {
        let dir = ScratchFolder()
        dir.write("custom.log", "version srcaddr dstaddr dstport action log-status start end\n5 10.0.0.1 10.0.0.2 22 ACCEPT OK 1773151200 1773151260\n")
        dir.write("trail.json", CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records))
        let tail = LiveTail(paths: [dir.path])
        tail.skipExisting()
        #expect(tail.poll().events.isEmpty)
        // The header read while skipping still applies to new lines.
        dir.append("custom.log", "5 10.0.0.9 10.0.0.2 3389 REJECT OK 1773151300 1773151360\n")
        let batch = tail.poll()
        #expect(batch.events.map { $0.flow?.destinationPort } == [3389])
        #expect(batch.diagnostics.isEmpty)
        #expect(tail.poll().events.isEmpty)
    }

    @Test("follows a stream of lines on a descriptor")
    func stream() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let text = OtherFixtures.sshd
        _ = text.withCString { write(fds[1], $0, strlen($0)) }
        close(fds[1])
        var follower = StreamFollower(fd: fds[0], options: IngestOptions(year: 2026))
        var events: [Event] = []
        while let batch = follower.next() { events.append(contentsOf: batch.events) }
        close(fds[0])
        #expect(events.map(\.action) == ["FailedPassword", "AcceptedPublickey"])
    }
}

@Suite("Ingestor determinism")
struct IngestorDeterminismTests {
    @Test("one worker and two give the same store")
    func workersAgree() throws {
        let dir = ScratchFolder()
        dir.write("a.json", CloudTrailFixtures.s3Delivery(Array(CloudTrailFixtures.records.prefix(3))))
        dir.write("b.json", CloudTrailFixtures.s3Delivery(Array(CloudTrailFixtures.records.suffix(2))))
        dir.write("flows.log", OtherFixtures.flowV2)
        dir.write("findings.json", OtherFixtures.finding)
        dir.write("findings-again.json", OtherFixtures.finding.replacingOccurrences(of: "\"Count\":3", with: "\"Count\":9"))
        let one = Ingestor.load(paths: [dir.path], options: IngestOptions(concurrency: 1)).store
        let two = Ingestor.load(paths: [dir.path], options: IngestOptions(concurrency: 2)).store
        func summary(_ s: EventStore) -> [String] {
            s.idsInTimeOrder().map { "\(s.time(of: $0)) \(s.value(.action, of: $0) ?? "") \(s.finding(of: $0)?.count ?? 0)" }
        }
        #expect(summary(one) == summary(two))
        #expect(one.count == 4 + 2 + 1)
        #expect(one.duplicatesDropped == two.duplicatesDropped)
        #expect(one.valueCounts(.kind).map { "\($0.value)=\($0.count)" } == two.valueCounts(.kind).map { "\($0.value)=\($0.count)" })
        #expect(one.search(try Query("kind:finding")).count == 1)
        #expect(one.finding(of: one.search(try Query("kind:finding"))[0])?.count == 9)
    }
}

@Suite("Input files")
struct InputFileTests {
    @Test("reads a named pipe to its end and refuses devices")
    func pipesAndDevices() throws {
        let dir = ScratchFolder()
        let fifo = dir.path + "/records.pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let text = CloudTrailFixtures.s3Delivery(CloudTrailFixtures.records)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = text.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        writer.start()
        let result = Ingestor.load(paths: [fifo, "/dev/zero"])
        #expect(result.store.count == 4)
        #expect(result.inputErrors.map(\.path) == ["/dev/zero"])
    }
}

@Suite("Ingestor memory")
struct IngestorMemoryTests {
    @Test("a flow file's raw lines take no more memory than the file, and plain ones none", arguments: [" ", "  "])
    func flowRawBytes(separator: String) throws {
        let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        let lines = (0..<300).map { k in
            ["2", "123456789010", "eni-\(k % 5)", "10.0.\(k % 9).1", "10.1.0.\(k % 7)", "\(40000 + k)", "443", "6", "3", "300",
             "\(1_700_000_000 + k)", "\(1_700_000_060 + k)", "ACCEPT", "OK"].joined(separator: separator)
        }
        let text = ([header] + lines).joined(separator: "\n") + "\n"
        let dir = ScratchFolder()
        let path = dir.write("flows.log", Array(text.utf8))
        let store = Ingestor.load(paths: [path]).store
        #expect(store.count == 300)
        guard separator == "  " else {
            // Written the plain way, the lines are rebuilt from the columns and keep no bytes.
            #expect(store.memoryFootprint.raw == 0)
            return
        }
        // One page the size of the file (give or take the allocator's rounding); pages grown as lines arrive
        // would start with 64 KB for these 27 KB.
        #expect(store.memoryFootprint.raw <= text.utf8.count + 64)
        #expect(store.memoryFootprint.raw >= text.utf8.count - 301 - header.utf8.count)
    }
}
