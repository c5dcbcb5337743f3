/// The MITRE ATT&CK tactics and techniques named by a rule's tags (`attack.defense-evasion`, `attack.t1562.008`).
public struct AttackTags: Sendable, Equatable {
    /// Tactic names as written after `attack.` (`defense-evasion`, `credential-access`), underscores made hyphens.
    public var tactics: [String] = []
    /// Technique ids, upper-cased (`T1562.008`).
    public var techniques: [String] = []

    public init(tactics: [String] = [], techniques: [String] = []) {
        self.tactics = tactics
        self.techniques = techniques
    }

    /// Reads the `attack.*` entries of a Sigma `tags` list; other tags are ignored.
    public init(tags: [String]) {
        for tag in tags {
            let lower = tag.lowercased()
            guard lower.hasPrefix("attack.") else { continue }
            let rest = String(lower.dropFirst("attack.".count))
            if rest.count >= 5, rest.first == "t", rest.dropFirst().prefix(4).allSatisfy(\.isNumber) {
                techniques.append(rest.uppercased())
            } else if rest.count >= 2, rest.first == "g" || rest.first == "s", rest.dropFirst().allSatisfy(\.isNumber) {
                continue  // groups and software
            } else {
                tactics.append(String(rest.map { $0 == "_" ? "-" : $0 }))
            }
        }
    }
}
