import VigilCore
import VigilIngest
import VigilStore

/// Runs the inline tests of rules (`vigil: tests:`): each test's events are read as logs, the rule runs over
/// them, and the test passes when the rule fired exactly when the test says it should.
public enum RuleTester {
    public struct CaseResult: Sendable {
        public var name: String
        public var passed: Bool
        /// Why it failed (or notes on reading the events).
        public var detail: String?
        public var line: Int
    }

    public struct RuleResult: Sendable {
        public var rule: DetectionRule
        public var cases: [CaseResult]
        /// Set when the rule itself could not be compiled.
        public var compileError: String?
        public var passed: Bool { compileError == nil && cases.allSatisfy(\.passed) }
    }

    /// Tests every rule of `set` that has inline tests (and reports rules that failed to compile).
    public static func run(_ set: RuleSet, placeholders: Placeholders = Placeholders(), intel: ThreatIntel = ThreatIntel(),
                           only: String? = nil) -> [RuleResult] {
        var results: [RuleResult] = []
        for rule in set.rules {
            if let only, rule.id != only, rule.name != only { continue }
            if set.failedRuleIDs.contains(rule.id) {
                let message = set.errors.first { $0.rule == rule.title }?.message ?? "does not compile"
                results.append(RuleResult(rule: rule, cases: [], compileError: message))
                continue
            }
            guard !rule.extras.tests.isEmpty else { continue }
            var inputs = [rule]
            if case .correlation(let c) = rule.body {
                inputs = c.rules.compactMap { set.rule(named: $0) } + [rule]
            }
            let single = RuleSet(rules: inputs, placeholders: placeholders)
            var cases: [CaseResult] = []
            for (n, test) in rule.extras.tests.enumerated() {
                cases.append(runCase(test, number: n + 1, rule: rule, set: single, intel: intel))
            }
            results.append(RuleResult(rule: rule, cases: cases, compileError: nil))
        }
        return results
    }

    static func runCase(_ test: RuleTestCase, number: Int, rule: DetectionRule, set: RuleSet, intel: ThreatIntel) -> CaseResult {
        let name = test.name ?? "test \(number)"
        var input: [UInt8] = []
        for record in test.records {
            input += record
            input.append(UInt8(ascii: "\n"))
        }
        // The records are read both ways a store is filled: as events (live tailing, the console) and as rows
        // built from the bytes (loads and scans). The rule must give the expected answer on both.
        var batch = IngestBatch()
        var rowBatch = IngestBatch()
        rowBatch.rows = EventRows()
        input.withUnsafeBytes { b in
            let source = "\(rule.origin.file) test '\(name)'"
            let reference = Timestamp(milliseconds: 1_735_689_600_000)
            _ = Ingestor.read(b, source: source, options: IngestOptions(year: 2025), referenceTime: reference, into: &batch)
            _ = Ingestor.read(b, source: source, options: IngestOptions(year: 2025), referenceTime: reference, into: &rowBatch)
        }
        let problems = batch.diagnostics.filter { $0.severity == .error }
        if !problems.isEmpty || batch.events.count != test.records.count {
            let detail = problems.first.map(\.description) ?? "read \(batch.events.count) events from \(test.records.count) records"
            return CaseResult(name: name, passed: false, detail: "test events unreadable: \(detail)", line: test.line)
        }
        var lists = intel
        for (name, entries) in test.intel { lists.add(name: name, text: entries.joined(separator: "\n")) }
        func fires(_ store: EventStore) -> Bool {
            let engine = DetectionEngine(store: store, rules: set, intel: lists, guardDutyFindings: false)
            engine.processAll()
            return engine.findings.contains { $0.ruleID == rule.id }
        }
        let fired = fires(EventStore.build(batch.events))
        let firedOnRows = fires(EventStore.build(rowBatch.events, rows: rowBatch.rows))
        if fired != firedOnRows {
            return CaseResult(name: name, passed: false,
                              detail: "the rule \(fired ? "fires" : "does not fire") on events appended one by one but \(firedOnRows ? "fires" : "does not fire") on the same records loaded in bulk",
                              line: test.line)
        }
        if fired == test.shouldMatch { return CaseResult(name: name, passed: true, detail: nil, line: test.line) }
        return CaseResult(name: name, passed: false,
                          detail: test.shouldMatch ? "expected a match; the rule did not fire" : "expected no match; the rule fired",
                          line: test.line)
    }
}
