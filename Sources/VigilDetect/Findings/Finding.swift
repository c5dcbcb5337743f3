import VigilCore
import VigilStore

/// A detection result: one rule (or detector) matched on one entity, folded over every repeat.
///
/// Repeated matches of one rule on one entity fold into one finding with a count and first/last seen, as
/// GuardDuty does; the evidence keeps the first ``evidenceLimit`` events and the latest one.
public struct Finding: Sendable, Identifiable {
    public enum Source: Sendable, Equatable {
        /// A Sigma rule (built in or loaded).
        case rule
        /// A Sigma correlation.
        case correlation
        /// A Swift detector (`Detector`).
        case detector
        /// An ingested GuardDuty finding.
        case guardDuty
    }

    /// Stable within a scan: the rule id and the folding entity.
    public var id: String { "\(ruleID)|\(foldKey)" }

    /// Whether `id` is this finding's ``id``, compared in place: the console looks findings up by id while
    /// drawing, and spelling every id out cost an allocation per finding per frame.
    public func hasID(_ id: String) -> Bool {
        let text = id.utf8, rule = ruleID.utf8, key = foldKey.utf8
        guard text.count == rule.count + 1 + key.count, text.starts(with: rule) else { return false }
        let rest = text.dropFirst(rule.count)
        return rest.first == UInt8(ascii: "|") && rest.dropFirst().elementsEqual(key)
    }
    public var ruleID: String
    /// The rule's `name`, when it has one (detectors: their id).
    public var ruleName: String?
    public var title: String
    public var severity: Severity
    public var source: Source
    public var tactics: [String]
    public var techniques: [String]
    /// The entity the finding is folded on (`principal:arn:aws:iam::…:user/alice`).
    public var primaryEntity: Entity?
    /// Everything the evidence names, primary first.
    public var entities: [Entity]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// How many matching events (or, for GuardDuty, the finding's own count).
    public var count: Int
    /// Evidence events in the store, in time order (capped; see ``evidenceLimit``).
    public var evidence: [EventStore.EventID]
    /// One line on what was seen in this instance (`bucket acme-logs made public`).
    public var summary: String?
    public var explanation: String?
    public var whyItMatters: String?
    public var nextSteps: [String]
    public var falsePositives: [String]
    /// Where the rule came from (`file:line`), or the detector's name.
    public var origin: String
    var foldKey: String

    public static let evidenceLimit = 100
}

extension Finding {
    /// Sorted by severity (highest first), then first seen, then rule id.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.firstSeen != b.firstSeen { return a.firstSeen < b.firstSeen }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        return a.foldKey < b.foldKey
    }
}
