import ArgumentParser
import VigilCore
import VigilSynth

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic AWS logs: the bundled sample incident, or a busy account for benchmarks.",
        discussion: """
            Everything is generated from a seed, so the same command always writes the same bytes.

            Examples:
              vigil generate sample                  # rewrites sample-data/
              vigil generate sample --output /tmp/samples
              vigil generate bench -o bench-data     # 1M CloudTrail records, 1M flow lines
              vigil generate bench -o bench-data --events 20000000 --flow-lines 0
              vigil generate bench -o bench-plain --events 100000 --plain --seed 7
            """,
        subcommands: [Sample.self, Bench.self]
    )

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the bundled sample dataset (a leaked access key incident in a day of normal activity).",
            discussion: """
                Writes <output>/leaked-access-key/ in the shapes AWS delivers: CloudTrail in the S3 layout (with a \
                digest file and a few duplicated records), VPC flow logs (v5 with a header, and a v2 CloudWatch \
                export), GuardDuty get-findings output and EventBridge events, Route 53 Resolver query logs, an \
                sshd auth.log, and scenario.md, which tells the story and what a responder should find. The folder \
                is replaced. The committed sample-data/ is exactly this output; a test checks they match.

                Examples:
                  vigil generate sample
                  vigil generate sample --output /tmp/samples && vigil ingest /tmp/samples
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write the scenario folder into.", valueName: "dir"))
        var output = "sample-data"

        func run() throws {
            let summary = try SampleDataGenerator().write(to: output)
            print("Wrote \(summary.folder)/: \(NumberFormat.plural(summary.files.count, "file")), \(Console.bytes(summary.bytes))")
            print("  CloudTrail  \(NumberFormat.count(summary.cloudTrailRecords)) records in \(NumberFormat.plural(summary.cloudTrailFiles, "file")) (+1 digest)")
            print("  flow logs   \(NumberFormat.count(summary.flowRecords)) records")
            print("  DNS         \(NumberFormat.count(summary.dnsQueries)) queries")
            print("  GuardDuty   \(NumberFormat.count(summary.findingRecords)) finding records")
            print("  sshd        \(NumberFormat.count(summary.authLines)) auth.log lines")
            print("See \(summary.folder)/scenario.md for the story.")
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a large, realistic busy-account dataset for benchmarks.",
            discussion: """
                CloudTrail goes to <output>/AWSLogs/111122223333/CloudTrail/<region>/YYYY/MM/DD/ in files of \
                1,000-5,000 records (about 1.5 KB each; gzipped unless --plain); flow logs (v2 with a header line) \
                to <output>/AWSLogs/111122223333/vpcflowlogs/ in files of up to 1,000,000 lines. About 300 \
                principals (IAM users alice, bob, ...), 200 actions over 32 services, 3,000 resources and 17 \
                regions, with skewed popularity: 'user:alice action:Create*' selects a small fraction.

                Examples:
                  vigil generate bench --output bench-data
                  vigil generate bench --output bench-data --events 10000000 --flow-lines 5000000
                  vigil generate bench --output /tmp/b --events 50000 --flow-lines 0 --plain
                """
        )

        @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write into (created if needed).", valueName: "dir"))
        var output: String

        @Option(help: "Number of CloudTrail records.")
        var events = 1_000_000

        @Option(name: .customLong("flow-lines"), help: "Number of VPC flow log lines (0 for none).")
        var flowLines = 1_000_000

        @Flag(help: "Write CloudTrail as plain .json instead of .json.gz.")
        var plain = false

        @Option(help: "Random seed: the same seed writes the same files.")
        var seed: UInt64 = 1

        func validate() throws {
            guard events >= 0 else { throw ValidationError("--events must be 0 or more.") }
            guard flowLines >= 0 else { throw ValidationError("--flow-lines must be 0 or more.") }
        }

        func run() throws {
            let generator = BenchDataGenerator(seed: seed)
            let clock = ContinuousClock()
            if events > 0 {
                let started = clock.now
                let result = try generator.writeCloudTrail(to: output, events: events, gzip: !plain)
                print("CloudTrail: \(NumberFormat.count(events)) records in \(NumberFormat.plural(result.files, "file")) (\(plain ? ".json" : ".json.gz")), \(Console.bytes(result.bytes)) uncompressed, in \(seconds(clock.now - started))")
            }
            if flowLines > 0 {
                let started = clock.now
                let result = try generator.writeFlowLogs(to: output, lines: flowLines)
                print("Flow logs:  \(NumberFormat.count(flowLines)) lines in \(NumberFormat.plural(result.files, "file")), \(Console.bytes(result.bytes)), in \(seconds(clock.now - started))")
            }
            print("Written under \(output)/AWSLogs/111122223333/ (seed \(seed)).")
        }

        private func seconds(_ d: Duration) -> String {
            let (s, attos) = d.components
            return Console.fixed(Double(s) + Double(attos) / 1e18, 1) + " s"
        }
    }
}
