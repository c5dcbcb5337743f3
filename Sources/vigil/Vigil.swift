import ArgumentParser

@main
struct Vigil: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "An incident-response console for AWS logs.",
        discussion: """
            Reads CloudTrail, VPC flow logs, GuardDuty findings, Route 53 resolver query logs and sshd auth logs \
            from files, folders (the AWSLogs/… layout included), .gz files and standard input, and answers \
            questions about them.

            With no command, Vigil opens the console on the bundled sample data when run at a terminal (and prints \
            a summary of it when its input or output is not a terminal).

            Examples:
              vigil                                   # the console on the bundled sample data
              vigil console ./AWSLogs --follow        # the console on a folder, following new files
              vigil scan ./AWSLogs                    # findings, headless
              vigil ingest ./AWSLogs --stats          # what is in a CloudTrail folder
              vigil query 'user:alice action:Create*' ./AWSLogs
              vigil query 'ip:203.0.113.0/24 error:AccessDenied*' logs/ --format jsonl
            """,
        version: "0.1.0",
        subcommands: [DefaultCommand.self, ConsoleCommand.self, IngestCommand.self, QueryCommand.self, ScanCommand.self, RulesCommand.self, BenchCommand.self, GenerateCommand.self],
        defaultSubcommand: DefaultCommand.self
    )

    /// Runs the command, mapping argument-parser's usage failures (EX_USAGE, 64) to Vigil's exit code 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                Console.error(fullMessage(for: error))
                exit(withError: VigilExit.usage)
            }
            exit(withError: error)
        }
    }
}
