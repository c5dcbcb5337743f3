import VigilCore
import VigilStore

/// Writes timeline rows as CSV (formula-defused) or JSON lines: the same export as the CLI's `query`
/// (``EventExport``), chosen by the file name.
enum TimelineExport {
    enum Format: String, Sendable {
        case csv, jsonl
    }

    /// The format for a path: `.csv` is CSV, anything else JSON lines.
    static func format(forPath path: String) -> Format {
        path.lowercased().hasSuffix(".csv") ? .csv : .jsonl
    }

    static func csv(_ store: EventStore, _ ids: some Sequence<EventStore.EventID>) -> String {
        EventExport.csv(store, ids)
    }

    static func jsonLines(_ store: EventStore, _ ids: some Sequence<EventStore.EventID>) -> String {
        EventExport.jsonLines(store, ids)
    }
}
