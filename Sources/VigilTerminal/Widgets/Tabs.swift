/// One tab: a title and an optional badge (a count of unseen findings).
public struct Tab: Hashable, Sendable {
    public var title: String
    public var badge: String

    public init(_ title: String, badge: String = "") {
        self.title = title
        self.badge = badge
    }
}

/// A row of tabs, ` 1 Findings  2 Timeline `, the selected one in `tabActive`.
public struct Tabs: Sendable {
    public var tabs: [Tab]
    public var selected: Int
    /// Whether tabs are numbered (the digit keys that select them).
    public var numbered: Bool

    public init(_ tabs: [Tab], selected: Int, numbered: Bool = true) {
        self.tabs = tabs
        self.selected = selected
        self.numbered = numbered
    }

    private func label(_ index: Int) -> StyledText {
        let role: Role = index == selected ? .tabActive : .tabInactive
        var text = StyledText(" " + (numbered ? "\(index + 1) " : "") + tabs[index].title + " ", role)
        if !tabs[index].badge.isEmpty {
            text.append(tabs[index].badge, .badge)
            text.append(" ", role)
        }
        return text
    }

    /// Where each tab is drawn in `area` (for mouse clicks); tabs that do not fit get empty rects.
    public func layout(in area: Rect) -> [Rect] {
        var x = area.x
        return tabs.indices.map { index in
            let width = min(label(index).width, max(0, area.maxX - x))
            defer { x += width + 1 }
            return Rect(x: x, y: area.y, width: width, height: min(1, area.height))
        }
    }

    /// The tab at a point, if any.
    public func tab(at point: Point, in area: Rect) -> Int? {
        layout(in: area).firstIndex { $0.contains(point) }
    }

    /// Draws the tabs on the first row of `area`, left to right, cutting the last one that does not fit.
    public func draw(into buffer: inout ScreenBuffer, in area: Rect) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        for (index, rect) in layout(in: area).enumerated() where !rect.isEmpty {
            buffer.put(label(index).truncated(to: rect.width), at: rect.origin, clipTo: line)
        }
    }
}
