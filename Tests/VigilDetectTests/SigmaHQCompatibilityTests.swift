import Foundation
import Testing
import VigilCore
@testable import VigilDetect

/// SigmaHQ's AWS CloudTrail rules (in ../shared when present) load unchanged, compile, and fire on events we wrote
/// for each (Fixtures/SigmaHQ), and stay quiet on near misses.
@Suite("SigmaHQ AWS rules")
struct SigmaHQCompatibilityTests {
    struct Fixture: Decodable {
        var rule: String
        var id: String
        var match: [AnyJSON]
        var nomatch: [AnyJSON]
    }

    /// Any JSON value, kept as its serialised text.
    struct AnyJSON: Decodable {
        var text: String
        init(from decoder: Decoder) throws {
            let value = try JSONFragment(from: decoder)
            text = value.serialised
        }
    }

    static var fixtures: [(file: String, fixture: Fixture)] {
        guard let folder = Bundle.module.url(forResource: "Fixtures/SigmaHQ", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                  let f = try? JSONDecoder().decode(Fixture.self, from: data) else { return nil }
            return (name, f)
        }
    }

    @Test("there is a fixture for each of the 57 rules")
    func fixtureCount() {
        #expect(Self.fixtures.count == 57)
    }

    @Test("all rules in the shared folder load and compile", .enabled(if: DetectFixtures.sharedSigmaFolder != nil))
    func allLoad() throws {
        let folder = DetectFixtures.sharedSigmaFolder! + "/rules"
        let set = RuleSet.load(includeBuiltIn: false, paths: [folder])
        #expect(set.errors.map(\.description) == [])
        #expect(set.rules.count == 57)
        #expect(set.runnableCount == 57)
    }

    @Test("each rule fires on its events and not on the near misses", .enabled(if: DetectFixtures.sharedSigmaFolder != nil))
    func firesOnFixtures() throws {
        let folder = DetectFixtures.sharedSigmaFolder! + "/rules"
        for (file, fixture) in Self.fixtures {
            let set = RuleSet.load(includeBuiltIn: false, paths: [folder + "/" + fixture.rule])
            try #require(set.errors.isEmpty, "\(fixture.rule): \(set.errors)")
            #expect(set.rules.first?.id == fixture.id)
            for (n, record) in fixture.match.enumerated() {
                let fired = Self.fires(set, record.text, ruleID: fixture.id)
                #expect(fired, "\(file) match[\(n)] did not fire")
            }
            for (n, record) in fixture.nomatch.enumerated() {
                let fired = Self.fires(set, record.text, ruleID: fixture.id)
                #expect(!fired, "\(file) nomatch[\(n)] fired")
            }
        }
    }

    @Test("the unsupported folder's aggregation rules load as correlations", .enabled(if: DetectFixtures.sharedSigmaFolder != nil))
    func legacyAggregations() {
        let set = RuleSet.load(includeBuiltIn: false, paths: [DetectFixtures.sharedSigmaFolder! + "/unsupported"])
        #expect(set.errors.map(\.description) == [])
        #expect(set.rules.count == 8)
        #expect(set.correlations.count == 7)  // six `| count()` and one `| near`; the SES rule is a plain detection
    }

    @Test("a rule needing placeholders says so, and loads when given them", .enabled(if: DetectFixtures.sharedSigmaFolder != nil))
    func placeholders() throws {
        let path = DetectFixtures.sharedSigmaFolder! + "/rules-placeholder"
        let without = RuleSet.load(includeBuiltIn: false, paths: [path])
        #expect(without.runnableCount == 0)
        #expect(without.errors.first?.message.contains("needs placeholder '%Legitimate_Countries%'") == true)
        let with = RuleSet.load(includeBuiltIn: false, paths: [path], placeholders: Placeholders([
            "Legitimate_Countries": ["FR"], "Legitimate_IP_Ranges": ["203.0.113.0/24"],
        ]))
        #expect(with.errors.map(\.description) == [])
        #expect(with.runnableCount == 1)
    }

    static func fires(_ set: RuleSet, _ record: String, ruleID: String) -> Bool {
        let engine = DetectionEngine(store: DetectFixtures.store([record]), rules: set, guardDutyFindings: false)
        engine.processAll()
        return engine.findings.contains { $0.ruleID == ruleID }
    }
}

/// A minimal JSON tree for re-serialising fixture records (test-only; ingestion never uses Foundation's JSON).
enum JSONFragment: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONFragment]), object([(String, JSONFragment)])

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        if let c = try? decoder.container(keyedBy: Key.self) {
            self = .object(try c.allKeys.map { ($0.stringValue, try c.decode(JSONFragment.self, forKey: $0)) })
            return
        }
        if var a = try? decoder.unkeyedContainer() {
            var items: [JSONFragment] = []
            while !a.isAtEnd { items.append(try a.decode(JSONFragment.self)) }
            self = .array(items)
            return
        }
        let s = try decoder.singleValueContainer()
        if s.decodeNil() { self = .null }
        else if let b = try? s.decode(Bool.self) { self = .bool(b) }
        else if let n = try? s.decode(Double.self) { self = .number(n) }
        else { self = .string(try s.decode(String.self)) }
    }

    var serialised: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return JSONValue.quoted(s)
        case .array(let a): return "[" + a.map(\.serialised).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { JSONValue.quoted($0.0) + ":" + $0.1.serialised }.joined(separator: ",") + "}"
        }
    }
}
