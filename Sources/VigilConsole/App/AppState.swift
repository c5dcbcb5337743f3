import VigilCore
import VigilDetect
import VigilStore
import VigilTerminal

/// Everything the console shows, as a value: panes, focus, selections, filters, overlays, theme, messages.
///
/// Views draw it; only the reducer changes it. Selections are kept by id (a finding's id, an event's row) with
/// the screen row they sit on, so rows arriving above or below never move what the user is looking at.
struct AppState: Equatable {
    var size: Size
    var caseName: String
    var focus: Pane = .findings
    /// The list pane whose selection the detail pane shows (the last one focused).
    var detailSource: Pane = .findings
    /// The focused pane fills the screen.
    var zoomed = false
    var findings = FindingsState()
    var timeline = TimelineState()
    var checklist = ChecklistState()
    var detail = DetailState()
    var overlay: Overlay?
    /// The last `/` search, which `n` and `N` repeat.
    var search: SearchState?
    var theme: Theme
    var timeMode: TimeMode = .utc
    var status: StatusMessage?
    var ingest = IngestStatus()
    /// Lines entered in each kind of prompt, for Up/Down recall.
    var histories: [String: [String]] = [:]

    init(size: Size, caseName: String, theme: Theme = .default) {
        self.size = size
        self.caseName = caseName
        self.theme = theme
    }
}

/// A list's selection position: the last index it had and the screen row it is drawn on.
struct ListCursor: Equatable, Sendable {
    var index = 0
    var screenRow = 0

    /// The list state to draw with: the selected row stays on its screen row where the list allows.
    func listState(index: Int?, count: Int, rows: Int) -> ListState {
        guard count > 0, let index else { return ListState(selected: nil, offset: 0) }
        let selected = min(max(0, index), count - 1)
        let offset = min(max(0, selected - screenRow), max(0, count - max(1, rows)))
        return ListState(selected: selected, offset: offset).adjusted(count: count, visibleRows: rows)
    }

    /// Moves the selection from `index` to `target`, scrolling as little as needed (or, with `keepRow`, by the
    /// same amount, as paging does).
    mutating func move(from index: Int?, to target: Int, count: Int, rows: Int, keepRow: Bool = false) {
        guard count > 0 else { self = ListCursor(); return }
        let current = listState(index: index, count: count, rows: rows)
        let clamped = min(max(0, target), count - 1)
        var offset = current.offset
        if keepRow { offset += clamped - (current.selected ?? 0) }
        let next = ListState(selected: clamped, offset: max(0, offset)).adjusted(count: count, visibleRows: rows)
        self.index = clamped
        screenRow = clamped - next.offset
    }
}

struct FindingsState: Equatable {
    var selectedID: String?
    var cursor = ListCursor()
    var filterText = ""
    var filter = FindingFilter()
    var filterError: FilterError?
    /// Findings that have been on screen; the others count in the unseen badge. It only ever grows (the badge's
    /// count is cached on its size).
    var seen: Set<String> = []
}

struct TimelineState: Equatable {
    var selectedID: EventStore.EventID?
    var cursor = ListCursor()
    var filterText = ""
    var query: Query?
    var filterError: FilterError?
    /// The time span shown after zooming in (nil: all of it).
    var window: TimeWindow?
    /// Only the evidence of the selected finding.
    var evidenceOnly = false
}

/// A span of time in milliseconds, start inclusive, end exclusive.
struct TimeWindow: Equatable, Sendable {
    var start: Int64
    var end: Int64
    var length: Int64 { end - start }
}

struct ChecklistState: Equatable {
    var selectedID: String?
    var cursor = ListCursor()
    var ticks: [String: ChecklistTick] = [:]
    /// Ticks changed since the checklist was last exported (quitting asks first).
    var unsaved = false
}

struct DetailState: Equatable {
    /// The line under the cursor (what `p` pivots on and Enter opens).
    var cursor = 0
    var scroll = TextViewState()
    /// What was shown last, so a new subject starts at the top.
    var subject: DetailSubject?
}

/// What the detail pane is about.
enum DetailSubject: Hashable, Sendable {
    case finding(String)
    case event(EventStore.EventID)
    case checklistItem(String)
}

/// A parse error to show under a filter line: the message and the column the caret points at.
struct FilterError: Error, Equatable, Sendable {
    var message: String
    var column: Int
}

/// What is drawn over the panes and takes the keyboard.
enum Overlay: Equatable {
    case help(HelpState)
    case prompt(PromptState)
    case confirmQuit
    case entity(EntityState)
}

struct PromptState: Equatable {
    enum Purpose: Equatable {
        case command
        case search
        case filter(Pane)
    }

    var purpose: Purpose
    var prompt: Prompt
    /// A syntax error in what is typed so far (filters are checked as you type).
    var error: FilterError?
}

struct HelpState: Equatable {
    /// Whose keys are listed.
    var context: KeyContext
    var scroll = 0
    /// Typed with `/`: only lines containing it are listed.
    var filter = ""
    /// The filter line is being edited.
    var editing: Prompt?
}

struct EntityState: Equatable {
    var entity: Entity
    /// The related finding under the cursor.
    var cursor = 0
}

struct SearchState: Equatable {
    var term: String
    var pane: Pane
}

/// A message in the status line; info messages fade after a few seconds.
struct StatusMessage: Equatable {
    enum Level: Equatable { case info, warning, error }
    var text: String
    var level: Level
    var at: Timestamp
}
