import VigilCore

/// Where a rule's text came from, for error messages and `vigil rules show`.
public struct RuleOrigin: Sendable, Equatable, CustomStringConvertible {
    /// The file path (or `builtin:<path>` for the bundled pack).
    public var file: String
    /// 1-based line where the rule's document starts.
    public var line: Int
    /// Whether the rule ships with Vigil.
    public var builtIn: Bool

    public var description: String { "\(file):\(line)" }
}

/// One Sigma rule as written: metadata, plus either a detection or a correlation.
///
/// This is the parsed document, not yet compiled: ``RuleCompiler`` turns the detection into matchers over the
/// event store.
public struct DetectionRule: Sendable {
    public enum Body: Sendable {
        case detection(SigmaDetection)
        case correlation(SigmaCorrelation)
    }

    /// The rule's `id` (a UUID in Sigma; any string is accepted).
    public var id: String
    /// The rule's `name`, by which correlations may refer to it.
    public var name: String?
    public var title: String
    public var status: String?
    public var description: String?
    public var level: Severity
    public var tags: [String]
    public var attack: AttackTags
    public var logSource: LogSource
    public var falsePositives: [String]
    /// Fields the rule suggests showing (`fields:`).
    public var fields: [String]
    public var references: [String]
    public var author: String?
    public var body: Body
    /// Vigil's own fields (`vigil:` block): response guidance and inline tests.
    public var extras: VigilRuleExtras
    public var origin: RuleOrigin

    /// The ids by which other rules may reference this one.
    var referenceNames: [String] { [id] + (name.map { [$0] } ?? []) }

    public var isCorrelation: Bool { if case .correlation = body { true } else { false } }
}

/// Sigma's `logsource`: which logs a rule applies to.
public struct LogSource: Sendable, Equatable {
    public var product: String?
    public var service: String?
    public var category: String?

    public init(product: String? = nil, service: String? = nil, category: String? = nil) {
        self.product = product
        self.service = service
        self.category = category
    }

    /// The event kind this log source names, or nil when Vigil has no such logs.
    public var eventKind: EventKind? {
        let service = (service ?? category ?? "").lowercased()
        switch (product?.lowercased() ?? "aws", service) {
        case ("aws", "cloudtrail"), ("aws", ""): return .cloudTrail
        case ("aws", "vpcflowlogs"), ("aws", "vpcflow"), ("aws", "vpc-flow-logs"), ("aws", "flowlogs"): return .flow
        case ("aws", "guardduty"): return .finding
        case ("aws", "route53"), ("aws", "route53resolver"), ("aws", "resolver"), ("aws", "dns"): return .dns
        case ("linux", "sshd"), ("linux", "auth"), (_, "sshd"): return .auth
        default: return nil
        }
    }
}

/// Vigil's fields in a rule's `vigil:` block. All optional; a SigmaHQ rule has none.
public struct VigilRuleExtras: Sendable {
    /// Severity to report instead of `level` (rarely needed).
    public var severity: Severity?
    /// Stratus Red Team technique the rule catches (`aws.defense-evasion.cloudtrail-stop`).
    public var stratus: [String] = []
    /// What a match means, in plain words.
    public var explanation: String?
    /// Why a responder should care.
    public var whyItMatters: String?
    /// Ids of playbook steps to follow (the casework playbooks).
    public var nextSteps: [String] = []
    /// The field whose value names the entity a finding is about (folding key); default: the principal.
    public var entityField: String?
    /// Inline test events run by `vigil rules test`.
    public var tests: [RuleTestCase] = []

    public init() {}
}

/// One inline test of a rule: an event and whether the rule must match it.
public struct RuleTestCase: Sendable {
    public var name: String?
    public var shouldMatch: Bool
    /// The events of the test as raw records (JSON objects, or text lines for flow and auth logs).
    public var records: [[UInt8]]
    public var line: Int
    /// Threat lists the test loads (`intel: {tor-exits: [198.51.100.9]}`), for rules that use `|intel`.
    public var intel: [String: [String]] = [:]
}
