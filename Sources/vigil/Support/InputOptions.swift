import ArgumentParser
import VigilIngest

/// Options every command that reads logs shares.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Files or folders to read; '-' reads standard input. Default: the bundled sample data.",
                                 valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Stop at the first unreadable record instead of skipping it (exit 3).")
    var strict = false

    @Option(help: ArgumentHelp("Year for syslog timestamps that have none (sshd logs). Default: inferred from the file's date.",
                               valueName: "yyyy"))
    var year: Int?

    @Option(help: ArgumentHelp("Files read at once (default: one per core).", valueName: "n"))
    var jobs: Int = 0

    @Flag(help: "Keep raw records compressed in memory: about a tenth of the memory for CloudTrail, slower scans.")
    var compressRaw = false

    func validate() throws {
        if let year, !(1970...2200).contains(year) { throw ValidationError("--year must be between 1970 and 2200") }
        if jobs < 0 { throw ValidationError("--jobs must be zero (automatic) or more") }
    }

    var ingestOptions: IngestOptions { IngestOptions(year: year, strict: strict, concurrency: jobs, compressRawRecords: compressRaw) }

    /// The paths to read, falling back to the bundled sample data.
    func resolvedPaths() throws -> [String] {
        if !paths.isEmpty { return paths }
        guard let sample = SampleData.location() else {
            throw ValidationError("no input given and the bundled sample data was not found (set VIGIL_SAMPLE_DATA or pass a path)")
        }
        return [sample]
    }

    /// Loads the inputs, printing diagnostics to standard error; exits 3 when nothing could be read or `--strict` failed.
    func load(quiet: Bool = false, notes: Bool = false) throws -> LoadResult {
        let result = Ingestor.load(paths: try resolvedPaths(), options: ingestOptions)
        if !quiet { Self.printDiagnostics(result, notes: notes) }
        if strict && result.errorCount > 0 {
            Console.error("vigil: stopped: --strict and \(result.errorCount) error(s)")
            throw VigilExit.input
        }
        if result.store.count == 0 && (result.errorCount > 0 || result.files.isEmpty) {
            Console.error("vigil: nothing could be read")
            throw VigilExit.input
        }
        return result
    }

    /// Prints input problems to standard error: errors and warnings always, notes (digests skipped…) when asked.
    static func printDiagnostics(_ result: LoadResult, notes: Bool, limit: Int = 50) {
        for error in result.inputErrors { Console.error("vigil: \(error)") }
        let relevant = result.diagnostics.filter { notes || $0.severity != .note }
        for d in relevant.prefix(limit) { Console.error(d.description) }
        if relevant.count > limit {
            Console.error("… and \(relevant.count - limit) more problems (see `vigil ingest --format json`)")
        }
    }
}
