import Foundation
import Testing
import VigilCore

/// Runs the real `vigil` binary as a user would, and checks output and exit codes.
@Suite("vigil command line", .serialized)
struct CommandLineEndToEndTests {
    /// The package root, from this file's location.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The binary built beside the test bundle.
    static let binary: String = {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [bundle.appendingPathComponent("vigil").path, root + "/.build/debug/vigil"]
        where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        return root + "/.build/debug/vigil"
    }()

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func vigil(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        input.fileHandleForWriting.closeFile()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test("with no arguments it summarises the bundled sample data")
    func defaultRun() throws {
        let run = try vigil([])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Reading the bundled sample data"))
        for kind in ["cloudtrail", "flow", "finding", "dns", "auth"] { #expect(run.stdout.contains(kind), "\(kind)") }
    }

    @Test("ingest --format json reports the stored event count for scripts")
    func ingestJSON() throws {
        let run = try vigil(["ingest", "sample-data", "--format", "json"])
        #expect(run.status == 0)
        let json = try JSONValue.parse(run.stdout)
        let events = try #require(json["events"]?.double)
        #expect(events > 1000)
        #expect(json["duplicates"]?.double ?? 0 > 0)
        #expect(json["kinds"]?["cloudtrail"]?.double ?? 0 > 0)
        #expect(json["files"]?.array?.isEmpty == false)
        // The process's own peak: at least what the raw records alone take, and less than this machine has.
        let peak = try #require(json["peakResidentBytes"]?.double)
        let raw = (json["files"]?.array ?? []).compactMap { $0["decodedBytes"]?.double }.reduce(0, +)
        #expect(peak > raw && peak < 64e9)
        // With --stats, memory: the sample's flow lines are written the plain way, and none of their bytes is kept.
        let stats = try JSONValue.parse(try vigil(["ingest", "sample-data", "--format", "json", "--stats"]).stdout)
        let derived = try #require(stats["memory"]?["derivedLines"]?.double)
        #expect(derived > 0 && derived <= stats["kinds"]?["flow"]?.double ?? 0)
    }

    @Test("query finds the leaked key's calls from the attacker's network")
    func query() throws {
        let run = try vigil(["query", "key:AKIAQ3EXAMPLE7LEAKXZ ip:203.0.113.0/24", "sample-data", "--format", "jsonl"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count > 10)
        var cloudTrail = 0
        for line in lines {
            let record = try JSONValue.parse(String(line))
            if record["userIdentity"] != nil {
                cloudTrail += 1
                #expect(record["userIdentity"]?["accessKeyId"]?.string == "AKIAQ3EXAMPLE7LEAKXZ")
                #expect(record["sourceIPAddress"]?.string?.hasPrefix("203.0.113.") == true)
            } else {
                // GuardDuty findings about the key, raised on calls from that network, match too.
                #expect(line.contains("AKIAQ3EXAMPLE7LEAKXZ") && line.contains("203.0.113."))
            }
        }
        #expect(cloudTrail > 10)
        #expect(run.stderr.contains("\(lines.count) of "))
    }

    @Test("a query syntax error exits 2 with a caret under the problem")
    func syntaxError() throws {
        let run = try vigil(["query", "action:Create* AND (user:alice", "sample-data"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("action:Create* AND (user:alice\n                   ^"))
        #expect(run.stdout.isEmpty)
    }

    @Test("nothing readable exits 3; bad options exit 2")
    func exitCodes() throws {
        #expect(try vigil(["ingest", "/nonexistent/path"]).status == 3)
        #expect(try vigil(["ingest", "--year", "12"]).status == 2)
        #expect(try vigil(["query"]).status == 2)
    }

    @Test("reads standard input")
    func stdin() throws {
        let record = #"{"eventVersion":"1.08","eventTime":"2026-03-10T14:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","eventID":"e-1"}"#
        let run = try vigil(["ingest", "-", "--format", "json"], stdin: record + "\n")
        #expect(run.status == 0)
        #expect(try JSONValue.parse(run.stdout)["events"]?.double == 1)
    }

    @Test("query --follow on standard input prints matches as lines arrive and stops at end of input")
    func followStdin() throws {
        let lines = """
        Mar 10 14:03:11 bastion sshd[2211]: Failed password for invalid user admin from 198.51.100.23 port 40022 ssh2
        Mar 10 14:03:15 bastion sshd[2213]: Accepted publickey for ops from 192.0.2.44 port 51000 ssh2
        Mar 10 14:03:19 bastion sshd[2215]: Failed password for root from 198.51.100.23 port 40023 ssh2

        """
        let run = try vigil(["query", "action:Failed* ip:198.51.100.0/24", "-", "--follow", "--year", "2026", "--format", "jsonl"], stdin: lines)
        #expect(run.status == 0)
        let out = run.stdout.split(separator: "\n")
        #expect(out.count == 2)
        #expect(out.allSatisfy { $0.contains("FailedPassword") })
    }

    @Test("generate sample writes the bundled incident, which ingests to the same events")
    func generateSample() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = try vigil(["generate", "sample", "--output", dir.path])
        #expect(gen.status == 0)
        let fresh = try JSONValue.parse(try vigil(["ingest", dir.path, "--format", "json"]).stdout)
        let bundled = try JSONValue.parse(try vigil(["ingest", "sample-data", "--format", "json"]).stdout)
        #expect(fresh["events"]?.double == bundled["events"]?.double)
        #expect(fresh["kinds"] == bundled["kinds"])
    }

    @Test("bench runs end to end on a small dataset and reports every figure")
    func bench() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try vigil(["bench", "--events", "3000", "--flow-lines", "2000", "--dir", dir.path, "--repeats", "1",
                             "--loads", "3", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONValue.parse(run.stdout)
        #expect(json["events"]?.double == 3000)
        for key in ["gzEventsPerSecond", "indexBytesPerEvent", "peakRSSOverInput", "query_indexed_ms", "plainMBPerSecond", "flowLinesPerSecond",
                    "flowIndexBytesPerEvent"] {
            #expect((json[key]?.double ?? 0) > 0, "\(key)")
        }
        // The generated flow logs are written the plain way: every line is rebuilt from the columns, none kept.
        #expect(json["flowRawBytesKept"]?.double == 0)
        // A small load may fit in memory freed by the loads before it: its rise in peak memory can be 0.
        #expect((json["flowPeakRSSOverInput"]?.double ?? -1) >= 0)
        // Each dataset is loaded three times and the median load is the one reported.
        for key in ["gzSecondsPerLoad", "plainSecondsPerLoad", "flowSecondsPerLoad"] {
            #expect(json[key]?.array?.count == 3, "\(key)")
        }
        let gzLoads = (json["gzSecondsPerLoad"]?.array ?? []).compactMap(\.double).sorted()
        #expect(gzLoads.count == 3 && json["gzSeconds"]?.double == gzLoads[1])
    }

    @Test("hostile values are sanitised in tables and defused in CSV")
    func hostile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = #"{"eventVersion":"1.08","eventTime":"2026-03-10T14:00:00Z","eventSource":"s3.amazonaws.com","eventName":"=HYPERLINK(\"http://x\")","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"\u001b]0;pwned\u0007\u202eevil","userIdentity":{"type":"IAMUser","userName":"\u001b[31mred"},"eventID":"e-1"}"#
        let file = dir.appendingPathComponent("evil.json")
        try Data(record.utf8).write(to: file)
        let table = try vigil(["query", "", file.path])
        #expect(table.status == 0)
        #expect(!table.stdout.contains("\u{1B}"))
        #expect(!table.stdout.contains("\u{202E}"))
        #expect(table.stdout.contains("\\x1B[31mred"))
        let jsonl = try vigil(["query", "", file.path, "--format", "jsonl"])
        #expect(!jsonl.stdout.contains("\u{1B}") && !jsonl.stdout.contains("\u{202E}"))
        // Raw control bytes and bidi characters inside strings (lenient input) come out escaped.
        let rawBytes = Array(record.utf8).map { $0 }
        var hostile = String(decoding: rawBytes, as: UTF8.self).replacingOccurrences(of: "\\u001b", with: "\u{1B}")
        hostile = hostile.replacingOccurrences(of: "\\u202e", with: "\u{202E}")
        let rawFile = dir.appendingPathComponent("raw.json")
        try Data(hostile.utf8).write(to: rawFile)
        let rawJSONL = try vigil(["query", "", rawFile.path, "--format", "jsonl"])
        #expect(rawJSONL.status == 0)
        #expect(!rawJSONL.stdout.contains("\u{1B}") && !rawJSONL.stdout.contains("\u{202E}"))
        #expect(rawJSONL.stdout.contains("\\u001b]0;pwned") && rawJSONL.stdout.contains("\\u202e"))
        let csv = try vigil(["query", "", file.path, "--format", "csv"])
        let row = try #require(csv.stdout.split(separator: "\r\n").dropFirst().first)
        #expect(row.contains("'=HYPERLINK"))
        #expect(!csv.stdout.contains("\u{1B}"))
    }
}
