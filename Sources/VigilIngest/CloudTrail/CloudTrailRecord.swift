import VigilCore

/// Turns one CloudTrail record (a JSON object) into an ``Event`` in a single pass over its members.
///
/// Only the members the store indexes are decoded; the rest is skipped by the scanner and stays reachable in `raw`.
enum CloudTrailRecord {
    /// Why a record could not become an event.
    struct Problem: Error { var message: String }

    /// Member names of `requestParameters` / `responseElements` whose string values identify a resource.
    static let resourceKeys: Set<String> = [
        "instanceId", "bucketName", "userName", "roleName", "groupName", "groupId", "snapshotId", "keyId",
        "policyArn", "functionName", "imageId", "volumeId", "dBInstanceIdentifier", "dBSnapshotIdentifier",
        "dBClusterIdentifier", "trailName", "detectorId", "secretId", "roleArn", "vpcId", "subnetId",
        "networkInterfaceId", "flowLogId", "flowLogIds", "clusterName", "repositoryName", "tableName", "topicArn",
        "queueUrl", "stackName", "logGroupName", "accessKeyId", "serialNumber", "instanceProfileName",
        "loadBalancerName", "hostedZoneId", "certificateArn", "name", "trailARN", "arn", "sourceSnapshotId",
        "targetArn", "resolverQueryLogConfigId", "configurationRecorderName", "backupVaultName", "secretArn",
        "keyName", "launchTemplateId", "autoScalingGroupName", "stateMachineArn", "recoveryPointArn",
        "samlProviderArn", "openIDConnectProviderArn", "layerName", "aliasName", "sessionId",
    ]

    /// The resource key names, laid out to match member names against without making a String.
    static let resourceKeyTable = NameTable(resourceKeys.sorted())

    /// `name` is too generic in most services; only these services use it for a resource.
    static let servicesWhereNameIsAResource: Set<String> = [
        "cloudtrail.amazonaws.com", "secretsmanager.amazonaws.com", "ssm.amazonaws.com", "ecs.amazonaws.com",
        "eks.amazonaws.com", "glue.amazonaws.com", "route53.amazonaws.com",
    ]

    /// Normalises a record already known to be well-formed JSON.
    static func event(_ b: UnsafeRawBufferPointer, _ object: JSONRef) throws(Problem) -> Event {
        guard object.kind == .object else { throw Problem(message: "record is not a JSON object") }
        var cache = RecordStringCache()
        return try build(b, cache: &cache) { visit in
            JSONScanner.forEachMember(b, object, visit)
            return object
        }
    }

    /// Outcome of reading a record straight from the buffer.
    enum ScanResult {
        /// The event was appended.
        case read
        case problem(Problem, JSONRef)
        case malformed(JSONSyntaxError)
    }

    /// Validates and normalises the record starting at `i` in one pass, leaving `i` just past it; the event is
    /// appended to `events` directly (returning it would copy it once more).
    static func scan(_ b: UnsafeRawBufferPointer, _ i: inout Int, cache: inout RecordStringCache,
                     into events: inout [Event]) -> ScanResult {
        var syntax: JSONSyntaxError?
        var object = JSONRef(kind: .object, start: i, end: i)
        do throws(Problem) {
            events.append(try build(b, cache: &cache) { visit in
                do throws(JSONSyntaxError) {
                    object = try JSONScanner.scanObject(b, &i, visit)
                    return object
                } catch {
                    syntax = error
                    return nil
                }
            })
            return .read
        } catch {
            if let syntax { return .malformed(syntax) }
            return .problem(error, object)
        }
    }

    /// The members of a record that normalisation reads, found in one pass over the record.
    struct Members {
        var time: Timestamp?
        /// An `eventTime` that did not parse.
        var badTime: JSONRef?
        var logstashTime: Timestamp?
        var service: JSONRef?
        var action: JSONRef?
        var errorCode: JSONRef?
        var errorMessage: JSONRef?
        var identity: JSONRef?
        var sourceIP: JSONRef?
        var userAgent: JSONRef?
        var region: JSONRef?
        var recipient: JSONRef?
        var eventID: JSONRef?
        var resources: JSONRef?
        var request: JSONRef?
        var response: JSONRef?
        var additional: JSONRef?
        var eventType: JSONRef?
        var fromConsole = false
        /// The first member of each name that record attributes are read from, matched without case as rules
        /// match field names (``RecordAttribute``); `attributeKeysEscaped` when a member name had escapes.
        var attributeMembers = AttributeMembers()
        var attributeKeysEscaped = false

        /// Notes one top-level member.
        @inline(__always)
        mutating func visit(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ value: JSONRef) {
            visit(b, TopMemberName.of(b, key), key, value)
        }

