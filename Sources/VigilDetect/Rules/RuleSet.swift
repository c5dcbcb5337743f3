import Foundation
import VigilCore

/// Every rule Vigil will run, compiled, with the errors of those that could not be.
///
/// Built-in rules come from the bundled pack (`RulePack/`); `--rules` folders add the user's (SigmaHQ's rules load
/// unchanged). A rule that fails to parse or compile is reported in ``errors`` and left out; the rest run.
public struct RuleSet: Sendable {
    /// Every rule read (compiled or not), in load order.
    public private(set) var rules: [DetectionRule] = []
    public private(set) var errors: [RuleLoadError] = []
    var compiled: [CompiledRule] = []
    var correlations: [CompiledCorrelation] = []
    /// The ids of rules that failed to compile (they stay in `rules` for listing).
    public private(set) var failedRuleIDs: Set<String> = []
    var memoSlots = 0

    public init() {}

    /// Reads and compiles rules from files and folders (folders are walked for `*.yml` and `*.yaml`).
    public static func load(includeBuiltIn: Bool = true, paths: [String] = [], placeholders: Placeholders = Placeholders()) -> RuleSet {
        var parsed: [DetectionRule] = []
        var errors: [RuleLoadError] = []
        if includeBuiltIn {
            let (rules, errs) = BuiltInRules.load()
            parsed += rules
            errors += errs
        }
        for path in paths {
            let (rules, errs) = RuleFiles.read(path, builtIn: false)
            parsed += rules
            errors += errs
        }
        var set = RuleSet(rules: parsed, placeholders: placeholders)
        set.errors = errors + set.errors
        return set
    }

    /// Compiles already parsed rules.
    public init(rules: [DetectionRule], placeholders: Placeholders = Placeholders()) {
        var compiler = RuleCompiler(placeholders: placeholders)
        var seenIDs: [String: RuleOrigin] = [:]
        var aggregations: [(rule: DetectionRule, aggregation: LegacyAggregation, inputs: [Int])] = []
        var byName: [String: [Int]] = [:]
        for rule in rules {
            if let first = seenIDs[rule.id] {
                errors.append(RuleLoadError(file: rule.origin.file, line: rule.origin.line, rule: rule.title,
                                            message: "duplicate rule id '\(rule.id)' (first at \(first)); this copy is skipped"))
                continue
            }
            seenIDs[rule.id] = rule.origin
            self.rules.append(rule)
            guard case .detection(let detection) = rule.body else { continue }
            do {
                let output = try compiler.compile(rule, detection)
                let start = compiled.count
                compiled += output.rules
                for name in rule.referenceNames { byName[name, default: []].append(start) }
                if let a = output.aggregation { aggregations.append((rule, a, Array(start..<compiled.count))) }
            } catch {
                errors.append(error)
                failedRuleIDs.insert(rule.id)
            }
        }
        memoSlots = compiler.nextMemoSlot
        for (rule, aggregation, inputs) in aggregations {
            do { correlations.append(try Self.legacyCorrelation(rule, aggregation, inputs, compiled)) } catch {
                errors.append(error)
                failedRuleIDs.insert(rule.id)
            }
        }
        for rule in self.rules {
            guard case .correlation(let c) = rule.body else { continue }
            do {
                let compiledCorrelation = try Self.compile(rule, c, byName: byName, compiled: compiled)
                // Sigma: the rules a correlation aggregates do not report on their own unless `generate: true`.
                // A correlation of the user's does not silence built-in rules (nor the other way round): only
                // rules from the same side of that line.
                if !c.generate {
                    for i in compiledCorrelation.inputs where compiled[i].rule.origin.builtIn == rule.origin.builtIn {
                        compiled[i].generates = false
                    }
                }
                correlations.append(compiledCorrelation)
            } catch {
                errors.append(error)
                failedRuleIDs.insert(rule.id)
            }
        }
    }

    /// Rules that compiled and will run (correlations included).
    public var runnableCount: Int { rules.count - failedRuleIDs.count }

    /// The rule with this id or name.
    public func rule(named name: String) -> DetectionRule? {
        rules.first { $0.id == name || $0.name == name } ?? rules.first { $0.id.hasPrefix(name) && name.count >= 8 }
    }

    // MARK: Correlations

