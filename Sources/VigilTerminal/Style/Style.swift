/// Text attributes a terminal can show without colour.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)

    /// Names as written in theme files, in a stable order.
    static let named: [(name: String, value: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]

    /// The attribute names set here, in `named` order (for snapshots and error messages).
    var names: [String] { Self.named.filter { contains($0.value) }.map(\.name) }
}

/// How a cell should look: a semantic role plus attributes added by the view (a bold match, a reversed cursor).
///
/// The theme supplies colours and the role's own attributes; `attributes` here are added on top.
public struct Style: Hashable, Sendable {
    public var role: Role
    public var attributes: TextAttributes

    public init(_ role: Role = .text, _ attributes: TextAttributes = []) {
        self.role = role
        self.attributes = attributes
    }

    /// Plain text: the `text` role, no extra attributes.
    public static let plain = Style(.text)

    /// This style with more attributes.
    public func adding(_ extra: TextAttributes) -> Style { Style(role, attributes.union(extra)) }
}
