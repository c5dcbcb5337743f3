import CZlib
import Foundation
import Testing
import VigilCore
@testable import VigilSynth

/// Tests of the deterministic data generators (`VigilSynth`) and of the committed sample data.
@Suite struct SampleDataTests {
    // MARK: Helpers

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var committedSampleData: String { packageRoot + "/sample-data" }

    static func temporaryFolder(_ tag: String) throws -> String {
        let path = NSTemporaryDirectory() + "vigil-synth-\(tag)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func inflate(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard vigil_inflateInit2(&stream, 31) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var input = bytes
        input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                out.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            } while status == Z_OK
        }
        return status == Z_STREAM_END && stream.avail_in == 0 ? out : nil
    }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// File contents, gunzipped when the name ends in `.gz`.
    static func content(_ path: String) throws -> [UInt8] {
        let raw = try read(path)
        if path.hasSuffix(".gz") {
            guard let inflated = inflate(raw) else {
                Issue.record("not valid gzip: \(path)")
                return []
            }
            return inflated
        }
        return raw
    }

    static func files(under root: String) -> [String] {
        FileOutput.listFiles(root)
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func lines(_ bytes: [UInt8]) -> [String] {
        text(bytes).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Writes the sample into a fresh temporary folder.
    static func generateSample() throws -> SampleDataGenerator.Summary {
        try SampleDataGenerator().write(to: try temporaryFolder("sample"))
    }

    /// Removes the temporary folder a ``generateSample()`` wrote into.
    static func remove(_ summary: SampleDataGenerator.Summary) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: summary.folder).deletingLastPathComponent().path)
    }

    static func cloudTrailRecords(in root: String) throws -> [JSONValue] {
        var records: [JSONValue] = []
        for file in files(under: root) where file.contains("/CloudTrail/") {
            let document = try JSONValue.parse(try content(root + "/" + file))
            records += document["Records"]?.array ?? []
        }
        return records
    }

    // MARK: gzip and the generator primitives

    @Test func gzipRoundTrip() throws {
        var rng = SeededGenerator(seed: 7)
        var input: [UInt8] = []
        for _ in 0..<200_000 { input.append(UInt8(truncatingIfNeeded: rng.below(20) + 65)) }
        for level: Int32 in [1, 6, 9] {
            let compressed = GzipWriter.compress(input, level: level)
            #expect(compressed.count < input.count)
            #expect(Self.inflate(compressed) == input)
        }
        #expect(Self.inflate(GzipWriter.compress([])) == [])
        #expect(Self.inflate(GzipWriter.compress(Array("hello".utf8))) == Array("hello".utf8))
    }

    @Test func gzipHeaderIsFixed() {
        let a = GzipWriter.compress(Array("{\"Records\":[]}".utf8))
        let b = GzipWriter.compress(Array("{\"Records\":[]}".utf8))
        #expect(a == b)
        #expect(Array(a.prefix(4)) == [0x1f, 0x8b, 0x08, 0x00])  // magic, deflate, no flags (no name)
        #expect(Array(a[4..<8]) == [0, 0, 0, 0])  // mtime 0
        #expect(a[9] == 3)  // OS: Unix, whatever platform zlib was built for
    }

    @Test func seededGeneratorIsSplitMix64() {
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        #expect(zero.next() == 0x6E78_9E6A_A1B9_65F4)
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
        var c = SeededGenerator(seed: 9, stream: 1), d = SeededGenerator(seed: 9, stream: 2)
        #expect(c.next() != d.next())
    }

    @Test func seededHelpersStayInRange() {
        var rng = SeededGenerator(seed: 3)
        var seen = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 {
            let v = rng.int(in: 10...16)
            #expect((10...16).contains(v))
            seen[v - 10] += 1
        }
        #expect(seen.allSatisfy { $0 > 800 && $0 < 1_200 })
        let uuid = rng.uuid()
        #expect(uuid.count == 36 && Array(uuid)[14] == "4")
        #expect(rng.keyChars(16).allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
        let zipf = WeightedPicker.zipf(count: 100, exponent: 1.0)
        var counts = [Int](repeating: 0, count: 100)
        for _ in 0..<50_000 { counts[zipf.pick(&rng)] += 1 }
        #expect(counts[0] > counts[1] && counts[1] > counts[9] && counts[9] > counts[99])
        #expect(abs(portablePow(2, 10) - 1024) < 1e-9 && abs(portablePow(10, 0.5) - 3.1622776601683795) < 1e-9)
    }

    // MARK: The sample dataset

    /// Rewrites `sample-data/` in the package; run with `VIGIL_REGENERATE_SAMPLES=1`.
    @Test(.enabled(if: SampleDataTests.regenerating, "set VIGIL_REGENERATE_SAMPLES=1 to rewrite sample-data/"))
    func regenerateSampleData() throws {
        let summary = try SampleDataGenerator().write(to: Self.committedSampleData)
        print("wrote \(summary.folder): \(summary.files.count) files, \(summary.bytes) bytes, \(summary.totalEvents) events")
    }

    @Test func sampleGenerationIsDeterministic() throws {
        let a = try Self.generateSample(), b = try Self.generateSample()
        #expect(a.files == b.files)
        #expect(a.bytes == b.bytes)
        for file in a.files {
            #expect(try Self.read(a.folder + "/" + file) == Self.read(b.folder + "/" + file), "\(file) differs between runs")
        }
        Self.remove(a)
        Self.remove(b)
    }

    static var regenerating: Bool { ProcessInfo.processInfo.environment["VIGIL_REGENERATE_SAMPLES"] == "1" }

    /// Fails when the generator and `sample-data/` drift apart (skipped while regenerating, which rewrites the folder).
    @Test(.disabled(if: SampleDataTests.regenerating, "sample-data is being rewritten"))
    func committedSampleDataMatchesGenerator() throws {
        let committed = Self.committedSampleData + "/" + LeakedAccessKeyScenario.folderName
        let fresh = try Self.generateSample()
        defer { Self.remove(fresh) }
        #expect(Self.files(under: committed) == fresh.files, "sample-data is stale: run VIGIL_REGENERATE_SAMPLES=1 swift test --filter regenerateSampleData")
        // zlib-ng compresses differently; compare the compressed bytes only with classic zlib.
        let classicZlib = !String(cString: zlibVersion()).contains("ng")
        for file in fresh.files {
            let path = committed + "/" + file
            guard FileManager.default.fileExists(atPath: path) else { continue }
            #expect(try Self.content(path) == Self.content(fresh.folder + "/" + file), "\(file) differs from the generator's")
            if classicZlib {
                #expect(try Self.read(path) == Self.read(fresh.folder + "/" + file), "\(file) compressed bytes differ")
            }
        }
    }

    @Test func sampleHasTheExpectedShape() throws {
        let s = try Self.generateSample()
        defer { Self.remove(s) }
        #expect(s.bytes < 2_000_000)
        #expect((2_000...8_000).contains(s.totalEvents))
        #expect(s.cloudTrailRecords > 1_000 && s.flowRecords > 300 && s.dnsQueries > 150 && s.authLines > 200 && s.findingRecords >= 10)
        #expect(s.files.contains("scenario.md"))
        #expect(s.files.contains("bastion/auth.log"))
        #expect(s.files.contains("guardduty/get-findings-us-east-1.json"))
        #expect(s.files.contains("guardduty/eventbridge-findings.jsonl"))
        #expect(s.files.contains("cloudwatch-export/prod-vpc-flow-logs-us-east-1.log"))
        #expect(s.files.filter { $0.hasPrefix("route53-resolver/") && $0.hasSuffix(".log") }.count == 2)
        let digests = s.files.filter { $0.contains("/CloudTrail-Digest/") }
        #expect(digests.count == 1)
        for d in digests {
            let digest = try JSONValue.parse(try Self.content(s.folder + "/" + d))
            #expect(digest["awsAccountId"]?.string == "111122223333")
            #expect(digest["digestStartTime"] != nil && digest["logFiles"]?.array?.isEmpty == false)
            #expect(digest["Records"] == nil)
        }
        // CloudTrail files follow the S3 naming scheme.
        let trailFiles = s.files.filter { $0.contains("/CloudTrail/") }
        #expect(trailFiles.count == s.cloudTrailFiles)
        for file in trailFiles {
            let parts = file.split(separator: "/")
            #expect(parts.count == 8 && parts[0] == "AWSLogs" && parts[1] == "111122223333" && parts[2] == "CloudTrail")
            let name = String(parts[7])
            #expect(name.hasPrefix("111122223333_CloudTrail_\(parts[3])_\(parts[4])\(parts[5])\(parts[6])T") && name.hasSuffix(".json.gz"))
            #expect(name.count == "111122223333_CloudTrail_".count + parts[3].count + "_20260310T1405Z_".count + 16 + ".json.gz".count)
        }
        // Records every region; some files out of time order; a few duplicates.
        let records = try Self.cloudTrailRecords(in: s.folder)
        #expect(records.count == s.cloudTrailRecords)
        let regions = Set(records.compactMap { $0["awsRegion"]?.string })
        #expect(regions.count == 17)
        let ids = records.compactMap { $0["eventID"]?.string }
        #expect(ids.count == records.count)
        let duplicates = ids.count - Set(ids).count
        #expect((1...10).contains(duplicates))
        var unsortedFiles = 0
        for file in trailFiles {
            let times = try JSONValue.parse(try Self.content(s.folder + "/" + file))["Records"]?.array?.compactMap { $0["eventTime"]?.string } ?? []
            if times != times.sorted() { unsortedFiles += 1 }
            #expect(times.allSatisfy { $0.hasPrefix("2026-03-1") && $0.hasSuffix("Z") && $0.count == 20 })
        }
        #expect(unsortedFiles > 20)
        for r in records.prefix(200) {
            for key in ["eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
                        "eventID", "eventType", "recipientAccountId", "eventCategory"] {
                #expect(r[key] != nil, "record without \(key)")
            }
        }
    }

    @Test func sampleTellsTheStory() throws {
        typealias S = LeakedAccessKeyScenario
        let s = try Self.generateSample()
        defer { Self.remove(s) }
        let records = try Self.cloudTrailRecords(in: s.folder)
        func with(_ name: String) -> [JSONValue] { records.filter { $0["eventName"]?.string == name } }
        func key(_ r: JSONValue) -> String? { r["userIdentity"]?["accessKeyId"]?.string }

        let leakedUse = records.filter { key($0) == S.leakedAccessKeyID }
        let ips = Set(leakedUse.compactMap { $0["sourceIPAddress"]?.string })
        #expect(ips == [S.developerOfficeIP, S.scannerIP, S.attackerIP])
        let first = leakedUse.filter { $0["sourceIPAddress"]?.string != S.developerOfficeIP }.compactMap { $0["eventTime"]?.string }.min()
        #expect(first == S.keyFirstMisused.description)
        #expect(leakedUse.contains { $0["userAgent"]?.string == "TruffleHog" && $0["eventName"]?.string == "GetCallerIdentity" })
        #expect(leakedUse.filter { $0["errorCode"] != nil }.count >= 5)

        let createUser = with("CreateUser")
        #expect(createUser.count == 1 && createUser.first?["requestParameters"]?["userName"]?.string == S.backdoorUserName)
        #expect(createUser.first.map(key) == S.leakedAccessKeyID)
        #expect(with("CreateAccessKey").first?["responseElements"]?["accessKey"]?["accessKeyId"]?.string == S.backdoorAccessKeyID)
        #expect(with("AttachUserPolicy").first?["requestParameters"]?["policyArn"]?.string == "arn:aws:iam::aws:policy/AdministratorAccess")
        let shares = with("ModifySnapshotAttribute")
        #expect(shares.filter { $0["requestParameters"]?.serialized.contains(S.attackerAccountID) == true }.count == 2)
        #expect(shares.filter { $0["requestParameters"]?.serialized.contains(S.disasterRecoveryAccountID) == true }.count == 1)
        let launches = with("RunInstances").filter { $0["awsRegion"]?.string == S.miningRegion }
        #expect(launches.count == 2 && launches.filter { $0["errorCode"] == nil }.count == 1)
        #expect(with("StopLogging").first?["eventTime"]?.string == S.loggingStopped.description)
        #expect(with("StartLogging").first?["eventTime"]?.string == S.loggingRestarted.description)
        // The trail was off: nothing recorded strictly between stop and restart.
        let gap = records.compactMap { $0["eventTime"]?.string }.filter { $0 > S.loggingStopped.description && $0 < S.loggingRestarted.description }
        #expect(gap.isEmpty)
        let logins = with("ConsoleLogin")
        #expect(logins.contains { $0["userIdentity"]?["userName"]?.string == S.backdoorUserName && $0["additionalEventData"]?["MFAUsed"]?.string == "No" })
        #expect(logins.contains { $0["responseElements"]?["ConsoleLogin"]?.string == "Failure" })
        #expect(records.contains { $0["sourceIPAddress"]?.string == "AWS Internal" })
        #expect(records.contains { $0["sourceIPAddress"]?.string == "ec2.amazonaws.com" })
        #expect(records.contains { $0["eventCategory"]?.string == "Data" && $0["managementEvent"] == .bool(false) })
        #expect(records.contains { $0["sourceIPAddress"]?.string?.contains(":") == true })

        // Flow logs: the v5 file with its header, the miner talking to the pool; the v2 export with NODATA.
        let v5Files = s.files.filter { $0.contains("/vpcflowlogs/") }
        #expect(v5Files.count == 1)
        let v5 = Self.lines(try Self.content(s.folder + "/" + v5Files[0]))
        #expect(v5.first?.hasPrefix("version vpc-id subnet-id instance-id interface-id account-id") == true)
        let v5Fields = v5.first?.split(separator: " ").count ?? 0
        #expect(v5.dropFirst().allSatisfy { $0.split(separator: " ").count == v5Fields })
        for port in S.miningPorts {
            #expect(v5.contains { $0.contains(" \(S.miningInstancePrivateIP) ") && ($0.contains(" \(port) ")) && $0.contains("198.51.100.14") })
        }
        let v2 = Self.lines(try Self.content(s.folder + "/cloudwatch-export/prod-vpc-flow-logs-us-east-1.log"))
        #expect(v2.allSatisfy { $0.hasPrefix("2 111122223333 eni-") && $0.split(separator: " ").count == 14 })
        #expect(v2.contains { $0.hasSuffix(" NODATA") } && v2.contains { $0.contains(" REJECT OK") })
        #expect(v2.filter { $0.contains(S.bruteForceIP) && $0.contains(" 22 ") }.count > 40)

        // DNS: the pool domain resolved by the miner.
        let dns = Self.lines(try Self.content(s.folder + "/route53-resolver/\(World.minerVPC)-\(S.miningRegion).log"))
        let pool = try dns.map { try JSONValue.parse($0) }.filter { $0["query_name"]?.string == S.miningPoolDomain + "." }
        #expect(pool.count > 10 && pool.allSatisfy { $0["srcids"]?["instance"]?.string == S.miningInstanceID })

        // GuardDuty.
        let cli = try JSONValue.parse(try Self.content(s.folder + "/guardduty/get-findings-us-east-1.json"))
        let cliTypes = cli["Findings"]?.array?.compactMap { $0["Type"]?.string } ?? []
        #expect(cliTypes.contains("Discovery:IAMUser/AnomalousBehavior") && cliTypes.contains("UnauthorizedAccess:EC2/SSHBruteForce"))
        let events = try Self.lines(try Self.content(s.folder + "/guardduty/eventbridge-findings.jsonl")).map { try JSONValue.parse($0) }
        #expect(events.allSatisfy { $0["detail-type"]?.string == "GuardDuty Finding" })
        let dnsFinding = events.filter { $0["detail"]?["type"]?.string == "CryptoCurrency:EC2/BitcoinTool.B!DNS" }
        #expect(dnsFinding.count == 3 && Set(dnsFinding.compactMap { $0["detail"]?["id"]?.string }).count == 1)
        #expect(dnsFinding.first?["detail"]?["severity"]?.double == 8)

        // sshd.
        let auth = Self.lines(try Self.content(s.folder + "/bastion/auth.log"))
        #expect(auth.allSatisfy { $0.hasPrefix("Mar ") && $0.dropFirst(16).hasPrefix("bastion ") })
        #expect(auth.contains { $0.contains("Accepted password for \(S.compromisedSSHUser) from \(S.bruteForceIP)") && $0.hasPrefix("Mar 10 16:12:44") })
        #expect(auth.filter { $0.contains("Failed password") && $0.contains(S.bruteForceIP) }.count > 100)
        #expect(auth.contains { $0.contains("Accepted publickey for elena from 2001:db8:4::18") })
        let stamps = auth.map { String($0.prefix(15)) }
        #expect(stamps == stamps.sorted { a, b in a.hasPrefix("Mar 10") && b.hasPrefix("Mar 11") || (a.prefix(6) == b.prefix(6) && a < b) })

        let scenario = Self.text(try Self.read(s.folder + "/scenario.md"))
        for fact in [S.leakedAccessKeyID, S.backdoorAccessKeyID, S.attackerIP, S.miningInstanceID, S.miningPoolDomain, S.bruteForceIP] {
            #expect(scenario.contains(fact))
        }
    }

    // MARK: The benchmark generator

    @Test func benchDocumentIsValidAndDeterministic() throws {
        let bench = BenchDataGenerator(seed: 11)
        let doc = bench.cloudTrailDocument(records: 2_000, fileIndex: 5)
        #expect(doc == BenchDataGenerator(seed: 11).cloudTrailDocument(records: 2_000, fileIndex: 5))
        #expect(doc != bench.cloudTrailDocument(records: 2_000, fileIndex: 6))
        #expect(doc != BenchDataGenerator(seed: 12).cloudTrailDocument(records: 2_000, fileIndex: 5))
        let records = try JSONValue.parse(doc)["Records"]?.array ?? []
        #expect(records.count == 2_000)
        let perRecord = doc.count / 2_000
        #expect((900...2_100).contains(perRecord), "average record size \(perRecord) bytes")
        for r in records {
            #expect(r["eventTime"]?.string?.count == 20)
            #expect(r["eventID"]?.string?.count == 36)
            #expect(r["userIdentity"]?["type"]?.string != nil)
            #expect(r["recipientAccountId"]?.string == "111122223333")
        }
        #expect(Set(records.compactMap { $0["awsRegion"]?.string }).count <= 2)  // one region a file (IAM and sign-in are global)
        #expect(try JSONValue.parse(bench.cloudTrailDocument(records: 0, fileIndex: 1))["Records"]?.array?.isEmpty == true)
    }

    @Test func benchVocabularyIsRealisticallySkewed() throws {
        let bench = BenchDataGenerator(seed: 1)
        var records: [JSONValue] = []
        for file in 0..<12 {
            records += try JSONValue.parse(bench.cloudTrailDocument(records: 2_500, fileIndex: file))["Records"]?.array ?? []
        }
        func principal(_ r: JSONValue) -> String? { r["userIdentity"]?["arn"]?.string ?? r["userIdentity"]?["invokedBy"]?.string }
        let principals = Set(records.compactMap(principal))
        let actions = Set(records.compactMap { $0["eventName"]?.string })
        let services = Set(records.compactMap { $0["eventSource"]?.string })
        let regions = Set(records.compactMap { $0["awsRegion"]?.string })
        #expect((150...300).contains(principals.count), "\(principals.count) principals")
        #expect((100...210).contains(actions.count), "\(actions.count) actions")
        #expect((20...32).contains(services.count), "\(services.count) services")
        #expect((5...17).contains(regions.count), "\(regions.count) regions")
        #expect(BenchCatalog(seed: 1).actions.count >= 200 && BenchCatalog(seed: 1).principals.count >= 290)
        #expect(BenchCatalog(seed: 1).pools.reduce(0) { $0 + $1.items.count } >= 2_500)
        // Skew: the most common action is far above the median one.
        var counts: [String: Int] = [:]
        for r in records { counts[r["eventName"]?.string ?? "", default: 0] += 1 }
        let sorted = counts.values.sorted(by: >)
        #expect(sorted[0] > 20 * sorted[sorted.count / 2])
        // `user:alice action:Create*` is a small fraction.
        let alice = records.filter { $0["userIdentity"]?["userName"]?.string == "alice" }
        let creates = records.filter { $0["eventName"]?.string?.hasPrefix("Create") == true }
        let both = alice.filter { $0["eventName"]?.string?.hasPrefix("Create") == true }
        #expect(alice.count > records.count / 200 && alice.count < records.count / 20, "\(alice.count) of \(records.count) by alice")
        #expect(creates.count > records.count / 100 && creates.count < records.count / 5, "\(creates.count) Create*")
        #expect(both.count > 0 && both.count < records.count / 200, "\(both.count) Create* by alice")
        #expect(records.contains { $0["errorCode"]?.string == "AccessDenied" })
        #expect(records.contains { $0["eventCategory"]?.string == "Data" })
    }

    @Test(arguments: [(0, 1_000...5_000), (999, 1_000...5_000), (5_000, 1_000...5_000), (5_001, 1_000...5_000),
                      (123_457, 1_000...5_000), (10_000, 100...100), (7_777, 300...900), (2_500, 1_000...2_000)])
    func benchPartitionRespectsTheRange(events: Int, range: ClosedRange<Int>) {
        var rng = SeededGenerator(seed: 5)
        let sizes = BenchDataGenerator.partition(events, range, rng: &rng)
        #expect(sizes.reduce(0, +) == events)
        if events >= range.lowerBound {
            #expect(sizes.allSatisfy { range.contains($0) }, "\(sizes)")
        } else {
            #expect(sizes.count == (events == 0 ? 0 : 1))
        }
    }

    @Test(arguments: [true, false])
    func benchWritesCloudTrailFiles(gzip: Bool) throws {
        let folder = try Self.temporaryFolder("bench-ct")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = BenchDataGenerator(seed: 99)
        let result = try bench.writeCloudTrail(to: folder, events: 12_345, recordsPerFile: 1_000...2_000, gzip: gzip)
        let files = Self.files(under: folder)
        #expect(files.count == result.files)
        #expect((7...13).contains(result.files))
        var total = 0, bytes = 0
        for file in files {
            #expect(file.hasPrefix("AWSLogs/111122223333/CloudTrail/") && file.hasSuffix(gzip ? ".json.gz" : ".json"))
            let data = try Self.content(folder + "/" + file)
            bytes += data.count
            let count = try JSONValue.parse(data)["Records"]?.array?.count ?? 0
            #expect((1_000...2_000).contains(count))
            total += count
        }
        #expect(total == 12_345)
        #expect(bytes == result.bytes)
        // Same seed, same files.
        let again = try Self.temporaryFolder("bench-ct2")
        defer { try? FileManager.default.removeItem(atPath: again) }
        _ = try bench.writeCloudTrail(to: again, events: 12_345, recordsPerFile: 1_000...2_000, gzip: gzip)
        #expect(Self.files(under: again) == files)
        if let first = files.first {
            #expect(try Self.read(again + "/" + first) == Self.read(folder + "/" + first))
        }
    }

    @Test func benchWritesFlowLogs() throws {
        let folder = try Self.temporaryFolder("bench-flow")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try BenchDataGenerator(seed: 3).writeFlowLogs(to: folder, lines: 25_000, linesPerFile: 10_000)
        let files = Self.files(under: folder)
        #expect(result.files == 3 && files.count == 3)
        var counts: [Int] = [], bytes = 0, rejects = 0, nodata = 0
        for file in files {
            #expect(file.hasPrefix("AWSLogs/111122223333/vpcflowlogs/us-east-1/") && file.hasSuffix(".log"))
            let data = try Self.read(folder + "/" + file)
            bytes += data.count
            let lines = Self.lines(data)
            #expect(lines.first == "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")
            for line in lines.dropFirst() {
                #expect(line.split(separator: " ").count == 14)
                if line.hasSuffix("REJECT OK") { rejects += 1 }
                if line.hasSuffix("NODATA") { nodata += 1 }
            }
            counts.append(lines.count - 1)
        }
        #expect(counts.sorted() == [5_000, 10_000, 10_000])
        #expect(bytes == result.bytes)
        #expect(rejects > 1_000 && rejects < 4_000 && nodata > 50)
    }
}
