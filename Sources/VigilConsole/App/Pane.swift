/// The four panes of the console, in tab order; the digit keys `1`–`4` select them.
enum Pane: Int, CaseIterable, Hashable, Sendable {
    case findings, timeline, checklist, detail

    var title: String {
        switch self {
        case .findings: "Findings"
        case .timeline: "Timeline"
        case .checklist: "Checklist"
        case .detail: "Detail"
        }
    }

    /// Whether the pane is a list whose selection the detail pane shows.
    var isSource: Bool { self != .detail }
}
