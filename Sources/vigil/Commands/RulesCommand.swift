import ArgumentParser
import VigilCore
import VigilDetect

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, show and test detection rules.",
        subcommands: [List.self, Show.self, Test.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules: built-in and from --rules folders.")
        @OptionGroup var detection: DetectionOptions

        func run() throws {
            let (rules, _, detectors) = try detection.prepare()
            var table = TextTable(headers: ["ID", "LEVEL", "STATUS", "ATT&CK", "TITLE", "SOURCE"])
            table.maximumWidth = 48
            for rule in rules.rules {
                let failed = rules.failedRuleIDs.contains(rule.id)
                table.rows.append([TextSanitizer.sanitize(rule.name ?? rule.id), rule.level.description, failed ? "ERROR" : (rule.status ?? "-"),
                                   rule.attack.techniques.joined(separator: " "), TextSanitizer.sanitize(rule.title),
                                   rule.origin.builtIn ? "builtin" : TextSanitizer.sanitize(rule.origin.file)])
            }
            for d in detectors {
                table.rows.append([d.id, d.template.severity.description, "detector", d.template.techniques.joined(separator: " "), d.template.title, "builtin"])
            }
            Console.out(table.render())
            Console.error("\(rules.rules.count) rules (\(rules.failedRuleIDs.count) with errors), \(detectors.count) detectors")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one rule: its metadata, guidance and where it is.")
        @Argument(help: "The rule's id or name (an id prefix of 8 or more characters works).")
        var id: String
        @OptionGroup var detection: DetectionOptions

        func run() throws {
            let (rules, _, _) = try detection.prepare(quiet: true)
            guard let rule = rules.rule(named: id) else {
                Console.error("vigil: no rule '\(TextSanitizer.sanitize(id))' (see `vigil rules list`)")
                throw VigilExit.usage
            }
            var out = "\(rule.title)\n"
            out += "  id:          \(rule.id)\n"
            if let n = rule.name { out += "  name:        \(n)\n" }
            out += "  level:       \(rule.level)\n"
            if let s = rule.status { out += "  status:      \(s)\n" }
            out += "  kind:        \(rule.isCorrelation ? "correlation" : "detection") on \(rule.logSource.eventKind?.description ?? "unsupported logs")\n"
            if !rule.attack.tactics.isEmpty { out += "  tactics:     \(rule.attack.tactics.joined(separator: ", "))\n" }
            if !rule.attack.techniques.isEmpty { out += "  techniques:  \(rule.attack.techniques.joined(separator: ", "))\n" }
            if !rule.extras.stratus.isEmpty { out += "  stratus:     \(rule.extras.stratus.joined(separator: ", "))\n" }
            out += "  file:        \(rule.origin)\n"
            out += "  tests:       \(rule.extras.tests.count)\n"
            if let d = rule.description { out += "\n\(d.trimmingWhitespace)\n" }
            if let e = rule.extras.explanation { out += "\nWhat it means: \(e)\n" }
            if let w = rule.extras.whyItMatters { out += "Why it matters: \(w)\n" }
            if !rule.extras.nextSteps.isEmpty { out += "Next steps: \(rule.extras.nextSteps.joined(separator: ", "))\n" }
            if !rule.falsePositives.isEmpty { out += "False positives:\n" + rule.falsePositives.map { "  - \($0)\n" }.joined() }
            for e in rules.errors where e.rule == rule.title { out += "\nERROR: \(e)\n" }
            // Sanitised line by line: the line breaks are ours, everything between them came from a rule file.
            Console.out(out.split(separator: "\n", omittingEmptySubsequences: false).map { TextSanitizer.sanitize(String($0)) }.joined(separator: "\n"))
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the rules' inline tests and report pass or fail per rule.")
        @Argument(help: "Test only this rule (id or name).")
        var id: String?
        @Flag(help: "List every test case, not only failures.")
        var verbose = false
        @OptionGroup var detection: DetectionOptions

        func run() throws {
            let (rules, intel, _) = try detection.prepare()
            let results = RuleTester.run(rules, intel: intel, only: id.flatMap { rules.rule(named: $0)?.id } ?? id)
            var failed = 0, cases = 0
            for r in results {
                cases += r.cases.count
                let label = TextSanitizer.sanitize(r.rule.name ?? r.rule.id)
                if let error = r.compileError {
                    failed += 1
                    Console.out("FAIL  \(label)  does not compile: \(TextSanitizer.sanitize(error))\n")
                    continue
                }
                if r.passed {
                    if verbose { Console.out("ok    \(label)  (\(r.cases.count) tests)\n") }
                } else {
                    failed += 1
                    Console.out("FAIL  \(label)  \(r.rule.origin)\n")
                }
                for c in r.cases where verbose || !c.passed {
                    Console.out("      \(c.passed ? "ok  " : "FAIL") \(TextSanitizer.sanitize(c.name))\(c.detail.map { ": " + TextSanitizer.sanitize($0) } ?? "") (line \(c.line))\n")
                }
            }
            let untested = rules.rules.count { $0.extras.tests.isEmpty && !rules.failedRuleIDs.contains($0.id) }
            Console.error("\(results.count - failed) of \(results.count) rules passed (\(cases) test cases); \(untested) rules have no inline tests")
            if failed > 0 { throw VigilExit.found }
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
