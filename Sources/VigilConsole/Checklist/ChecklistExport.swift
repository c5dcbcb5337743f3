/// The checklist as Markdown, ticks with who and when, for the case record.
enum ChecklistExport {
    static func markdown(items: [ChecklistItem], ticks: [String: ChecklistTick], caseName: String, time: TimeFormat) -> String {
        var out = "# Checklist: \(caseName)\n"
        var section = ""
        for item in items {
            if item.section != section {
                section = item.section
                out += "\n## \(section)\n\n"
            }
            if let tick = ticks[item.id] {
                out += "- [x] \(item.title) (\(tick.who), \(time.full(tick.when)) \(time.mode.label))\n"
            } else {
                out += "- [ ] \(item.title)\n"
            }
            out += "  - Why: \(item.why)\n"
            if let command = item.command { out += "  - Command: `\(command)`\n" }
        }
        return out
    }
}
