import ArgumentParser
import VigilCore
import VigilIngest
import VigilStore

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read logs and report what was read, per kind, file and error.",
        discussion: """
            The format of each file is recognised from its content, not its name; gzip is decompressed. \
            Records that cannot be read are reported on standard error with file, line and record number, \
            and the rest is read anyway.

            Examples:
              vigil ingest ./AWSLogs
              vigil ingest trail.json.gz flows.log auth.log --stats
              aws cloudtrail lookup-events --max-results 50 | vigil ingest -
              vigil ingest ./logs --format json | jq .events
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var input: InputOptions

    @Flag(help: "Also show top values per field, the time histogram and memory use.")
    var stats = false

    @Flag(help: "List every file read, not only those with problems.")
    var files = false

    @Option(help: "Output format: text or json (one JSON object, for scripts).")
    var format: Format = .text

    func run() throws {
        if input.paths.isEmpty, let sample = SampleData.location(), format == .text {
            print("Reading the bundled sample data in \(sample)/ (give paths to read your own logs).\n")
        }
        let result = try input.load(quiet: format == .json, notes: true)
        switch format {
        case .text: print(IngestReport.text(result, stats: stats, listFiles: files), terminator: "")
        case .json: print(IngestReport.json(result, stats: stats))
        }
    }
}
