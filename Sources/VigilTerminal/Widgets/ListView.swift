/// Selection and scroll position of a list or table, kept in the app state.
///
/// The offset changes only as much as needed to keep the selection visible, so rows arriving below the
/// view (a live feed) never move what the user is looking at.
public struct ListState: Hashable, Sendable {
    /// The selected row, or nil when nothing is selected (an empty list).
    public var selected: Int?
    /// The first visible row.
    public var offset: Int

    public init(selected: Int? = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta` rows (negative is up), stopping at the ends.
    public mutating func move(by delta: Int, count: Int) {
        guard count > 0 else { selected = nil; return }
        selected = Swift.min(count - 1, Swift.max(0, (selected ?? 0) + delta))
    }

    /// Selects a row (clamped to the list).
    public mutating func select(_ index: Int, count: Int) {
        guard count > 0 else { selected = nil; return }
        selected = Swift.min(count - 1, Swift.max(0, index))
    }

    public mutating func selectFirst(count: Int) { select(0, count: count) }
    public mutating func selectLast(count: Int) { select(count - 1, count: count) }

    /// The state with the selection inside the list and the offset adjusted to show it in `visibleRows`.
    public func adjusted(count: Int, visibleRows: Int) -> ListState {
        var state = self
        if count == 0 {
            state.selected = nil
            state.offset = 0
            return state
        }
        if let selected = state.selected { state.selected = Swift.min(count - 1, Swift.max(0, selected)) }
        let rows = Swift.max(1, visibleRows)
        if let selected = state.selected {
            if selected < state.offset { state.offset = selected }
            if selected >= state.offset + rows { state.offset = selected - rows + 1 }
        }
        // Never leave empty rows at the bottom while there are rows above to show.
        state.offset = Swift.max(0, Swift.min(state.offset, count - rows))
        return state
    }

    /// The row at a screen row within a list drawn with this state (for mouse clicks), if any.
    public func row(atVisibleRow visibleRow: Int, count: Int) -> Int? {
        let index = offset + visibleRow
        return visibleRow >= 0 && index < count ? index : nil
    }
}

/// A vertical list of one-line items with a selection, an optional marker column and an empty message.
///
/// ```swift
/// let list = ListView(items: findings.map(\.line), markers: findings.map(\.severityMarker), focused: true)
/// state = list.draw(into: &buffer, in: inner, state: state)
/// ```
public struct ListView: Sendable {
    public var items: [StyledText]
    /// A short column before each item (severity markers, evidence marks); empty for none.
    public var markers: [StyledText]
    public var focused: Bool
    /// Text shown before the selected item (such as `"> "`), padded for the others; empty for none.
    public var selectionSymbol: String
    /// Shown (muted) when there are no items.
    public var emptyText: String

    public init(items: [StyledText], markers: [StyledText] = [], focused: Bool = true,
                selectionSymbol: String = "", emptyText: String = "") {
        self.items = items
        self.markers = markers
        self.focused = focused
        self.selectionSymbol = selectionSymbol
        self.emptyText = emptyText
    }

    /// Draws the visible rows and returns the state as drawn (offset adjusted to show the selection).
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, in area: Rect, state: ListState) -> ListState {
        let state = state.adjusted(count: items.count, visibleRows: area.height)
        guard !area.isEmpty else { return state }
        if items.isEmpty {
            buffer.put(emptyText, at: area.origin, style: Style(.muted), clipTo: area)
            return state
        }
        let markerWidth = markers.map(\.width).max() ?? 0
        let symbolWidth = StyledText(selectionSymbol).width
        for row in 0..<area.height {
            let index = state.offset + row
            guard index < items.count else { break }
            let line = area.row(row)
            let isSelected = index == state.selected
            var x = area.x
            if symbolWidth > 0 {
                if isSelected {
                    buffer.put(selectionSymbol, at: Point(x: x, y: line.y), style: Style(.accent), clipTo: line)
                }
                x += symbolWidth
            }
            if markerWidth > 0 {
                let marker = index < markers.count ? markers[index] : StyledText()
                buffer.put(marker.padded(to: markerWidth), at: Point(x: x, y: line.y), clipTo: line)
                x += markerWidth + 1
            }
            buffer.put(items[index], at: Point(x: x, y: line.y), clipTo: line)
            if isSelected { buffer.highlightSelection(line, focused: focused) }
        }
        return state
    }
}

extension ScreenBuffer {
    /// Paints a row in the selection role, keeping each cell's text and attributes.
    mutating func highlightSelection(_ rect: Rect, focused: Bool) {
        setRole(focused ? .selection : .selectionInactive, in: rect)
    }
}