        /// Notes one top-level member whose name has been classified.
        @inline(__always)
        mutating func visit(_ b: UnsafeRawBufferPointer, _ name: TopMemberName, _ key: JSONRef, _ value: JSONRef) {
            if key.hasEscapes { attributeKeysEscaped = true }
            if name.attribute != .none { attributeMembers.note(name.attribute, value) }
            switch name.member {
            case .none: break
            case .eventID: eventID = value
            case .eventTime:
                if value.kind == .string {
                    time = ISO8601Parser.parse(UnsafeRawBufferPointer(rebasing: b[(value.start + 1)..<(value.end - 1)]))
                    badTime = time == nil ? value : nil
                }
            case .eventName: action = value
            case .errorCode: errorCode = value
            case .eventType: eventType = value
            case .userAgent: userAgent = value
            case .awsRegion: region = value
            case .resources: resources = value
            case .logstashTimestamp:
                // Logstash moves eventTime into @timestamp (and drops it): the time of last resort.
                if value.kind == .string {
                    logstashTime = ISO8601Parser.parse(UnsafeRawBufferPointer(rebasing: b[(value.start + 1)..<(value.end - 1)]))
                }
            case .eventSource: service = value
            case .errorMessage: errorMessage = value
            case .userIdentity: identity = value
            case .sourceIPAddress: sourceIP = value
            case .responseElements: response = value
            case .requestParameters: request = value
            case .recipientAccountId: recipient = value
            case .additionalEventData: additional = value
            case .sessionCredentialFromConsole: fromConsole = JSONScanner.bool(b, value) ?? false
            }
        }

        /// The record's time, or why it has none; `hasAction` says whether `eventName` was a non-empty value.
        func validatedTime(_ b: UnsafeRawBufferPointer, hasAction: Bool) throws(Problem) -> Timestamp {
            guard hasAction else { throw Problem(message: "missing eventName") }
            guard let time = time ?? (badTime == nil ? logstashTime : nil) else {
                if let badTime { throw Problem(message: "eventTime '\(JSONScanner.decodeString(b, badTime))' is not an ISO 8601 time") }
                throw Problem(message: "missing eventTime")
            }
            return time
        }
    }

    /// The top-level members record attributes are read from: the first of each name, compared without case.
    struct AttributeMembers {
        var eventType: JSONRef?
        var eventCategory: JSONRef?
        var managementEvent: JSONRef?
        var readOnly: JSONRef?
        var sessionCredentialFromConsole: JSONRef?
        var userIdentity: JSONRef?

        /// Whether a member named `name` would be taken as the first `userIdentity` (before `note` sees it).
        @inline(__always)
        func isFirstUserIdentity(_ name: TopMemberName) -> Bool {
            name.attribute == .userIdentity && userIdentity == nil
        }

        @inline(__always)
        mutating func note(_ attribute: TopMemberName.Attribute, _ value: JSONRef) {
            switch attribute {
            case .none: break
            case .readOnly: if readOnly == nil { readOnly = value }
            case .eventType: if eventType == nil { eventType = value }
            case .userIdentity: if userIdentity == nil { userIdentity = value }
            case .eventCategory: if eventCategory == nil { eventCategory = value }
            case .managementEvent: if managementEvent == nil { managementEvent = value }
            case .sessionCredentialFromConsole: if sessionCredentialFromConsole == nil { sessionCredentialFromConsole = value }
            }
        }
    }

