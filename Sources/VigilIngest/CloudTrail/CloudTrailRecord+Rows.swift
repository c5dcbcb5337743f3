import VigilCore
import VigilStore

/// The store's fast path: a CloudTrail record normalised straight into ``EventRows``, without an ``Event`` or a
/// `String` per value. It must give the same row as ``CloudTrailRecord/event(_:_:)`` appended to a store does;
/// `CloudTrailRowsTests` holds the two paths to that.
extension CloudTrailRecord {
    /// Validates and normalises the record starting at `i` in one pass, leaving `i` just past it: the members the
    /// row needs, `userIdentity`'s included, are noted as the scan reaches them.
    static func scan(_ b: UnsafeRawBufferPointer, _ i: inout Int, into rows: inout EventRows) -> ScanResult {
        var m = Members()
        // The identity the columns read (the last exact `userIdentity`) and the one the attributes read (the first
        // without case) are nearly always the same member: it is scanned into `identity` once, and copied only
        // when a later member takes its place.
        var identity = IdentityMembers()
        var attributeIdentity = IdentityMembers()
        var attributesReadIdentity = false
        let object: JSONRef
        do throws(JSONSyntaxError) {
            object = try JSONScanner.scanObject(b, &i, depth: 0) { key, i, depth throws(JSONSyntaxError) in
                let name = TopMemberName.of(b, key)
                let exact = name.member == .userIdentity
                let first = m.attributeMembers.isFirstUserIdentity(name)
                let value: JSONRef
                if exact {
                    if attributesReadIdentity {
                        attributeIdentity = identity
                        attributesReadIdentity = false
                    }
                    identity = IdentityMembers()
                    value = try JSONScanner.scanValue(b, &i, depth: depth) { key, i, depth throws(JSONSyntaxError) in
                        try identity.read(b, key, &i, depth)
                    }
                    if first { attributesReadIdentity = true }
                } else if first {
                    value = try JSONScanner.scanValue(b, &i, depth: depth) { key, i, depth throws(JSONSyntaxError) in
                        try attributeIdentity.read(b, key, &i, depth)
                    }
                } else {
                    value = try JSONScanner.scanValue(b, &i, depth: depth)
                }
                m.visit(b, name, key, value)
                return value
            }
        } catch {
            return .malformed(error)
        }
        do throws(Problem) {
            try appendRow(b, m, identity, attributesReadIdentity ? identity : attributeIdentity, object, into: &rows)
            return .read
        } catch {
            return .problem(error, object)
        }
    }

    /// Appends the row of a record whose members have been collected.
    static func appendRow(_ b: UnsafeRawBufferPointer, _ m: Members, _ identity: IdentityMembers,
                          _ attributeIdentity: IdentityMembers, _ object: JSONRef, into rows: inout EventRows) throws(Problem) {
        let hasAction = withValue(b, m.action) { !$0.isEmpty } ?? false
        let time = try m.validatedTime(b, hasAction: hasAction)
        rows.beginRow(time: time, kind: .cloudTrail)
        // `name` members count as resources only in some services.
        var nameCounts = false
        withValue(b, m.service) { service in
            rows.set(.service, service)
            nameCounts = servicesWhereNameIsAResourceBytes.contains { equals(service, $0) }
        }
        var isConsoleLogin = false
        var isInventory = false
        withValue(b, m.action) { action in
            rows.set(.action, action)
            isConsoleLogin = ByteSearch.equals(action, "ConsoleLogin")
            isInventory = isInventoryCall(action)
        }
        let failed = withValue(b, m.errorCode) { code -> Bool in
            guard !code.isEmpty else { return false }
            rows.setFailure(code: code)
            return true
        } ?? false
        if !failed, isConsoleLogin, let response = m.response, response.kind == .object,
           let result = JSONScanner.member(b, response, "ConsoleLogin") {
            // Failed console sign-ins carry the result in responseElements.
            withValue(b, result) { text in
                guard !ByteSearch.equals(text, "Success") else { return }
                var code = Array("ConsoleLogin".utf8)
                code.append(contentsOf: text)
                code.withUnsafeBytes { rows.setFailure(code: $0) }
            }
        }
        withValue(b, m.sourceIP) { rows.set(.sourceIP, $0) }
        withValue(b, m.userAgent) { rows.set(.userAgent, $0) }
        withValue(b, m.region) { rows.set(.region, $0) }
        withValue(b, m.eventID) { rows.setRecordID($0) }

        var hasAccount = false
        if let ref = m.identity, ref.kind == .object {
            hasAccount = appendIdentity(b, identity, m, isConsoleLogin: isConsoleLogin, into: &rows)
        }
        if !hasAccount { withValue(b, m.recipient) { rows.set(.account, $0) } }

        let found = resourceRefs(b, listed: m.resources, request: m.request, response: m.response,
                                 nameCounts: nameCounts, inventory: isInventory)
        for ref in found { withValue(b, ref) { rows.addResource($0) } }
        captureAttributes(b, m, attributeIdentity, into: &rows)
        rows.endRow(rawInPlace: UnsafeRawBufferPointer(rebasing: b[object.start..<object.end]))
    }