    private static func compile(_ rule: DetectionRule, _ c: SigmaCorrelation, byName: [String: [Int]],
                                compiled: [CompiledRule]) throws(RuleLoadError) -> CompiledCorrelation {
        func fail(_ message: String) -> RuleLoadError {
            RuleLoadError(file: rule.origin.file, line: rule.origin.line, rule: rule.title, message: message)
        }
        var inputs: [Int] = []
        var inputNames: [String] = []
        for name in c.rules {
            guard let found = byName[name]?.first else {
                throw fail("correlation refers to rule '\(name)', which is not loaded (or is itself a correlation)")
            }
            inputs.append(found)
            inputNames.append(name)
        }
        let groupBy = c.groupBy, aliases = c.aliases, condition = c.condition
        var groupAccessors: [[FieldAccessor]] = []
        var valueAccessors: [FieldAccessor?] = []
        for (position, input) in inputs.enumerated() {
            let kind = compiled[input].kind
            var accessors: [FieldAccessor] = []
            for field in groupBy {
                let actual = aliases[field]?[inputNames[position]] ?? field
                guard let a = FieldAccessor.resolve(actual, kind: kind) else { throw fail("group-by field '\(actual)' is not a field of \(kind) events") }
                accessors.append(a)
            }
            groupAccessors.append(accessors)
            if let field = condition.field {
                let actual = aliases[field]?[inputNames[position]] ?? field
                guard let a = FieldAccessor.resolve(actual, kind: kind) else { throw fail("counted field '\(actual)' is not a field of \(kind) events") }
                valueAccessors.append(a)
            } else {
                valueAccessors.append(nil)
            }
        }
        return CompiledCorrelation(rule: rule, kind: c.kind, inputs: inputs, groupBy: groupAccessors, valueField: valueAccessors,
                                   groupNames: groupBy, timespan: c.timespanMilliseconds, condition: condition,
                                   template: FindingTemplate(rule: rule, source: .correlation))
    }

    private static func legacyCorrelation(_ rule: DetectionRule, _ aggregation: LegacyAggregation, _ inputs: [Int],
                                          _ compiled: [CompiledRule]) throws(RuleLoadError) -> CompiledCorrelation {
        func fail(_ message: String) -> RuleLoadError {
            RuleLoadError(file: rule.origin.file, line: rule.origin.line, rule: rule.title, message: message)
        }
        var timespan: Int64 = 3_600_000
        if case .detection(let d) = rule.body, let text = d.timeframe {
            guard let ms = Timespan.milliseconds(text), ms > 0 else { throw fail("bad timeframe '\(text)'") }
            timespan = ms
        } else if case .count = aggregation {
            throw fail("count() needs a 'timeframe' in the detection")
        }
        let kind = compiled[inputs[0]].kind
        func resolve(_ field: String) throws(RuleLoadError) -> FieldAccessor {
            guard let a = FieldAccessor.resolve(field, kind: kind) else { throw fail("'\(field)' is not a field of \(kind) events") }
            return a
        }
        switch aggregation {
        case .count(let field, let groupBy, let op, let value):
            var condition = SigmaCorrelation.Condition(field: field)
            switch op {
            case ">": condition.gt = value
            case ">=": condition.gte = value
            case "<": condition.lt = value
            case "<=": condition.lte = value
            default: condition.eq = value
            }
            let groups = groupBy.map { [$0] } ?? []
            var groupAccessors: [FieldAccessor] = []
            for g in groups { groupAccessors.append(try resolve(g)) }
            return CompiledCorrelation(rule: rule, kind: field == nil ? .eventCount : .valueCount, inputs: inputs,
                                       groupBy: [groupAccessors], valueField: [try field.map { f throws(RuleLoadError) in try resolve(f) }],
                                       groupNames: groups, timespan: timespan, condition: condition,
                                       template: FindingTemplate(rule: rule, source: .correlation))
        case .near:
            return CompiledCorrelation(rule: rule, kind: .temporal, inputs: inputs, groupBy: [[], []], valueField: [nil, nil],
                                       groupNames: [], timespan: timespan, condition: SigmaCorrelation.Condition(gte: 2),
                                       template: FindingTemplate(rule: rule, source: .correlation))
        }
    }
}