    /// Collects the members `walk` visits, then builds the event; `walk` returns the object, or nil when it failed.
    private static func build(_ b: UnsafeRawBufferPointer, cache: inout RecordStringCache,
                              _ walk: ((JSONRef, JSONRef) -> Bool) -> JSONRef?) throws(Problem) -> Event {
        var m = Members()
        let walked = walk { key, value in
            m.visit(b, key, value)
            return true
        }
        func text(_ ref: JSONRef?) -> String? { ref.flatMap { cache.string(b, $0) } }
        let action = text(m.action)
        let service = text(m.service)
        let errorCode = text(m.errorCode)
        let errorMessage = m.errorMessage.flatMap { string(b, $0) }
        let sourceIP = text(m.sourceIP)
        let userAgent = text(m.userAgent)
        let region = text(m.region)
        let recipient = text(m.recipient)
        let eventID = m.eventID.flatMap { string(b, $0) }
        let eventType = text(m.eventType)
        let identity = m.identity, resourcesRef = m.resources, requestRef = m.request, responseRef = m.response
        let additionalRef = m.additional, fromConsole = m.fromConsole

        guard let object = walked else { throw Problem(message: "malformed JSON") }
        let time = try m.validatedTime(b, hasAction: !(action ?? "").isEmpty)
        guard let action else { throw Problem(message: "missing eventName") }
        var event = Event(time: time, kind: .cloudTrail, service: service ?? "", action: action)
        if let errorCode, !errorCode.isEmpty {
            event.outcome = .failure(code: errorCode, message: errorMessage)
        } else if action == "ConsoleLogin", let responseRef, let r = JSONScanner.member(b, responseRef, "ConsoleLogin"),
                  let result = string(b, r), result != "Success" {
            // Failed console sign-ins carry the result in responseElements and the reason in errorMessage.
            event.outcome = .failure(code: "ConsoleLogin" + result, message: errorMessage)
        }
        event.sourceIP = sourceIP
        event.userAgent = userAgent
        event.region = region
        event.recipientAccount = recipient
        event.eventID = eventID

        var resources: [String] = []
        if let identity, identity.kind == .object {
            var principal = Principal()
            readIdentity(b, identity, cache: &cache, into: &principal, account: &event.account, accessKey: &event.accessKeyID)
            if fromConsole || eventType == "AwsConsoleSignIn" { principal.console = true }
            if action == "ConsoleLogin", let additionalRef, let mfa = JSONScanner.member(b, additionalRef, "MFAUsed") {
                principal.mfaAuthenticated = string(b, mfa) == "Yes"
            }
            event.principal = principal
        }
        if event.account == nil { event.account = recipient }
        let refs = resourceRefs(b, listed: resourcesRef, request: requestRef, response: responseRef,
                                nameCounts: servicesWhereNameIsAResource.contains(event.service),
                                inventory: isInventoryCall(action))
        resources = refs.compactMap { string(b, $0) }
        if resources.count > 1 {
            var seen = Set<String>()
            resources = resources.filter { seen.insert($0).inserted }
        }
        event.resources = resources
        event.raw = Array(UnsafeRawBufferPointer(rebasing: b[object.start..<object.end]))
        return event
    }

    static func readIdentity(_ b: UnsafeRawBufferPointer, _ identity: JSONRef, cache: inout RecordStringCache,
                                     into p: inout Principal,
                                     account: inout String?, accessKey: inout String?) {
        var principalID: String?
        var invokedBy: String?
        var issuerUserName: String?
        JSONScanner.forEachMember(b, identity) { key, value in
            if Self.is(b, key, "type") {
                p.type = Principal.IdentityType(cloudTrail: cache.string(b, value) ?? "")
            } else if Self.is(b, key, "arn") {
                p.arn = cache.string(b, value)
            } else if Self.is(b, key, "accountId") {
                account = cache.string(b, value)
            } else if Self.is(b, key, "accessKeyId") {
                if let k = cache.string(b, value), !k.isEmpty { accessKey = k }
            } else if Self.is(b, key, "userName") {
                p.userName = cache.string(b, value)
            } else if Self.is(b, key, "principalId") {
                principalID = cache.string(b, value)
            } else if Self.is(b, key, "invokedBy") {
                invokedBy = cache.string(b, value)
            } else if Self.is(b, key, "sessionContext"), value.kind == .object {
                JSONScanner.forEachMember(b, value) { k2, v2 in
                    if Self.is(b, k2, "sessionIssuer"), v2.kind == .object {
                        if let arn = JSONScanner.member(b, v2, "arn") { p.sessionIssuer = cache.string(b, arn) }
                        if let u = JSONScanner.member(b, v2, "userName") { issuerUserName = string(b, u) }
                    } else if Self.is(b, k2, "attributes"), v2.kind == .object,
                              let mfa = JSONScanner.member(b, v2, "mfaAuthenticated") {
                        p.mfaAuthenticated = JSONScanner.bool(b, mfa)
                    }
                    return true
                }
            }
            return true
        }
        _ = issuerUserName
        if p.userName == nil || p.userName!.isEmpty {
            switch p.type {
            case .assumedRole, .federatedUser:
                // The session name is the last segment of `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
                if let arn = p.arn, let slash = arn.lastIndex(of: "/") { p.userName = String(arn[arn.index(after: slash)...]) }
            case .root:
                p.userName = "root"
            case .awsService:
                p.userName = invokedBy
            default:
                break
            }
        }
        if p.arn == nil || p.arn!.isEmpty {
            p.arn = p.type == .awsService ? invokedBy : principalID
        }
    }

    static func isInventoryCall(_ action: String) -> Bool {
        action.hasPrefix("Describe") || action.hasPrefix("List") || action.hasPrefix("Get") || action.hasPrefix("Lookup")
            || action.hasPrefix("Search") || action.hasPrefix("BatchGet") || action.hasPrefix("Scan") || action.hasPrefix("Query")
    }

    @inline(__always)
    static func string(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> String? {
        switch ref.kind {
        case .string: return JSONScanner.decodeString(b, ref)
        case .null: return nil
        case .number, .bool: return JSONScanner.text(b, ref)
        default: return nil
        }
    }

}