    /// Records the row's ``RecordAttribute``s with the semantics of a rule's field read: the first member whose
    /// name matches without case; absent when a step of the path is missing from an object; left unknown (so
    /// rules read the record) for anything else: nulls, empty strings, containers, arrays on the way.
    /// `identity` holds what the scan found in the first `userIdentity` (by that name without case).
    private static func captureAttributes(_ b: UnsafeRawBufferPointer, _ m: Members, _ identity: IdentityMembers,
                                          into rows: inout EventRows) {
        guard !m.attributeKeysEscaped else { return }
        let top = m.attributeMembers
        record(b, top.eventType, .eventType, &rows)
        record(b, top.eventCategory, .eventCategory, &rows)
        record(b, top.managementEvent, .managementEvent, &rows)
        record(b, top.readOnly, .readOnly, &rows)
        record(b, top.sessionCredentialFromConsole, .sessionCredentialFromConsole, &rows)
        guard let identityRef = top.userIdentity else {
            for attribute in [RecordAttribute.invokedBy, .sessionIssuerType, .mfaAuthenticated] { rows.setAttributeAbsent(attribute) }
            return
        }
        // A value that is not an object cannot tell; nor can an escaped name met before the ones sought.
        let (invokedBy, context): (JSONRef??, JSONRef??) = identityRef.kind == .object ? identity.folded.result : (nil, nil)
        record(b, invokedBy, .invokedBy, &rows)
        guard let context else {
            // Undecided. A `userIdentity` that is not an object has no `sessionContext`: both nested attributes
            // are absent. An escaped name met first might be `sessionContext`: leave them unknown, so rules read
            // the record.
            if identityRef.kind != .object {
                rows.setAttributeAbsent(.sessionIssuerType)
                rows.setAttributeAbsent(.mfaAuthenticated)
            }
            return
        }
        guard let contextRef = context else {
            rows.setAttributeAbsent(.sessionIssuerType)
            rows.setAttributeAbsent(.mfaAuthenticated)
            return
        }
        let members = contextRef.kind == .object ? identity.foldedContext : nil
        let (issuer, attributes): (JSONRef??, JSONRef??) = members?.folded.result ?? (nil, nil)
        func step(_ value: JSONRef??, _ lookup: FoldedLookup?) -> JSONRef?? {
            guard let value else { return nil }                   // cannot tell
            guard value != nil else { return .some(nil) }         // absent on the way
            return lookup?.result.0                               // nil when the step is not an object
        }
        record(b, step(issuer, members?.issuerType), .sessionIssuerType, &rows)
        record(b, step(attributes, members?.attributesMFA), .mfaAuthenticated, &rows)
    }

    private static func record(_ b: UnsafeRawBufferPointer, _ member: JSONRef??, _ attribute: RecordAttribute,
                               _ rows: inout EventRows) {
        guard let member else { return }
        guard let value = member else { rows.setAttributeAbsent(attribute); return }
        record(b, value, attribute, &rows)
    }

    private static func record(_ b: UnsafeRawBufferPointer, _ member: JSONRef?, _ attribute: RecordAttribute,
                               _ rows: inout EventRows) {
        guard let value = member else { rows.setAttributeAbsent(attribute); return }
        switch value.kind {
        case .string, .number, .bool: withValue(b, value) { rows.setAttribute(attribute, $0) }
        default: break
        }
    }

