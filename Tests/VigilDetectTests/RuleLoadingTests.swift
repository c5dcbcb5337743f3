import Foundation
import Testing
import VigilCore
@testable import VigilDetect

@Suite("Rule loading and hostile rule files")
struct RuleLoadingTests {
    static func errors(_ yaml: String) -> [String] {
        let (parsed, parseErrors) = SigmaRuleParser.parse(text: yaml, file: "bad.yml", builtIn: false)
        return (parseErrors + RuleSet(rules: parsed).errors).map(\.description)
    }

    @Test("errors name the file, the line and the construct", arguments: [
        ("title: x\nid: a\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    eventName|bogus: x\n  condition: sel\n",
         "bad.yml:6: rule 'x': unknown modifier 'bogus'"),
        ("title: x\nid: a\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel: {eventName: x}\n  condition: sel and other\n",
         "bad.yml:6: rule 'x': condition names 'other'"),
        ("title: x\nid: a\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    eventName|re: '(a'\n  condition: sel\n",
         "bad.yml:6: rule 'x': regular expression '(a'"),
        ("title: x\nid: a\nlogsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 1}\n  condition: sel\n",
         "is not one Vigil reads"),
        ("title: x\nid: a\nlogsource: {product: aws}\ndetection:\n  sel: {eventName: x}\n", "detection has no 'condition'"),
        ("title: x\nid: a\nlevel: urgent\nlogsource: {product: aws}\ndetection:\n  sel: {eventName: x}\n  condition: sel\n", "bad.yml:3: rule 'x': unknown level 'urgent'"),
        ("title: [unclosed\n", "bad.yml:2: invalid YAML"),
        ("title: x\nid: a\nlogsource: {product: aws}\ndetection:\n  sel:\n    eventName|re: '(a)\\1'\n  condition: sel\n", "backreference"),
    ])
    func errorMessages(yaml: String, expected: String) {
        let found = Self.errors(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains(expected) == true, "\(found)")
    }

    @Test("one bad rule in a file does not stop the others")
    func partialFile() {
        let yaml = """
        title: good
        id: good
        logsource: {product: aws, service: cloudtrail}
        detection: {sel: {eventName: A}, condition: sel}
        ---
        title: bad
        id: bad
        logsource: {product: aws, service: cloudtrail}
        detection: {sel: {eventName|nope: A}, condition: sel}
        """
        let (parsed, _) = SigmaRuleParser.parse(text: yaml, file: "f.yml", builtIn: false)
        let set = RuleSet(rules: parsed)
        #expect(set.rules.count == 2)
        #expect(set.runnableCount == 1)
        #expect(set.failedRuleIDs == ["bad"])
    }

    @Test("an alias bomb is cut off instead of expanding forever")
    func aliasBomb() {
        var yaml = "title: bomb\nid: bomb\nlogsource: {product: aws}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        // Test events are written out as JSON node by node: the one place a nested alias could expand.
        yaml += "detection:\n  sel: {eventName: x}\n  condition: sel\nvigil:\n  tests:\n    - {match: true, event: {eventName: x, payload: *a8}}\n"
        let found = Self.errors(yaml)
        #expect(found.count == 1)
        #expect(found.first?.contains("too large") == true, "\(found)")
    }

    @Test("a catastrophic regular expression runs in linear time on a hostile value")
    func catastrophicRegex() throws {
        let rule = """
        title: evil regex
        id: evil
        logsource: {product: aws, service: cloudtrail}
        detection:
            sel: {userAgent|re: '^(a+)+$'}
            condition: sel
        """
        let agent = String(repeating: "a", count: 20_000) + "!"
        let findings = DetectFixtures.findings(rule, [DetectFixtures.cloudTrail("ListUsers", agent: agent)])
        #expect(findings.isEmpty)
    }

    @Test("a huge value list is refused with a clear error")
    func hugeList() {
        var yaml = "title: big\nid: big\nlogsource: {product: aws}\ndetection:\n  sel:\n    eventName:\n"
        yaml += String(repeating: "      - x\n", count: RuleCompiler.maximumValues + 1)
        yaml += "  condition: sel\n"
        let found = Self.errors(yaml)
        #expect(found.first?.contains("the limit is 100000") == true, "\(found.prefix(1))")
    }

    @Test("inline tests in the built-in pack all pass")
    func builtInPack() {
        let set = RuleSet.load(includeBuiltIn: true)
        #expect(set.errors.map(\.description) == [])
        #expect(set.rules.count >= 1)
        let results = RuleTester.run(set)
        for r in results where !r.passed {
            Issue.record("\(r.rule.origin): \(r.compileError ?? "") \(r.cases.filter { !$0.passed }.map { "\($0.name): \($0.detail ?? "")" })")
        }
        #expect(results.allSatisfy { !$0.rule.extras.tests.isEmpty })
    }

    @Test("a rule test that fails is reported as failing")
    func failingTestDetected() {
        let yaml = """
        title: wrong test
        id: wrong
        logsource: {product: aws, service: cloudtrail}
        detection: {sel: {eventName: StopLogging}, condition: sel}
        vigil:
            tests:
                - {match: true, event: {eventTime: "2026-01-01T00:00:00Z", eventSource: cloudtrail.amazonaws.com, eventName: StartLogging}}
        """
        let (parsed, errors) = SigmaRuleParser.parse(text: yaml, file: "t.yml", builtIn: false)
        #expect(errors.isEmpty)
        let results = RuleTester.run(RuleSet(rules: parsed))
        #expect(results.count == 1)
        #expect(results.first?.passed == false)
        #expect(results.first?.cases.first?.detail == "expected a match; the rule did not fire")
    }
}
