// The two themes compiled into the binary. `themes/default.yaml` and `themes/monochrome.yaml` hold the same
// values (a test keeps them equal), so users can copy a file as the start of their own theme.

extension Theme {
    /// Names of the compiled-in themes.
    public static let builtInNames = ["default", "monochrome"]

    /// A compiled-in theme by name.
    public static func builtIn(named name: String) -> Theme? {
        switch name {
        case "default": return .default
        case "monochrome": return .monochrome
        default: return nil
        }
    }

    /// Dark, on the terminal's own background; severity has symbols as well as colours.
    public static let `default` = Theme(name: "default", severityMarkers: .symbols, styles: [
        .text: RoleStyle(),
        .muted: RoleStyle(fg: .indexed(245)),
        .accent: RoleStyle(fg: .cyan, [.bold]),
        .title: RoleStyle(fg: .default, [.bold]),
        .link: RoleStyle(fg: .indexed(75), [.underline]),
        .border: RoleStyle(fg: .indexed(240)),
        .focusBorder: RoleStyle(fg: .cyan, [.bold]),
        .focusTitle: RoleStyle(fg: .cyan, [.bold]),
        .header: RoleStyle(fg: .indexed(255), bg: .indexed(236), [.bold]),
        .status: RoleStyle(fg: .indexed(252), bg: .indexed(236)),
        .statusKey: RoleStyle(fg: .cyan, bg: .indexed(236), [.bold]),
        .tabActive: RoleStyle(fg: .black, bg: .cyan, [.bold]),
        .tabInactive: RoleStyle(fg: .indexed(250)),
        .tableHeader: RoleStyle(fg: .default, [.bold, .underline]),
        .selection: RoleStyle(fg: .indexed(231), bg: .indexed(24), [.bold]),
        .selectionInactive: RoleStyle(fg: .default, bg: .indexed(238)),
        .badge: RoleStyle(fg: .black, bg: .yellow, [.bold]),
        .modal: RoleStyle(fg: .default, bg: .indexed(235)),
        .prompt: RoleStyle(fg: .yellow, [.bold]),
        .cursor: RoleStyle(fg: .default, [.reverse]),
        .searchMatch: RoleStyle(fg: .black, bg: .yellow),
        .severityCritical: RoleStyle(fg: .brightWhite, bg: .red, [.bold]),
        .severityHigh: RoleStyle(fg: .brightRed, [.bold]),
        .severityMedium: RoleStyle(fg: .indexed(214)),
        .severityLow: RoleStyle(fg: .indexed(75)),
        .severityInfo: RoleStyle(fg: .indexed(245)),
        .jsonKey: RoleStyle(fg: .indexed(81)),
        .jsonString: RoleStyle(fg: .indexed(114)),
        .jsonNumber: RoleStyle(fg: .indexed(215)),
        .jsonLiteral: RoleStyle(fg: .indexed(176)),
        .jsonPunctuation: RoleStyle(fg: .indexed(245)),
        .diffAdded: RoleStyle(fg: .green),
        .diffRemoved: RoleStyle(fg: .red),
        .ok: RoleStyle(fg: .green),
        .warn: RoleStyle(fg: .yellow),
        .error: RoleStyle(fg: .brightRed, [.bold]),
        .histogram: RoleStyle(fg: .indexed(67)),
        .histogramMark: RoleStyle(fg: .indexed(220), [.bold]),
        .evidenceMark: RoleStyle(fg: .indexed(213), [.bold]),
    ])

    /// Attributes only, for terminals without colour and for `NO_COLOR`; severity has letters.
    public static let monochrome = Theme(name: "monochrome", severityMarkers: .letters, styles: [
        .text: RoleStyle(),
        .muted: RoleStyle([.dim]),
        .accent: RoleStyle([.bold]),
        .title: RoleStyle([.bold]),
        .link: RoleStyle([.underline]),
        .border: RoleStyle(),
        .focusBorder: RoleStyle([.bold]),
        .focusTitle: RoleStyle([.bold, .reverse]),
        .header: RoleStyle([.reverse]),
        .status: RoleStyle([.reverse]),
        .statusKey: RoleStyle([.reverse, .bold]),
        .tabActive: RoleStyle([.reverse, .bold]),
        .tabInactive: RoleStyle(),
        .tableHeader: RoleStyle([.bold, .underline]),
        .selection: RoleStyle([.reverse]),
        .selectionInactive: RoleStyle([.underline]),
        .badge: RoleStyle([.reverse, .bold]),
        .modal: RoleStyle(),
        .prompt: RoleStyle([.bold]),
        .cursor: RoleStyle([.reverse]),
        .searchMatch: RoleStyle([.bold, .underline]),
        .severityCritical: RoleStyle([.bold, .reverse]),
        .severityHigh: RoleStyle([.bold]),
        .severityMedium: RoleStyle([.underline]),
        .severityLow: RoleStyle(),
        .severityInfo: RoleStyle([.dim]),
        .jsonKey: RoleStyle([.bold]),
        .jsonString: RoleStyle(),
        .jsonNumber: RoleStyle(),
        .jsonLiteral: RoleStyle([.italic]),
        .jsonPunctuation: RoleStyle([.dim]),
        .diffAdded: RoleStyle([.bold]),
        .diffRemoved: RoleStyle([.dim]),
        .ok: RoleStyle(),
        .warn: RoleStyle([.bold]),
        .error: RoleStyle([.bold, .reverse]),
        .histogram: RoleStyle(),
        .histogramMark: RoleStyle([.reverse]),
        .evidenceMark: RoleStyle([.bold]),
    ])
}
