import VigilCore

/// One thing to have ready (or to do) during a response, with the reason it matters.
struct ChecklistItem: Hashable, Sendable {
    /// Stable key for the tick state (`workstation.account`, `playbook.<finding>.<step>`).
    var id: String
    var title: String
    /// One line on why it matters, shown in the detail pane.
    var why: String
    /// A ready-to-paste AWS CLI (or shell) command, when one fits.
    var command: String?
    /// The section heading the item sits under.
    var section: String
}

/// Who ticked an item, and when.
struct ChecklistTick: Hashable, Sendable {
    var who: String
    var when: Timestamp
}
