import VigilCore

/// How one role looks: colours and attributes.
public struct RoleStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(fg: TerminalColor = .default, bg: TerminalColor = .default, _ attributes: TextAttributes = []) {
        self.foreground = fg
        self.background = bg
        self.attributes = attributes
    }
}

/// How a theme marks severity besides colour, so it never rests on colour alone.
public enum SeverityMarkers: String, Sendable, CaseIterable {
    /// Colour only (allowed for user themes; every shipped theme uses a marker).
    case none
    /// `!!` critical, `! ` high, `~ ` medium, `- ` low, `. ` info.
    case symbols
    /// `C` `H` `M` `L` `I`, padded to two columns like the symbols.
    case letters
}

/// Maps every `Role` to a look. Views stay colour-free; the backend asks the theme how to draw each cell.
///
/// Themes come from YAML files (`ThemeLoader`); `Theme.default` and `Theme.monochrome` are also compiled in so
/// the binary works without its theme folder.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var severityMarkers: SeverityMarkers
    private var styles: [Role: RoleStyle]

    /// A theme from role styles; roles left out look like `fallback`'s (or plain text when there is none).
    public init(
        name: String, severityMarkers: SeverityMarkers = .symbols, styles: [Role: RoleStyle],
        fallback: Theme? = nil
    ) {
        self.name = name
        self.severityMarkers = severityMarkers
        var complete = styles
        for role in Role.allCases where complete[role] == nil {
            complete[role] = fallback?[role] ?? RoleStyle()
        }
        self.styles = complete
    }

    /// The look of a role.
    public subscript(role: Role) -> RoleStyle {
        get { styles[role] ?? RoleStyle() }
        set { styles[role] = newValue }
    }

    /// The look of a cell: its role's colours with the style's extra attributes added.
    public func resolve(_ style: Style) -> RoleStyle {
        var look = self[style.role]
        look.attributes.formUnion(style.attributes)
        return look
    }

    /// True when severity is shown with a symbol or letter as well as colour.
    public var severitySymbols: Bool { severityMarkers != .none }

    /// Columns every severity marker takes (0 when the theme uses none), for laying out columns.
    public var severityMarkerWidth: Int { severityMarkers == .none ? 0 : 2 }

    /// The marker shown beside a severity: `"!!"`, `"! "`, `"~ "`, `"- "`, `". "`, or `"C "`…`"I "`, or `""`.
    public func severityMarker(_ level: FindingFields.Severity) -> String {
        switch severityMarkers {
        case .none: return ""
        case .symbols:
            switch level {
            case .critical: return "!!"
            case .high: return "! "
            case .medium: return "~ "
            case .low: return "- "
            case .info: return ". "
            }
        case .letters:
            switch level {
            case .critical: return "C "
            case .high: return "H "
            case .medium: return "M "
            case .low: return "L "
            case .info: return "I "
            }
        }
    }
}
