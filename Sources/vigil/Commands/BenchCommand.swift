import ArgumentParser
import VigilConsole
import VigilCore
import VigilDetect
import VigilIngest
import VigilStore
import VigilSynth
#if canImport(Glibc)
import Glibc
#endif

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure ingest throughput, memory and query latency on a generated busy-account dataset.",
        discussion: """
            Generates (once, then reuses) a deterministic dataset under --dir: CloudTrail as .json.gz and as plain \
            .json (files of 1,000–5,000 records), and VPC flow logs; then loads each into an indexed store and \
            times it (each load is done --loads times: the median is reported, with the slowest and fastest), \
            and times queries over the CloudTrail store. Build in release mode for real figures:

              swift build -c release && .build/release/vigil bench --events 1000000 --flow-lines 4000000

            Figures are printed as a table, or as one JSON object with --format json.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "CloudTrail events to generate (each of the gz and plain sets).")
    var events: Int = 200_000

    @Option(help: "Flow-log lines to generate.")
    var flowLines: Int = 1_000_000

    @Option(help: "Where the dataset is kept between runs.")
    var dir: String = "bench-data"

    @Option(help: "Generator seed (the same seed gives the same bytes).")
    var seed: UInt64 = 42

    @Option(help: "Files read at once (0: one per core).")
    var jobs: Int = 0

    @Option(help: "Times each query is run (the median is reported).")
    var repeats: Int = 20

    @Option(help: "Times each dataset is loaded (the median is reported, with the range): a shared machine's speed varies from run to run.")
    var loads: Int = 3

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("rules"), help: ArgumentHelp("Rule folders to run besides the built-in pack in the detection benchmark (e.g. SigmaHQ's AWS rules).", valueName: "dir"))
    var ruleFolders: [String] = []

    func validate() throws {
        if events < 1000 { throw ValidationError("--events must be at least 1000") }
        if flowLines < 0 { throw ValidationError("--flow-lines must not be negative") }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if loads < 1 { throw ValidationError("--loads must be at least 1") }
    }

    func run() throws {
        let generator = BenchDataGenerator(seed: seed)
        let gzDir = "\(dir)/cloudtrail-\(events)-\(seed)-gz"
        let plainDir = "\(dir)/cloudtrail-\(events)-\(seed)-json"
        let flowDir = "\(dir)/flows-\(flowLines)-\(seed)-250k"
        var figures: [(String, String, String)] = []  // (measure, value, target)
        var json: [(String, JSONValue)] = [("cores", .number(String(System.activeProcessorCount)))]

        func prepare(_ path: String, _ make: () throws -> (files: Int, bytes: Int)) throws {
            if BenchFiles.exists(path + "/.complete") { return }
            BenchFiles.makeDirectory(path)
            progress("generating \(path) …")
            let start = System.monotonic()
            let made = try make()
            BenchFiles.touch(path + "/.complete")
            progress("  \(made.files) files, \(Console.bytes(made.bytes)) in \(Console.fixed(System.monotonic() - start, 1)) s")
        }
        try prepare(gzDir) { try generator.writeCloudTrail(to: gzDir, events: events, gzip: true) }
        try prepare(plainDir) { try generator.writeCloudTrail(to: plainDir, events: events, gzip: false) }
        // S3-delivered flow logs come as many files (per interface, per 5 or 10 minutes): 250,000 lines each here.
        if flowLines > 0 { try prepare(flowDir) { try generator.writeFlowLogs(to: flowDir, lines: flowLines, linesPerFile: 250_000) } }

        let options = IngestOptions(concurrency: jobs)

        // Each measurement sits in its own scope, so the stores of one are freed before the next load starts.
        let rules = RuleSet.load(includeBuiltIn: true, paths: ruleFolders)
        for error in rules.errors.prefix(5) { progress("rule: \(error)") }
        var start = 0.0, seconds = 0.0

        // CloudTrail .json.gz
        do {
        let (gz, gzTimes) = timedLoads(gzDir, options)
        let (peak, peakNote) = loadPeak(gzDir, gzTimes)
        seconds = gzTimes.median
        let gzDecoded = gz.files.reduce(0) { $0 + $1.decodedBytes }
        let gzRate = Double(gz.store.count) / seconds
        let footprint = gz.store.memoryFootprint
        figures.append(("CloudTrail .json.gz → indexed store", "\(NumberFormat.count(Int(gzRate))) events/s (\(Console.fixed(Double(gzDecoded) / seconds / 1e6, 0)) MB/s, \(Console.fixed(seconds, 2)) s)\(gzTimes.range { NumberFormat.count(Int(Double(gz.store.count) / $0)) })", "≥ 300,000 events/s"))
        figures.append(("Index overhead beyond raw records", "\(footprint.index / max(1, gz.store.count)) bytes/event", "≤ 100 bytes/event"))
        figures.append(("Peak resident memory / uncompressed input", "\(Console.fixed(Double(peak) / Double(max(1, gzDecoded)), 2))× (\(Console.bytes(peak)) for \(Console.bytes(gzDecoded)))\(peakNote)", "≤ 1.5×"))
        json += [("gzEventsPerSecond", .number(String(Int(gzRate)))), ("gzSeconds", .number(Console.fixed(seconds, 3))),
                 ("gzSecondsPerLoad", .array(gzTimes.seconds.map { .number(Console.fixed($0, 3)) })),
                 ("gzDecodedBytes", .number(String(gzDecoded))), ("events", .number(String(gz.store.count))),
                 ("indexBytesPerEvent", .number(String(footprint.index / max(1, gz.store.count)))),
                 ("peakRSSOverInput", .number(Console.fixed(Double(peak) / Double(max(1, gzDecoded)), 3)))]

        // Queries over the store just built.
        let queries = [("indexed", "user:alice action:Create*", "< 10 ms"),
                       ("JSON-path scan", "requestParameters.bucketName:acme-*", "< 300 ms"),
                       ("free text", "\"AccessDenied\"", "")]
        for (name, text, target) in queries {
            let query = try Query(text)
            var times: [Double] = []
            var hits = 0
            for _ in 0..<repeats {
                let t0 = System.monotonic()
                hits = gz.store.search(query).count
                times.append(System.monotonic() - t0)
            }
            times.sort()
            let median = times[times.count / 2] * 1000
            figures.append(("Query (\(name)) `\(text)` over \(NumberFormat.count(gz.store.count))", "\(Console.fixed(median, 2)) ms median, \(NumberFormat.count(hits)) hits", target))
            json.append(("query_\(name.replacingSpaces())_ms", .number(Console.fixed(median, 3))))
        }

        // Detection over the same store: the built-in pack, any --rules folders and the standard detectors.
        let detectors = StandardDetectors.make(intel: ThreatIntel())
        start = System.monotonic()
        let engine = DetectionEngine(store: gz.store, rules: rules, detectors: detectors)
        engine.processAll()
        let detectSeconds = System.monotonic() - start
        let share = detectSeconds / max(1e-9, seconds) * 100
        figures.append(("Detection (\(rules.runnableCount) rules, \(detectors.count) detectors) over \(NumberFormat.count(gz.store.count))",
                        "\(Console.fixed(detectSeconds, 2)) s = \(Console.fixed(share, 0))% of ingest time, \(NumberFormat.count(engine.findings.count)) findings", "≤ 30% of ingest"))
        json += [("detectSeconds", .number(Console.fixed(detectSeconds, 3))), ("detectShareOfIngest", .number(Console.fixed(share / 100, 3))),
                 ("rules", .number(String(rules.runnableCount)))]

        // The console: key press → reducer → view → frame, at 200×60 over the million events and their findings.
        let keys = ConsoleBenchmark.keys
        var frames = benchmarkFrame(store: gz.store, engine: engine, width: 200, height: 60, keys: keys)
        let slowest = frames.indices.max { frames[$0] < frames[$1] }.map { "\(keys[$0])" } ?? "-"
        frames.sort()
        let median = frames[frames.count / 2], p95 = frames[min(frames.count - 1, frames.count * 95 / 100)], worst = frames.last ?? 0
        figures.append(("Console: key press to frame at 200×60 over \(NumberFormat.count(gz.store.count))",
                        "\(Console.fixed(median, 2)) ms median, \(Console.fixed(p95, 2)) ms p95, \(Console.fixed(worst, 2)) ms worst, on \(slowest) (\(frames.count) keys)", "< 16 ms"))
        json += [("frameMedianMs", .number(Console.fixed(median, 3))), ("frameP95Ms", .number(Console.fixed(p95, 3))),
                 ("frameWorstMs", .number(Console.fixed(worst, 3)))]

        }

        // Plain CloudTrail JSON
        do {
        let (plain, plainTimes) = timedLoads(plainDir, options)
        seconds = plainTimes.median
        let plainBytes = plain.files.reduce(0) { $0 + $1.decodedBytes }
        figures.append(("Plain CloudTrail JSON → indexed store", "\(Console.fixed(Double(plainBytes) / seconds / 1e6, 0)) MB/s (\(NumberFormat.count(Int(Double(plain.store.count) / seconds))) events/s)\(plainTimes.range { Console.fixed(Double(plainBytes) / $0 / 1e6, 0) })", "≥ 500 MB/s"))
        json.append(("plainMBPerSecond", .number(Console.fixed(Double(plainBytes) / seconds / 1e6, 1))))
        json.append(("plainSecondsPerLoad", .array(plainTimes.seconds.map { .number(Console.fixed($0, 3)) })))

        }

        // Flow logs
        if flowLines > 0 {
            let (flows, flowTimes) = timedLoads(flowDir, options)
            seconds = flowTimes.median
            figures.append(("VPC flow logs → indexed store", "\(NumberFormat.count(Int(Double(flows.store.count) / seconds))) lines/s (\(Console.fixed(seconds, 2)) s)\(flowTimes.range { NumberFormat.count(Int(Double(flows.store.count) / $0)) })", "≥ 8,000,000 lines/s"))
            json.append(("flowLinesPerSecond", .number(String(Int(Double(flows.store.count) / seconds)))))
            json.append(("flowSecondsPerLoad", .array(flowTimes.seconds.map { .number(Console.fixed($0, 3)) })))
            // The memory targets hold for every kind of log: a flow line is short (about 115 bytes), so its index
            // weighs more against it than a CloudTrail record's does.
            let flowInput = flows.files.reduce(0) { $0 + $1.decodedBytes }
            let flowIndex = flows.store.memoryFootprint.index / max(1, flows.store.count)
            let (flowPeak, flowPeakNote) = loadPeak(flowDir, flowTimes)
            // Plain default-format lines keep no bytes (the store writes them back from its columns): say how much
            // of the raw lines was kept, so the overhead is read against the right thing.
            let flowRaw = flows.store.memoryFootprint.raw
            figures.append(("Flow index overhead beyond raw records", "\(flowIndex) bytes/event (raw lines kept: \(Console.bytes(flowRaw)); plain ones are rebuilt from the columns)", "≤ 100 bytes/event"))
            figures.append(("Flow peak resident memory / uncompressed input",
                            "\(Console.fixed(Double(flowPeak) / Double(max(1, flowInput)), 2))× (\(Console.bytes(flowPeak)) for \(Console.bytes(flowInput)))\(flowPeakNote)", "≤ 1.5×"))
            json += [("flowIndexBytesPerEvent", .number(String(flowIndex))), ("flowRawBytesKept", .number(String(flowRaw))),
                     ("flowPeakRSSOverInput", .number(Console.fixed(Double(flowPeak) / Double(max(1, flowInput)), 3)))]
            start = System.monotonic()
            let flowEngine = DetectionEngine(store: flows.store, rules: rules, detectors: StandardDetectors.make(intel: ThreatIntel()))
            flowEngine.processAll()
            let flowDetect = System.monotonic() - start
            figures.append(("Detection over the flow logs", "\(Console.fixed(flowDetect, 2)) s = \(Console.fixed(flowDetect / max(1e-9, seconds) * 100, 0))% of ingest time, \(NumberFormat.count(flowEngine.findings.count)) findings", "≤ 30% of ingest"))
            json.append(("flowDetectShareOfIngest", .number(Console.fixed(flowDetect / max(1e-9, seconds), 3))))
        }

        switch format {
        case .json:
            print(JSONValue.object(json).serialized)
        case .text:
            var table = TextTable(headers: ["measure", "result", "target"])
            table.maximumWidth = 70
            table.rows = figures.map { [$0.0, $0.1, $0.2] }
            print("Vigil bench — \(System.activeProcessorCount) cores, \(NumberFormat.count(events)) CloudTrail events, \(NumberFormat.count(flowLines)) flow lines\n")
            print(table.render(), terminator: "")
        }
    }

    private func progress(_ text: String) { Console.error(text) }

    /// A load's peak memory: that of a separate `vigil ingest` when one can be run, else the bench's own reading
    /// of its first load, said so (it can understate: the load reuses heap earlier loads freed).
    private func loadPeak(_ path: String, _ times: LoadTimes) -> (bytes: Int, note: String) {
        if let peak = Memory.peakOfSeparateLoad(path, jobs: jobs) { return (peak, "") }
        progress("could not run a separate vigil ingest of \(path): its peak memory is the bench's own reading")
        return (times.firstPeakBytes, " (in the bench's process)")
    }

    /// Loads `path` `--loads` times, each load's store freed before the next starts, and keeps the last; the
    /// first load's peak resident memory is read outside the timed part.
    private func timedLoads(_ path: String, _ options: IngestOptions) -> (LoadResult, LoadTimes) {
        var kept: LoadResult?
        var times = LoadTimes()
        for k in 0..<loads {
            kept = nil
            if k == 0 { Memory.resetPeak() }
            let baseline = k == 0 ? Memory.residentBytes() : 0
            let start = System.monotonic()
            let result = Ingestor.load(paths: [path], options: options)
            times.seconds.append(System.monotonic() - start)
            if k == 0 { times.firstPeakBytes = Memory.peakBytes() - baseline }
            kept = result
        }
        return (kept!, times)
    }
}

/// The wall-clock seconds of repeated loads of one dataset.
struct LoadTimes {
    var seconds: [Double] = []
    /// The rise in peak resident memory over the first load.
    var firstPeakBytes = 0

    /// The median load time (the upper middle one for an even count).
    var median: Double { seconds.sorted()[seconds.count / 2] }

    /// `; N loads: slowest–fastest` with each end shown by `show` (given seconds), or nothing for one load.
    func range(_ show: (Double) -> String) -> String {
        guard seconds.count > 1, let slowest = seconds.max(), let fastest = seconds.min() else { return "" }
        return "; \(seconds.count) loads: \(show(slowest))–\(show(fastest))"
    }
}

private extension String {
    func replacingSpaces() -> String { String(map { $0 == " " || $0 == "-" ? "_" : $0 }) }
}

/// Resident-memory readings from /proc (Linux).
enum Memory {
    /// Current resident set size.
    static func residentBytes() -> Int { status("VmRSS:") }
    /// High-water resident set size since the last reset.
    static func peakBytes() -> Int { status("VmHWM:") }

    /// The peak resident memory of `vigil ingest PATH` in a process of its own, as it reports it, or nil when it
    /// cannot be run. A load measured inside the bench reuses heap that earlier loads freed but kept, and looks
    /// smaller than a user's `vigil ingest` would be; and the kernel's count of a child's peak (`ru_maxrss`) takes
    /// in the parent's, which `posix_spawn`'s child shares until it starts the program.
    static func peakOfSeparateLoad(_ path: String, jobs: Int) -> Int? {
        var executable = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &executable, executable.count - 1)
        guard length > 0 else { return nil }
        let argv = [String(decoding: executable[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self),
                    "ingest", path, "--jobs", String(jobs), "--format", "json"]
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        close(fds[1])
        var output = [UInt8]()
        if spawned == 0 {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                output += buffer[0..<n]
            }
        }
        close(fds[0])
        guard spawned == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return nil }
        }
        guard status == 0, let report = try? JSONValue.parse(String(decoding: output, as: UTF8.self)),
              let peak = report["peakResidentBytes"]?.double, peak > 0 else { return nil }
        return Int(peak)
    }

    /// Resets the high-water mark (Linux: write 5 to clear_refs).
    static func resetPeak() {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return }
        _ = write(fd, "5", 1)
        close(fd)
    }

    private static func status(_ key: String) -> Int {
        guard let text = try? InputFile.read("/proc/self/status") else { return 0 }
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n") where line.hasPrefix(key) {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }
}

/// Small file-system helpers for the benchmark's dataset folder.
enum BenchFiles {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func makeDirectory(_ path: String) {
        // mkdir -p: create each ancestor in turn; existing ones fail harmlessly.
        var prefix = ""
        for (k, character) in path.enumerated() {
            if character == "/", k > 0 { mkdir(prefix, 0o755) }
            prefix.append(character)
        }
        mkdir(path, 0o755)
    }

    static func touch(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd >= 0 { close(fd) }
    }
}
