/// A rule's `detection:` block as written: named searches and the condition that combines them.
public struct SigmaDetection: Sendable {
    /// The search identifiers (`selection`, `filter_main_*`…), in file order.
    public var searches: [SigmaSearch]
    /// The `condition` expressions (Sigma allows a list: any of them matching is a match).
    public var conditions: [SigmaConditionText]
    /// Legacy `timeframe` (used with the pre-correlation `| count()` syntax).
    public var timeframe: String?
}

/// A condition as text, with where it is in the file.
public struct SigmaConditionText: Sendable {
    public var text: String
    public var line: Int
}

/// One named search of a detection.
public struct SigmaSearch: Sendable {
    public enum Body: Sendable {
        /// A list of maps, any of which may match (a single map is a list of one).
        case maps([SigmaFieldMap])
        /// Field-less keywords: any of them appearing anywhere in the record.
        case keywords([SigmaValue])
    }

    public var name: String
    public var body: Body
    public var line: Int
}

/// A map of field conditions, all of which must hold.
public struct SigmaFieldMap: Sendable {
    public var fields: [SigmaFieldCondition]
}

/// `field|mod1|mod2: value or [values]`.
public struct SigmaFieldCondition: Sendable {
    /// The field name (a JSON path for CloudTrail); empty for a keyword list written as `'|all': [...]`.
    public var field: String
    public var modifiers: [String]
    public var values: [SigmaValue]
    public var line: Int
}

/// A value in a detection, as YAML typed it.
public enum SigmaValue: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value as text (numbers keep their written form).
    var text: String {
        switch self {
        case .string(let s), .number(let s): s
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        }
    }
}
