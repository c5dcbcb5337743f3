/// Scalar members of CloudTrail records that rules test on many events but that have no column of their own
/// (`eventCategory`, `managementEvent`, the session issuer's type…).
///
/// The fast load path captures them while it reads each record. Their combinations repeat (a few hundred in a
/// busy account), so a row keeps one 2-byte symbol naming its combination (``EventStore/attributeSet(of:)``),
/// and detection decides a rule on these fields once per combination instead of reading the JSON of every event.
public enum RecordAttribute: Int, CaseIterable, Sendable {
    case eventType, eventCategory, managementEvent, readOnly, sessionCredentialFromConsole
    case invokedBy, sessionIssuerType, mfaAuthenticated

    /// The field path, as rules write it.
    public var path: String {
        switch self {
        case .eventType: "eventType"
        case .eventCategory: "eventCategory"
        case .managementEvent: "managementEvent"
        case .readOnly: "readOnly"
        case .sessionCredentialFromConsole: "sessionCredentialFromConsole"
        case .invokedBy: "userIdentity.invokedBy"
        case .sessionIssuerType: "userIdentity.sessionContext.sessionIssuer.type"
        case .mfaAuthenticated: "userIdentity.sessionContext.attributes.mfaAuthenticated"
        }
    }

    /// The attribute a rule's field path names (member names compared without case, as rules match them).
    public init?(path: String) {
        let lowered = path.lowercased()
        guard let found = Self.allCases.first(where: { $0.path.lowercased() == lowered }) else { return nil }
        self = found
    }

    /// What a row's combination says of one attribute.
    public enum Value: Equatable, Sendable {
        /// Not captured (rows appended as events, or a value the capture does not model such as null, an empty
        /// string or a container): read the record.
        case unknown
        /// The record has no such member.
        case absent
        /// The member's scalar text (strings decoded, numbers and booleans as written), as a store symbol.
        case symbol(UInt32)
    }

    /// Cell values in a combination: 0 is unknown, `absentMark` absent, anything else a symbol.
    static let absentMark = UInt32.max
}
