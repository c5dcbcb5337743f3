import VigilCore
import VigilStore

/// The store's fast path: a CloudTrail record normalised straight into ``EventRows``, without an ``Event`` or a
/// `String` per value. It must give the same row as ``CloudTrailRecord/event(_:_:)`` appended to a store does;
/// `CloudTrailRowsTests` holds the two paths to that.
extension CloudTrailRecord {
    /// Validates and normalises the record starting at `i` in one pass, leaving `i` just past it.
    static func scan(_ b: UnsafeRawBufferPointer, _ i: inout Int, into rows: inout EventRows) -> ScanResult {
        var m = Members()
        let object: JSONRef
        do throws(JSONSyntaxError) {
            object = try JSONScanner.scanObject(b, &i) { key, value in
                m.visit(b, key, value)
                return true
            }
        } catch {
            return .malformed(error)
        }
        do throws(Problem) {
            try appendRow(b, m, object, into: &rows)
            return .read
        } catch {
            return .problem(error, object)
        }
    }

    /// Appends the row of a record whose members have been collected.
    static func appendRow(_ b: UnsafeRawBufferPointer, _ m: Members, _ object: JSONRef,
                          into rows: inout EventRows) throws(Problem) {
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
        if let identity = m.identity, identity.kind == .object {
            hasAccount = appendIdentity(b, identity, m, isConsoleLogin: isConsoleLogin, into: &rows)
        }
        if !hasAccount { withValue(b, m.recipient) { rows.set(.account, $0) } }

        let found = resourceRefs(b, listed: m.resources, request: m.request, response: m.response,
                                 nameCounts: nameCounts, inventory: isInventory)
        for ref in found { withValue(b, ref) { rows.addResource($0) } }
        captureAttributes(b, m, into: &rows)
        rows.endRow(raw: UnsafeRawBufferPointer(rebasing: b[object.start..<object.end]))
    }

    /// Records the row's ``RecordAttribute``s with the semantics of a rule's field read: the first member whose
    /// name matches without case; absent when a step of the path is missing from an object; left unknown (so
    /// rules read the record) for anything else: nulls, empty strings, containers, arrays on the way.
    private static func captureAttributes(_ b: UnsafeRawBufferPointer, _ m: Members, into rows: inout EventRows) {
        guard !m.attributeKeysEscaped else { return }
        let topLevel: [RecordAttribute] = [.eventType, .eventCategory, .managementEvent, .readOnly, .sessionCredentialFromConsole]
        for (n, attribute) in topLevel.enumerated() {
            record(b, m.attributeMembers[n], attribute, &rows)
        }
        guard let identity = m.attributeMembers[5] else {
            for attribute in [RecordAttribute.invokedBy, .sessionIssuerType, .mfaAuthenticated] { rows.setAttributeAbsent(attribute) }
            return
        }
        // One walk per object on the way, each finding every member needed from it.
        let (invokedBy, context) = members(b, identity, "invokedby", "sessioncontext")
        record(b, invokedBy, .invokedBy, &rows)
        guard let context else {
            record(b, nil, .sessionIssuerType, &rows)
            record(b, nil, .mfaAuthenticated, &rows)
            return
        }
        guard let context else {
            for attribute in [RecordAttribute.sessionIssuerType, .mfaAuthenticated] { rows.setAttributeAbsent(attribute) }
            return
        }
        let (issuer, attributes) = members(b, context, "sessionissuer", "attributes")
        func step(_ value: JSONRef??, _ name: StaticString) -> JSONRef?? {
            guard let value else { return nil }                   // cannot tell
            guard let object = value else { return .some(nil) }   // absent on the way
            return members(b, object, name, nil).0
        }
        record(b, step(issuer, "type"), .sessionIssuerType, &rows)
        record(b, step(attributes, "mfaauthenticated"), .mfaAuthenticated, &rows)
    }

    /// The first members named `first` and `second` (compared without case) of `object`: `.some(nil)` for a
    /// name the object lacks, nil when `object` is not an object (or has an escaped name) and so cannot tell.
    private static func members(_ b: UnsafeRawBufferPointer, _ object: JSONRef, _ first: StaticString,
                                _ second: StaticString?) -> (JSONRef??, JSONRef??) {
        guard object.kind == .object else { return (nil, nil) }
        var a: JSONRef?, c: JSONRef?
        var unsure = false
        JSONScanner.forEachMember(b, object) { key, value in
            if key.hasEscapes { unsure = true; return false }
            if a == nil, foldedEquals(b, key, first) { a = value }
            else if let second, c == nil, foldedEquals(b, key, second) { c = value }
            return a == nil || (second != nil && c == nil)
        }
        if unsure { return (nil, nil) }
        return (.some(a), .some(c))
    }

    @inline(__always)
    private static func foldedEquals(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ lowered: StaticString) -> Bool {
        let len = key.count - 2
        guard len == lowered.utf8CodeUnitCount else { return false }
        let p = lowered.utf8Start
        for j in 0..<len where b[key.start + 1 + j] | (b[key.start + 1 + j] &- 65 < 26 ? 0x20 : 0) != p[j] { return false }
        return true
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

    /// Sets the principal's columns and flags; returns whether the identity named an account.
    private static func appendIdentity(_ b: UnsafeRawBufferPointer, _ identity: JSONRef, _ m: Members,
                                       isConsoleLogin: Bool, into rows: inout EventRows) -> Bool {
        var type: JSONRef?, arn: JSONRef?, userName: JSONRef?, principalID: JSONRef?, invokedBy: JSONRef?
        var account: JSONRef?, accessKey: JSONRef?
        var mfa: Bool?
        JSONScanner.forEachMember(b, identity) { key, value in
            if Self.is(b, key, "type") { type = value }
            else if Self.is(b, key, "arn") { arn = value }
            else if Self.is(b, key, "accountId") { account = value }
            else if Self.is(b, key, "accessKeyId") { accessKey = value }
            else if Self.is(b, key, "userName") { userName = value }
            else if Self.is(b, key, "principalId") { principalID = value }
            else if Self.is(b, key, "invokedBy") { invokedBy = value }
            else if Self.is(b, key, "sessionContext"), value.kind == .object {
                JSONScanner.forEachMember(b, value) { k2, v2 in
                    if Self.is(b, k2, "attributes"), v2.kind == .object,
                       let flag = JSONScanner.member(b, v2, "mfaAuthenticated") {
                        mfa = JSONScanner.bool(b, flag)
                    }
                    return true
                }
            }
            return true
        }
        let identityType = Principal.IdentityType(cloudTrail: type.map { string(b, $0) ?? "" } ?? "")
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
