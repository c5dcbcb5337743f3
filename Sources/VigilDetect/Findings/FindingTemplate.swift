/// What every finding of one rule or detector shares: its id, title, severity and guidance.
public struct FindingTemplate: Sendable {
    public var ruleID: String
    /// The rule's `name` (`vigil-cloudtrail-logging-stopped`), when it has one.
    public var ruleName: String?
    public var title: String
    public var severity: Severity
    public var source: Finding.Source
    public var tactics: [String]
    public var techniques: [String]
    public var explanation: String?
    public var whyItMatters: String?
    public var nextSteps: [String]
    public var falsePositives: [String]
    public var origin: String

    public init(ruleID: String, title: String, severity: Severity, source: Finding.Source, tactics: [String] = [],
                techniques: [String] = [], explanation: String? = nil, whyItMatters: String? = nil,
                nextSteps: [String] = [], falsePositives: [String] = [], origin: String, ruleName: String? = nil) {
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.title = title
        self.severity = severity
        self.source = source
        self.tactics = tactics
        self.techniques = techniques
        self.explanation = explanation
        self.whyItMatters = whyItMatters
        self.nextSteps = nextSteps
        self.falsePositives = falsePositives
        self.origin = origin
    }

    init(rule: DetectionRule, source: Finding.Source) {
        self.init(ruleID: rule.id, title: rule.title, severity: rule.level, source: source,
                  tactics: rule.attack.tactics, techniques: rule.attack.techniques,
                  explanation: rule.extras.explanation ?? rule.description, whyItMatters: rule.extras.whyItMatters,
                  nextSteps: rule.extras.nextSteps, falsePositives: rule.falsePositives,
                  origin: rule.origin.description, ruleName: rule.name)
    }
}
