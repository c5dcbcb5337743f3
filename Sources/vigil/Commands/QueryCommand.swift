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

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 (no limit) or more") }
    }

    func run() throws {
        let parsed: Query
        do {
            parsed = try Query(query)
        } catch {
            Console.error("vigil: query error:\n" + error.rendered(query: TextSanitizer.sanitize(query)))
            throw VigilExit.usage
        }
        let result = try input.load()
        let start = System.monotonic()
        let ids = result.store.search(parsed)
        let elapsed = System.monotonic() - start
        let cap = limit ?? (format == .table ? 200 : 0)
        let shown = cap > 0 ? Array(ids.prefix(cap)) : ids
        var output = ""
        switch format {
        case .table: output = EventFormatter.table(result.store, shown)
        case .jsonl: for id in shown { output += EventFormatter.jsonLine(result.store, id) + "\n" }
        case .csv: output = EventFormatter.csv(result.store, shown)
        }
        print(output, terminator: "")
        var summary = "\(Console.count(ids.count)) of \(Console.count(result.store.count)) events match (query \(Console.fixed(elapsed * 1000, 1)) ms)"
        if shown.count < ids.count { summary += "; showing the first \(Console.count(shown.count)) (--limit)" }
        Console.error(summary)
    }
}