    /// Sets the principal's columns and flags from the members of `userIdentity`; returns whether it named an account.
    private static func appendIdentity(_ b: UnsafeRawBufferPointer, _ identity: IdentityMembers, _ m: Members,
                                       isConsoleLogin: Bool, into rows: inout EventRows) -> Bool {
        let type = identity.type, arn = identity.arn, userName = identity.userName
        let principalID = identity.principalID, invokedBy = identity.invokedBy
        let account = identity.accountID, accessKey = identity.accessKeyID
        var mfa = identity.mfaFlag.flatMap { JSONScanner.bool(b, $0) }
        let identityType = type.map { principalType(b, $0) } ?? .unknown
        let hasAccount = withValue(b, account) { rows.set(.account, $0) } != nil
        withValue(b, accessKey) { rows.set(.accessKey, $0) }

        let namedUser = withValue(b, userName) { name -> Bool in
            rows.set(.user, name)
            return !name.isEmpty
        } ?? false
        if !namedUser {
            switch identityType {
            case .assumedRole, .federatedUser:
                // The session name is the last segment of `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
                withValue(b, arn) { text in
                    if let slash = text.lastIndex(of: UInt8(ascii: "/")) {
                        rows.set(.user, UnsafeRawBufferPointer(rebasing: text[(slash + 1)...]))
                    }
                }
            case .root:
                rows.set(.user, "root")
            case .awsService:
                withValue(b, invokedBy) { rows.set(.user, $0) }
            default:
                break
            }
        }
        let namedARN = withValue(b, arn) { text -> Bool in
            rows.set(.principal, text)
            return !text.isEmpty
        } ?? false
        if !namedARN {
            withValue(b, identityType == .awsService ? invokedBy : principalID) { rows.set(.principal, $0) }
        }

        let console = m.fromConsole || withValue(b, m.eventType, { ByteSearch.equals($0, "AwsConsoleSignIn") }) == true
        if isConsoleLogin, let additional = m.additional, additional.kind == .object,
           let used = JSONScanner.member(b, additional, "MFAUsed") {
            mfa = withValue(b, used) { ByteSearch.equals($0, "Yes") } ?? false
        }
        rows.setPrincipal(type: identityType, mfaAuthenticated: mfa, console: console)
        return hasAccount
    }

    /// `Principal.IdentityType(cloudTrail:)` of a value as ``string(_:_:)`` gives it, without a String when the
    /// value is plain ASCII (an ASCII spelling equals a type's name exactly when its bytes do).
    static func principalType(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Principal.IdentityType {
        if ref.kind == .string, !ref.hasEscapes {
            let text = UnsafeRawBufferPointer(rebasing: b[(ref.start + 1)..<(ref.end - 1)])
            for (name, type) in identityTypeNames where equals(text, name) { return type }
            if text.allSatisfy({ $0 < 0x80 }) { return .unknown }
        }
        return Principal.IdentityType(cloudTrail: string(b, ref) ?? "")
    }

    static let identityTypeNames: [([UInt8], Principal.IdentityType)] = Principal.IdentityType.allCases.map {
        (Array($0.rawValue.utf8), $0)
    }

    static let servicesWhereNameIsAResourceBytes: [[UInt8]] = servicesWhereNameIsAResource.map { Array($0.utf8) }

    /// Calls `body` with a scalar value's bytes as `string(_:_:)` would give them (escapes resolved, numbers and
    /// booleans as written); nil, without calling it, for null, containers and absent values.
    @inline(__always)
    @discardableResult
    static func withValue<R>(_ b: UnsafeRawBufferPointer, _ ref: JSONRef?, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard let ref else { return nil }
        switch ref.kind {
        case .string:
            if !ref.hasEscapes { return body(UnsafeRawBufferPointer(rebasing: b[(ref.start + 1)..<(ref.end - 1)])) }
            return Array(JSONScanner.decodeString(b, ref).utf8).withUnsafeBytes(body)
        case .number, .bool:
            return body(UnsafeRawBufferPointer(rebasing: b[ref.start..<ref.end]))
        default:
            return nil
        }
    }

    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ other: [UInt8]) -> Bool {
        bytes.count == other.count && bytes.elementsEqual(other)
    }

    /// `isInventoryCall(_:)` on bytes.
    static func isInventoryCall(_ action: UnsafeRawBufferPointer) -> Bool {
        for prefix in inventoryPrefixes where action.count >= prefix.count && action.starts(with: prefix) { return true }
        return false
    }

    static let inventoryPrefixes: [[UInt8]] = ["Describe", "List", "Get", "Lookup", "Search", "BatchGet", "Scan", "Query"]
        .map { Array($0.utf8) }
}
