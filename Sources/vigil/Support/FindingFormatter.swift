import VigilCore
import VigilDetect
import VigilStore

/// Renders findings as a table, JSON lines, SARIF or Markdown; everything from a log is sanitised or escaped.
enum FindingFormatter {
    static func table(_ findings: [Finding], store: EventStore) -> String {
        var table = TextTable(headers: ["SEVERITY", "FIRST SEEN", "COUNT", "TITLE", "ENTITY"])
        table.rightAligned = [2]
        for f in findings {
            table.rows.append([f.severity.description.uppercased(), f.firstSeen.description, NumberFormat.count(f.count),
                               TextSanitizer.sanitize(f.title), TextSanitizer.sanitize(f.primaryEntity?.description ?? "-")])
        }
        return table.render()
    }

    /// One JSON object per finding, with its evidence as the records' own ids.
    static func jsonLine(_ f: Finding, store: EventStore) -> String {
        var out = "{"
        func field(_ name: String, _ value: String) { out += (out == "{" ? "" : ",") + JSONValue.quoted(name) + ":" + value }
        field("rule_id", JSONValue.quoted(f.ruleID))
        if let name = f.ruleName { field("rule_name", JSONValue.quoted(name)) }
        field("title", JSONValue.quoted(f.title))
        field("severity", JSONValue.quoted(f.severity.description))
        field("source", JSONValue.quoted(source(f.source)))
        field("tactics", array(f.tactics.map(JSONValue.quoted)))
        field("techniques", array(f.techniques.map(JSONValue.quoted)))
        if let p = f.primaryEntity { field("entity", entity(p)) }
        field("entities", array(f.entities.map(entity)))
        field("first_seen", JSONValue.quoted(f.firstSeen.description))
        field("last_seen", JSONValue.quoted(f.lastSeen.description))
        field("count", String(f.count))
        field("evidence", array(f.evidence.map { JSONValue.quoted(evidenceID($0, store)) }))
        if let s = f.summary { field("summary", JSONValue.quoted(s)) }
        if !f.nextSteps.isEmpty { field("next_steps", array(f.nextSteps.map(JSONValue.quoted))) }
        field("origin", JSONValue.quoted(f.origin))
        return out + "}"
    }

    /// The record's own id (CloudTrail `eventID`, a finding's id); for lines without one, the line itself.
    static func evidenceID(_ id: EventStore.EventID, _ store: EventStore) -> String {
        if let own = store.recordID(of: id) { return own }
        return String(decoding: store.rawBytes(of: id), as: UTF8.self)
    }

    private static func source(_ s: Finding.Source) -> String {
        switch s {
        case .rule: "rule"
        case .correlation: "correlation"
        case .detector: "detector"
        case .guardDuty: "guardduty"
        }
    }

    private static func entity(_ e: Entity) -> String {
        "{\"kind\":\(JSONValue.quoted(e.kind.rawValue)),\"value\":\(JSONValue.quoted(e.value))}"
    }

    private static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    // MARK: SARIF

