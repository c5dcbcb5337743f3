/// Who acted: the identity a record attributes the action to.
public struct Principal: Sendable, Equatable, Hashable {
    /// CloudTrail's `userIdentity.type`, normalised.
    public enum IdentityType: String, Sendable, CaseIterable {
        case root = "Root"
        case iamUser = "IAMUser"
        case assumedRole = "AssumedRole"
        case federatedUser = "FederatedUser"
        case awsService = "AWSService"
        case awsAccount = "AWSAccount"
        case identityCenterUser = "IdentityCenterUser"
        case directory = "Directory"
        case samlUser = "SAMLUser"
        case webIdentityUser = "WebIdentityUser"
        case unknown = "Unknown"
        /// A local account on a host (sshd logs).
        case hostUser = "HostUser"

        /// Maps CloudTrail's spelling; anything unrecognised is `.unknown`.
        public init(cloudTrail value: String) {
            self = IdentityType(rawValue: value) ?? .unknown
        }
    }

    /// The principal's ARN, or the best identifier the record has (a service name, a host user).
    public var arn: String?
    public var type: IdentityType
    /// `userIdentity.userName`, the role session name, or the host account name.
    public var userName: String?
    /// For assumed roles: the ARN of the role the session was issued from.
    public var sessionIssuer: String?
    /// Whether the session was authenticated with MFA, when the record says.
    public var mfaAuthenticated: Bool?
    /// True when the call came from the console (a session credential with `sessionContext` and a console user agent, or `ConsoleLogin`).
    public var console: Bool

    public init(arn: String? = nil, type: IdentityType = .unknown, userName: String? = nil,
                sessionIssuer: String? = nil, mfaAuthenticated: Bool? = nil, console: Bool = false) {
        self.arn = arn
        self.type = type
        self.userName = userName
        self.sessionIssuer = sessionIssuer
        self.mfaAuthenticated = mfaAuthenticated
        self.console = console
    }

    /// The name to show for this principal: the user name, else the last part of the ARN.
    public var displayName: String {
        if let userName, !userName.isEmpty { return userName }
        if let arn {
            if let slash = arn.lastIndex(of: "/") { return String(arn[arn.index(after: slash)...]) }
            return arn
        }
        return type.rawValue
    }
}
