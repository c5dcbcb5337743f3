import VigilCore

/// What a piece of text means on screen. Views name roles, never colours; a `Theme` decides how each looks.
///
/// Raw values are the keys used in theme files (`focus-border`, `severity-high`…).
public enum Role: String, CaseIterable, Hashable, Sendable {
    // General text
    case text
    case muted
    case accent
    case title
    case link

    // Frames and chrome
    case border
    case focusBorder = "focus-border"
    case focusTitle = "focus-title"
    case header
    case status
    case statusKey = "status-key"
    case tabActive = "tab-active"
    case tabInactive = "tab-inactive"
    case tableHeader = "table-header"
    case selection
    /// The selected row of a pane that does not have the focus: visible, but quieter than `selection`.
    case selectionInactive = "selection-inactive"
    case badge
    case modal
    case prompt
    case cursor
    case searchMatch = "search-match"

    // Severity
    case severityCritical = "severity-critical"
    case severityHigh = "severity-high"
    case severityMedium = "severity-medium"
    case severityLow = "severity-low"
    case severityInfo = "severity-info"

    // JSON
    case jsonKey = "json-key"
    case jsonString = "json-string"
    case jsonNumber = "json-number"
    case jsonLiteral = "json-literal"
    case jsonPunctuation = "json-punctuation"

    // Diffs and outcomes
    case diffAdded = "diff-added"
    case diffRemoved = "diff-removed"
    case ok
    case warn
    case error

    // Timeline
    case histogram
    case histogramMark = "histogram-mark"
    case evidenceMark = "evidence-mark"

    /// The role for a finding severity.
    public static func severity(_ level: FindingFields.Severity) -> Role {
        switch level {
        case .critical: .severityCritical
        case .high: .severityHigh
        case .medium: .severityMedium
        case .low: .severityLow
        case .info: .severityInfo
        }
    }
}
