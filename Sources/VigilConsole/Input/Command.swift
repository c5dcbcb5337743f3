/// Something a key can be bound to. Raw values are the names used in the config file and the help overlay.
enum Command: String, CaseIterable, Hashable, Sendable {
    // Everywhere
    case quit, help
    case commandLine = "command-line"
    case search
    case searchNext = "search-next"
    case searchPrevious = "search-previous"
    case filter
    case focusNext = "focus-next"
    case focusPrevious = "focus-previous"
    case focusFindings = "focus-findings"
    case focusTimeline = "focus-timeline"
    case focusChecklist = "focus-checklist"
    case focusDetail = "focus-detail"
    case focusLeft = "focus-left"
    case focusRight = "focus-right"
    case zoom, back
    case toggleTime = "toggle-time"
    // Moving in a list or text
    case up, down
    case pageUp = "page-up"
    case pageDown = "page-down"
    case halfPageUp = "half-page-up"
    case halfPageDown = "half-page-down"
    case top, bottom, open
    // Timeline
    case zoomIn = "zoom-in"
    case zoomOut = "zoom-out"
    case zoomReset = "zoom-reset"
    case toggleEvidence = "toggle-evidence"
    // Checklist
    case tick
    // Detail and entity view
    case scrollLeft = "scroll-left"
    case scrollRight = "scroll-right"
    case pivot
    case pivotAnd = "pivot-and"
    // Dialogs
    case confirm, cancel

    /// What the command does, for the help overlay.
    var summary: String {
        switch self {
        case .quit: "quit (asks first when checklist ticks are not exported)"
        case .help: "this help"
        case .commandLine: "command line (:filter, :goto, :theme, :export, :quit…)"
        case .search: "search in the pane"
        case .searchNext: "next search match"
        case .searchPrevious: "previous search match"
        case .filter: "filter the pane"
        case .focusNext: "next pane"
        case .focusPrevious: "previous pane"
        case .focusFindings: "Findings pane"
        case .focusTimeline: "Timeline pane"
        case .focusChecklist: "Checklist pane"
        case .focusDetail: "Detail pane"
        case .focusLeft: "pane to the left"
        case .focusRight: "pane to the right"
        case .zoom: "zoom the pane to full screen (again: back)"
        case .back: "back (close, go up a level)"
        case .toggleTime: "times in UTC / local time"
        case .up: "up"
        case .down: "down"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .halfPageUp: "half a page up"
        case .halfPageDown: "half a page down"
        case .top: "first row"
        case .bottom: "last row"
        case .open: "drill down (details, entity profile)"
        case .zoomIn: "zoom in on time around the selection"
        case .zoomOut: "zoom out in time"
        case .zoomReset: "show the whole time span"
        case .toggleEvidence: "only the evidence of the selected finding"
        case .tick: "tick / untick the item"
        case .scrollLeft: "scroll left"
        case .scrollRight: "scroll right"
        case .pivot: "filter the timeline on the field or entity (pivot)"
        case .pivotAnd: "add the field or entity to the timeline filter"
        case .confirm: "yes"
        case .cancel: "no"
        }
    }
}

/// Where a key is pressed: each pane, and the overlays that take over the keyboard.
enum KeyContext: String, CaseIterable, Hashable, Sendable {
    case global, findings, timeline, checklist, detail, entity, help, confirm

    init(_ pane: Pane) {
        switch pane {
        case .findings: self = .findings
        case .timeline: self = .timeline
        case .checklist: self = .checklist
        case .detail: self = .detail
        }
    }

    /// Whether unbound keys fall through to the `global` bindings (pane contexts do; dialogs do not).
    var inheritsGlobal: Bool {
        switch self {
        case .findings, .timeline, .checklist, .detail: true
        case .global, .entity, .help, .confirm: false
        }
    }

    var title: String {
        switch self {
        case .global: "Everywhere"
        case .findings: "Findings"
        case .timeline: "Timeline"
        case .checklist: "Checklist"
        case .detail: "Detail"
        case .entity: "Entity view"
        case .help: "Help"
        case .confirm: "Confirmation"
        }
    }
}