    /// A SARIF 2.1.0 log: one rule entry per rule that fired, one result per finding.
    static func sarif(_ findings: [Finding], rules: RuleSet, store: EventStore, version: String) -> String {
        var ruleIDs: [String] = []
        for f in findings where !ruleIDs.contains(f.ruleID) { ruleIDs.append(f.ruleID) }
        let ruleEntries = ruleIDs.map { id -> String in
            let f = findings.first { $0.ruleID == id }!
            let rule = rules.rule(named: id)
            var entry = "{\"id\":\(JSONValue.quoted(id)),\"name\":\(JSONValue.quoted(f.title))"
            entry += ",\"shortDescription\":{\"text\":\(JSONValue.quoted(f.title))}"
            if let d = rule?.description ?? f.explanation { entry += ",\"fullDescription\":{\"text\":\(JSONValue.quoted(d))}" }
            entry += ",\"defaultConfiguration\":{\"level\":\(JSONValue.quoted(level(f.severity)))}"
            entry += ",\"properties\":{\"tags\":" + array((f.tactics + f.techniques).map(JSONValue.quoted)) + "}}"
            return entry
        }
        let results = findings.map { f -> String in
            var message = f.title
            if let p = f.primaryEntity { message += " — \(p)" }
            message += " (\(f.count)×, \(f.firstSeen) → \(f.lastSeen))"
            var r = "{\"ruleId\":\(JSONValue.quoted(f.ruleID)),\"level\":\(JSONValue.quoted(level(f.severity)))"
            r += ",\"message\":{\"text\":\(JSONValue.quoted(message))}"
            if let p = f.primaryEntity {
                r += ",\"locations\":[{\"logicalLocations\":[{\"name\":\(JSONValue.quoted(p.value)),\"kind\":\(JSONValue.quoted(p.kind.rawValue))}]}]"
            }
            r += ",\"properties\":{\"severity\":\(JSONValue.quoted(f.severity.description)),\"count\":\(f.count)"
            r += ",\"firstSeen\":\(JSONValue.quoted(f.firstSeen.description)),\"lastSeen\":\(JSONValue.quoted(f.lastSeen.description))"
            r += ",\"evidence\":" + array(f.evidence.map { JSONValue.quoted(evidenceID($0, store)) }) + "}}"
            return r
        }
        return """
        {"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"Vigil",\
        "version":\(JSONValue.quoted(version)),"informationUri":"https://github.com/vigil/vigil","rules":[\(ruleEntries.joined(separator: ","))]}},\
        "results":[\(results.joined(separator: ","))]}]}

        """
    }

    private static func level(_ s: Severity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    // MARK: Markdown

    static func markdown(_ findings: [Finding], store: EventStore) -> String {
        var out = "# Findings\n\n"
        if findings.isEmpty { return out + "Nothing found.\n" }
        out += "| Severity | First seen | Count | Finding | Entity |\n|---|---|---:|---|---|\n"
        for f in findings {
            out += "| \(f.severity) | \(f.firstSeen) | \(f.count) | \(md(f.title)) | \(md(f.primaryEntity?.description ?? "-")) |\n"
        }
        for f in findings {
            out += "\n## \(md(f.title))\n\n"
            out += "- **Severity:** \(f.severity)  \n- **Rule:** `\(md(f.ruleID))`  \n"
            out += "- **Seen:** \(f.firstSeen) → \(f.lastSeen), \(f.count) time\(f.count == 1 ? "" : "s")\n"
            if !f.techniques.isEmpty { out += "- **ATT&CK:** \((f.tactics + f.techniques).map(md).joined(separator: ", "))\n" }
            if !f.entities.isEmpty { out += "- **Entities:** " + f.entities.prefix(12).map { "`\(md($0.description))`" }.joined(separator: ", ") + "\n" }
            if let e = f.explanation { out += "\n\(md(e))\n" }
            if let w = f.whyItMatters { out += "\n*Why it matters:* \(md(w))\n" }
            if !f.nextSteps.isEmpty { out += "\n*Next steps:* " + f.nextSteps.map { "`\(md($0))`" }.joined(separator: ", ") + "\n" }
            out += "\n*Evidence:* " + f.evidence.prefix(10).map { "`\(md(evidenceID($0, store)))`" }.joined(separator: ", ")
            if f.evidence.count > 10 { out += " … (\(f.evidence.count) kept)" }
            out += "\n"
        }
        return out
    }

    /// Markdown-safe text: sanitised, with the characters that would change the table or the formatting escaped.
    static func md(_ text: String) -> String {
        var out = ""
        for c in TextSanitizer.sanitize(text) {
            switch c {
            case "|", "`", "*", "_", "[", "]", "<", ">", "#", "\\": out += "\\" + String(c)
            case "\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
