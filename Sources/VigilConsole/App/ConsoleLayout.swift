import VigilTerminal

/// Where everything goes on screen, from the size and the focus; shared by the views (to draw) and the
/// reducer (to page by the visible height and map mouse clicks), so both always agree.
///
/// Wide terminals show the four panes as a grid (findings over the timeline on the left, detail over the
/// checklist on the right); smaller ones show the focused pane under a row of tabs; `z` zooms one pane.
struct ConsoleLayout {
    /// Below this the console shows "terminal too small".
    static let minimum = Size(width: 60, height: 16)
    /// From this size on, all four panes are shown at once.
    static let gridMinimum = Size(width: 110, height: 28)

    let size: Size
    let header: Rect
    let tabs: Rect
    let body: Rect
    let status: Rect
    let isGrid: Bool
    private(set) var frames: [Pane: Rect] = [:]

    init(size: Size, focus: Pane, zoomed: Bool) {
        self.size = size
        let rows = Rect(x: 0, y: 0, width: size.width, height: size.height)
            .split(.vertical, [.fixed(1), .fixed(1), .fill(1), .fixed(1)])
        header = rows[0]
        tabs = rows[1]
        body = rows[2]
        status = rows[3]
        isGrid = !zoomed && size.contains(Self.gridMinimum)
        if isGrid {
            let columns = body.split(.horizontal, [.fill(3), .fill(2)])
            let left = columns[0].split(.vertical, [.percent(38), .fill(1)])
            let right = columns[1].split(.vertical, [.percent(62), .fill(1)])
            frames = [.findings: left[0], .timeline: left[1], .detail: right[0], .checklist: right[1]]
        } else {
            frames = [focus: body]
        }
    }

    init(_ state: AppState) {
        self.init(size: state.size, focus: state.focus, zoomed: state.zoomed)
    }

    var isTooSmall: Bool { !size.contains(Self.minimum) }

    /// The pane's frame, or where it would be if it were focused (for paging a hidden pane).
    func frame(for pane: Pane) -> Rect { frames[pane] ?? body }

    func isVisible(_ pane: Pane) -> Bool { frames[pane] != nil }

    /// The visible pane at a point, if any.
    func pane(at point: Point) -> Pane? {
        frames.first { $0.value.contains(point) }?.key
    }

    /// The pane beside `pane` in the grid, to the right (or left): findings and timeline on the left, detail and
    /// checklist on the right, row for row.
    static func neighbour(of pane: Pane, right: Bool) -> Pane {
        switch (pane, right) {
        case (.findings, true): .detail
        case (.timeline, true): .checklist
        case (.detail, false): .findings
        case (.checklist, false): .timeline
        default: pane
        }
    }
}

/// The inside of the findings pane: an optional filter line (and error line), then the table.
struct FindingsGeometry {
    let filterRow: Rect?
    let errorRow: Rect?
    let table: Rect

    var bodyRows: Int { max(0, table.height - 1) }
    /// The first table row's y (under the header).
    var firstRowY: Int { table.y + 1 }

    init(frame: Rect, state: AppState) {
        var inner = Box.inner(frame)
        let editing = state.overlay.flatMap { if case .prompt(let p) = $0, p.purpose == .filter(.findings) { p } else { nil } }
        if editing != nil || !state.findings.filterText.isEmpty {
            filterRow = inner.row(0)
            inner = inner.inset(top: 1)
            let error = editing?.error ?? state.findings.filterError
            errorRow = error == nil ? nil : inner.row(0)
            if error != nil { inner = inner.inset(top: 1) }
        } else {
            filterRow = nil
            errorRow = nil
        }
        table = inner
    }
}

/// The inside of the timeline pane: the filter line (and its error line), the histogram strip and its time
/// axis, then the table.
struct TimelineGeometry {
    let filterRow: Rect
    let errorRow: Rect?
    let histogram: Rect
    let axis: Rect?
    let table: Rect

    var bodyRows: Int { max(0, table.height - 1) }
    var firstRowY: Int { table.y + 1 }

    init(frame: Rect, state: AppState) {
        var inner = Box.inner(frame)
        filterRow = inner.row(0)
        inner = inner.inset(top: 1)
        let editing = state.overlay.flatMap { if case .prompt(let p) = $0, p.purpose == .filter(.timeline) { p } else { nil } }
        if editing?.error ?? state.timeline.filterError != nil {
            errorRow = inner.row(0)
            inner = inner.inset(top: 1)
        } else {
            errorRow = nil
        }
        let bars = inner.height >= 30 ? 2 : (inner.height >= 8 ? 1 : 0)
        histogram = Rect(x: inner.x, y: inner.y, width: inner.width, height: bars)
        inner = inner.inset(top: bars)
        if bars > 0, inner.height >= 10 {
            axis = inner.row(0)
            inner = inner.inset(top: 1)
        } else {
            axis = nil
        }
        table = inner
    }
}
