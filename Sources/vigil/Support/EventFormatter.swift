import VigilCore
import VigilStore

/// Turns stored events into table rows, JSON lines and CSV, sanitising everything that came from a log.
///
/// The row summary and the exports are shared with the console (``EventSummary``, ``EventExport``).
enum EventFormatter {
    static func table(_ store: EventStore, _ ids: [EventStore.EventID], header: Bool = true) -> String {
        var table = TextTable(headers: ["time", "kind", "actor", "action", "target", "outcome", "source"])
        table.showsHeader = header
        table.maximumWidth = 40
        for id in ids {
            let s = EventSummary(store, id)
            table.rows.append([s.time.description, s.kind.description, s.actor, s.action, s.target, s.outcome, s.source]
                .map(TextSanitizer.sanitize))
        }
        return ids.isEmpty ? "" : table.render()
    }

    /// The raw record on one line for JSON kinds; a JSON object of parsed fields for text lines.
    static func jsonLine(_ store: EventStore, _ id: EventStore.EventID) -> String { EventExport.jsonLine(store, id) }

    static func csv(_ store: EventStore, _ ids: [EventStore.EventID], header: Bool = true) -> String {
        EventExport.csv(store, ids, header: header)
    }
}
