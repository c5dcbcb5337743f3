import VigilCore

// Small helpers for building JSON trees in key order (JSON objects keep member order in `JSONValue`).

func jobj(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
    .object(pairs.compactMap { key, value in value.map { (key, $0) } })
}

func jnum(_ value: Int) -> JSONValue { .number(String(value)) }
func jnum(_ value: Int64) -> JSONValue { .number(String(value)) }
func jstrs(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

/// Who makes a CloudTrail-recorded call, and from where.
struct Caller {
    enum Identity {
        /// An IAM user calling with a long-term access key.
        case iamUser(name: String, principalID: String, accessKey: String)
        /// An IAM user's console session (temporary `ASIA` credentials).
        case consoleUser(name: String, principalID: String, sessionKey: String, created: Int64, mfa: Bool)
        /// A role session.
        case role(arn: String, roleID: String, session: String, sessionKey: String, created: Int64, mfa: Bool,
                  webIdentityProvider: String?)
        /// An AWS service acting for the account (`type: AWSService`).
        case service(String)
        /// The signing-in IAM user of a `ConsoleLogin` (no access key; a failure also has no ARN).
        case signIn(name: String, principalID: String, failed: Bool)
        /// A web identity (OIDC) caller of `AssumeRoleWithWebIdentity`.
        case webIdentity(provider: String, subject: String)
    }

    var identity: Identity
    var sourceIP: String
    var userAgent: String
    /// `userIdentity.invokedBy` for a principal acting through a service.
    var invokedBy: String? = nil
    /// Marks console-originated calls (`sessionCredentialFromConsole`).
    var console = false
    var vpcEndpoint: String? = nil
    var tlsVersion = "TLSv1.3"

    static let account = LeakedAccessKeyScenario.accountID

    var roleName: String? {
        if case .role(let arn, _, _, _, _, _, _) = identity { return String(arn.split(separator: "/").last ?? "") }
        return nil
    }

    var arn: String {
        switch identity {
        case .iamUser(let name, _, _), .consoleUser(let name, _, _, _, _), .signIn(let name, _, _): "arn:aws:iam::\(Self.account):user/\(name)"
        case .role(_, _, let session, _, _, _, _): "arn:aws:sts::\(Self.account):assumed-role/\(roleName ?? "")/\(session)"
        case .service(let name): name
        case .webIdentity(_, let subject): subject
        }
    }

    func identityJSON() -> JSONValue {
        let account = JSONValue.string(Self.account)
        switch identity {
        case .iamUser(let name, let pid, let key):
            return jobj(["type": .string("IAMUser"), "principalId": .string(pid), "arn": .string(arn),
                         "accountId": account, "accessKeyId": .string(key), "userName": .string(name),
                         "invokedBy": invokedBy.map { .string($0) }])
        case .consoleUser(let name, let pid, let key, let created, let mfa):
            return jobj([
                "type": .string("IAMUser"), "principalId": .string(pid), "arn": .string(arn), "accountId": account,
                "accessKeyId": .string(key), "userName": .string(name),
                "sessionContext": jobj([
                    "sessionIssuer": jobj([:]), "webIdFederationData": jobj([:]),
                    "attributes": jobj(["creationDate": .string(UTC.iso(created)),
                                        "mfaAuthenticated": .string(mfa ? "true" : "false")]),
                ]),
                "invokedBy": invokedBy.map { .string($0) },
            ])
        case .role(let roleARN, let roleID, let session, let key, let created, let mfa, let provider):
            let federation: JSONValue = provider.map {
                jobj(["federatedProvider": .string($0), "attributes": jobj([:])])
            } ?? jobj([:])
            return jobj([
                "type": .string("AssumedRole"), "principalId": .string("\(roleID):\(session)"), "arn": .string(arn),
                "accountId": account, "accessKeyId": .string(key),
                "sessionContext": jobj([
                    "sessionIssuer": jobj(["type": .string("Role"), "principalId": .string(roleID),
                                           "arn": .string(roleARN), "accountId": account,
                                           "userName": .string(roleName ?? "")]),
                    "webIdFederationData": federation,
                    "attributes": jobj(["creationDate": .string(UTC.iso(created)),
                                        "mfaAuthenticated": .string(mfa ? "true" : "false")]),
                ]),
                "invokedBy": invokedBy.map { .string($0) },
            ])
        case .signIn(let name, let pid, let failed):
            if failed {
                return jobj(["type": .string("IAMUser"), "principalId": .string(pid), "accountId": account,
                             "accessKeyId": .string(""), "userName": .string(name)])
            }
            return jobj(["type": .string("IAMUser"), "principalId": .string(pid), "arn": .string(arn),
                         "accountId": account, "userName": .string(name)])
        case .service(let name):
            return jobj(["type": .string("AWSService"), "invokedBy": .string(name)])
        case .webIdentity(let provider, let subject):
            return jobj(["type": .string("WebIdentityUser"), "principalId": .string("\(provider):sts.amazonaws.com:\(subject)"),
                         "userName": .string(subject), "identityProvider": .string(provider)])
        }
    }

    var isService: Bool {
        if case .service = identity { return true }
        return invokedBy != nil
    }
}

/// One API call to record.
struct APICall {
    var time: Int64
    var region: String
    /// The service's endpoint prefix: `iam`, `ec2`, `s3`, `signin`, `monitoring`…
    var service: String
    var name: String
    var params: JSONValue = .null
    var response: JSONValue = .null
    var errorCode: String? = nil
    var errorMessage: String? = nil
    var resources: [JSONValue]? = nil
    var readOnly: Bool? = nil
    var eventType = "AwsApiCall"
    /// An S3 (or other) data event.
    var dataEvent = false
    var additional: JSONValue? = nil
    var host: String? = nil
    var eventVersion = "1.09"
    var omitRequestID = false

    init(_ time: Int64, _ region: String, _ service: String, _ name: String,
         params: JSONValue = .null, response: JSONValue = .null) {
        self.time = time
        self.region = region
        self.service = service
        self.name = name
        self.params = params
        self.response = response
    }

    func denied(_ code: String, _ message: String) -> APICall {
        var copy = self
        copy.errorCode = code
        copy.errorMessage = message
        copy.response = .null
        return copy
    }

    var eventSource: String { "\(service).amazonaws.com" }

    var isReadOnly: Bool {
        if let readOnly { return readOnly }
        for prefix in ["Get", "List", "Describe", "Head", "Lookup", "Filter", "BatchGet", "Search", "Check"] where name.hasPrefix(prefix) {
            return true
        }
        return false
    }

    var defaultHost: String {
        switch service {
        case "iam": "iam.amazonaws.com"
        case "s3": "s3.amazonaws.com"
        case "signin": "\(region).signin.aws.amazon.com"
        case "sts": region == "us-east-1" ? "sts.amazonaws.com" : "sts.\(region).amazonaws.com"
        case "ce": "ce.us-east-1.amazonaws.com"
        case "organizations": "organizations.us-east-1.amazonaws.com"
        default: "\(service).\(region).amazonaws.com"
        }
    }
}

/// Denial messages in the forms the services use.
enum Denial {
    static func iam(_ caller: Caller, _ action: String, resource: String = "*", resourcePolicy: Bool = false) -> (String, String) {
        ("AccessDenied", "User: \(caller.arn) is not authorized to perform: \(action) on resource: \(resource) because no \(resourcePolicy ? "resource-based" : "identity-based") policy allows the \(action) action")
    }

    static func ec2(_ caller: Caller, _ action: String) -> (String, String) {
        ("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: \(caller.arn) is not authorized to perform: \(action) because no identity-based policy allows the \(action) action. Encoded authorization failure message: <encoded>")
    }
}

/// Formats dates the way IAM's `responseElements` do: `Mar 10, 2026, 2:44:02 PM`.
func iamDate(_ seconds: Int64) -> String {
    let f = UTC.fields(seconds)
    let hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12
    let mm = f.minute < 10 ? "0\(f.minute)" : "\(f.minute)"
    let ss = f.second < 10 ? "0\(f.second)" : "\(f.second)"
    return "\(UTC.monthAbbreviations[f.month - 1]) \(f.day), \(f.year), \(hour12):\(mm):\(ss) \(f.hour < 12 ? "AM" : "PM")"
}
