import ArgumentParser
import VigilCore
import VigilIngest
import VigilStore

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the events that match a query, in time order.",
        discussion: """
            The query language is described in docs/query.md. In short: field:value with wildcards, \
            CIDR blocks on address fields, comparisons on numbers and times, has:field, any JSON path, \
            free text, AND / OR / NOT and parentheses.

            Examples:
              vigil query 'user:alice action:Create*' ./AWSLogs
              vigil query 'ip:203.0.113.0/24 AND error:AccessDenied*' ./AWSLogs --format csv > denied.csv
              vigil query 'kind:flow dstport:22 action:REJECT' flows/
              vigil query 'requestParameters.bucketName:prod-* time>-1h' ./AWSLogs --format jsonl | jq .eventName
              vigil query '"access denied" NOT user:ci-*' logs/ --limit 20

            Output formats: table (sanitised, for reading), jsonl (the raw CloudTrail/GuardDuty/DNS record on one \
            line; flow and auth lines as a JSON object with their parsed fields), csv (one row per event; cells \
            that a spreadsheet would run as formulas are defused).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, jsonl, csv }

    @Argument(help: "The query (quote it for the shell). An empty query matches everything.")
    var query: String

    @OptionGroup var input: InputOptions

    @Option(help: "Output format: table, jsonl or csv.")
    var format: Format = .table

    @Option(help: "Print at most this many events (0: no limit). Default: 200 for table, no limit otherwise.")
    var limit: Int?

    @Flag(help: "Keep watching the inputs (new and growing files, or standard input) and print matching events as they arrive. Ctrl-C stops.")
    var follow = false

    @Option(help: ArgumentHelp("Seconds between looks at followed files.", valueName: "seconds"))
    var interval: Double = 1

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 (no limit) or more") }
        if interval <= 0 || interval > 3600 { throw ValidationError("--interval must be between 0 and 3600 seconds") }
    }

    func run() throws {
        let parsed: Query
        do {
            parsed = try Query(query)
        } catch {
            Console.error("vigil: query error:\n" + error.rendered(query: TextSanitizer.sanitize(query)))
            throw VigilExit.usage
        }
        if follow && input.paths == ["-"] {
            try followStandardInput(parsed)
            return
        }
        let result = try input.load()
        let start = System.monotonic()
        let ids = result.store.search(parsed)
        let elapsed = System.monotonic() - start
        let cap = limit ?? (format == .table ? 200 : 0)
        let shown = cap > 0 ? Array(ids.prefix(cap)) : ids
        Console.out(render(result.store, shown, header: true))
        var summary = "\(NumberFormat.count(ids.count)) of \(NumberFormat.count(result.store.count)) events match (query \(Console.fixed(elapsed * 1000, 1)) ms)"
        if shown.count < ids.count { summary += "; showing the first \(NumberFormat.count(shown.count)) (--limit)" }
        Console.error(summary)
        if follow { try followFiles(parsed, store: result.store) }
    }

    private func render(_ store: EventStore, _ ids: [EventStore.EventID], header: Bool) -> String {
        switch format {
        case .table: return EventFormatter.table(store, ids, header: header)
        case .jsonl: return ids.map { EventFormatter.jsonLine(store, $0) + "\n" }.joined()
        case .csv: return EventFormatter.csv(store, ids, header: header)
        }
    }

    /// Polls the inputs and prints each new matching event; runs until interrupted.
    private func followFiles(_ query: Query, store: EventStore) throws {
        let tail = LiveTail(paths: try input.resolvedPaths(), options: input.ingestOptions)
        tail.skipExisting()
        Console.error("following \(try input.resolvedPaths().joined(separator: " ")) — Ctrl-C to stop")
        while true {
            System.sleep(seconds: interval)
            let batch = tail.poll()
            for d in batch.diagnostics where d.severity != .note { Console.error(d.description) }
            printNew(batch.events, query, store)
        }
    }

    /// Reads standard input as a stream, printing matching events as their lines arrive.
    private func followStandardInput(_ query: Query) throws {
        let store = EventStore()
        var follower = StreamFollower(fd: 0, options: input.ingestOptions)
        while let batch = follower.next() {
            for d in batch.diagnostics where d.severity != .note { Console.error(d.description) }
            printNew(batch.events, query, store)
        }
    }

    private func printNew(_ events: [Event], _ query: Query, _ store: EventStore) {
        guard !events.isEmpty else { return }
        let before = store.rowCount
        store.append(events)
        let fresh = Array(EventStore.EventID(before)..<EventStore.EventID(store.rowCount))
        var evaluator = QueryEvaluator(store: store)
        let matches = evaluator.evaluate(query, among: fresh)
        if !matches.isEmpty { Console.out(render(store, matches, header: false)) }
    }
}
