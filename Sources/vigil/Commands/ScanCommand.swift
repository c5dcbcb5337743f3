import ArgumentParser
import VigilCore
import VigilDetect
import VigilIngest
import VigilStore

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Read logs, run the detections, print the findings.",
        discussion: """
            Runs the built-in rule pack (docs/rules.md), any --rules folders (SigmaHQ's AWS rules load unchanged), \
            the Swift detectors and GuardDuty findings found in the input. Findings are sorted by severity, then time.

            Exit status: 0 when nothing at or above --min-severity was found, 1 when something was, 2 for usage \
            errors, 3 when the input could not be read.

            Examples:
              vigil scan ./AWSLogs
              vigil scan ./AWSLogs --rules ~/sigma/rules/cloud/aws --intel tor-exits.txt --min-severity high
              vigil scan logs/ --format jsonl | jq -r .rule_id
              vigil scan logs/ --format sarif > findings.sarif
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, jsonl, sarif, markdown }

    @OptionGroup var input: InputOptions
    @OptionGroup var detection: DetectionOptions

    @Option(help: "Report findings at or above this severity: info, low, medium, high, critical.")
    var minSeverity: String = "info"

    @Option(help: "Output format: table, jsonl, sarif or markdown.")
    var format: Format = .table

    @Flag(help: "Time each rule and each detector and print the costliest to standard error (both then run on one thread).")
    var profileRules = false

    func validate() throws {
        if Severity(sigmaLevel: minSeverity) == nil {
            throw ValidationError("--min-severity must be info, low, medium, high or critical")
        }
    }

    func run() throws {
        let threshold = Severity(sigmaLevel: minSeverity)!
        let (rules, intel, detectors) = try detection.prepare()
        let result = try input.load()
        let start = System.monotonic()
        let engine = DetectionEngine(store: result.store, rules: rules, detectors: detectors, intel: intel)
        engine.profiling = profileRules
        engine.processAll()
        if profileRules {
            var table = TextTable(headers: ["RULE", "SECONDS", "MATCHES"])
            table.rightAligned = [1, 2]
            for cost in engine.ruleCosts.prefix(25) {
                table.rows.append([TextSanitizer.sanitize(cost.rule.name ?? cost.rule.title), Console.fixed(cost.seconds, 3), NumberFormat.count(cost.matches)])
            }
            Console.error(table.render())
            var detectorTable = TextTable(headers: ["DETECTOR", "PART", "SECONDS"])
            detectorTable.rightAligned = [1, 2]
            for cost in engine.detectorCosts {
                detectorTable.rows.append([cost.detector, cost.parts > 1 ? "\(cost.part + 1) of \(cost.parts)" : "",
                                           Console.fixed(cost.seconds, 3)])
            }
            Console.error(detectorTable.render())
        }
        let elapsed = System.monotonic() - start
        let findings = engine.findings.filter { $0.severity >= threshold }
        switch format {
        case .table: Console.out(FindingFormatter.table(findings, store: result.store))
        case .jsonl: Console.out(findings.map { FindingFormatter.jsonLine($0, store: result.store) + "\n" }.joined())
        case .sarif: Console.out(FindingFormatter.sarif(findings, rules: rules, store: result.store, version: Vigil.configuration.version))
        case .markdown: Console.out(FindingFormatter.markdown(findings, store: result.store))
        }
        Console.error("\(NumberFormat.plural(findings.count, "finding")) at or above \(threshold) from \(NumberFormat.count(result.store.count)) events; \(rules.runnableCount) rules, \(detectors.count) detectors (detection \(Console.fixed(elapsed * 1000, 0)) ms)")
        if !findings.isEmpty { throw VigilExit.found }
    }
}
