import VigilCore

/// What the bulk path needs from a record's `userIdentity`, collected while the record is validated, so the
/// identity is not walked again (once for the principal's columns, once or more for the record attributes).
extension CloudTrailRecord {
    /// The first members of an object named `first` and `second` (either may be absent), names compared without
    /// case as a rule's field read compares them. Mirrors a walk that stops once both are found, and that cannot
    /// tell (an escaped name might be one of them) when it meets an escaped name before that.
    ///
    /// Fed member by member: ``claim(_:_:_:_:)`` before the value is scanned, ``found(_:_:)`` once it has been.
    struct FoldedLookup {
        var firstValue: JSONRef?
        var secondValue: JSONRef?
        private(set) var unsure = false
        private var done = false

        /// Which name (1 or 2) `key` is the first match of; 0 for neither or once the walk would have stopped.
        /// Every call for one object must pass the same names (a lookup of one name passes nil for `second`).
        @inline(__always)
        mutating func claim(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ first: StaticString,
                            _ second: StaticString?) -> Int {
            // A name equals at most one of the two without case; no need to compare once the walk is over.
            var match = 0
            if !done, !key.hasEscapes {
                if CloudTrailRecord.foldedEquals(b, key, first) { match = 1 }
                else if let second, CloudTrailRecord.foldedEquals(b, key, second) { match = 2 }
            }
            return claim(key, matching: match, hasSecond: second != nil)
        }

        /// ``claim(_:_:_:_:)`` for a name already compared: `match` is 1 or 2 when the name equals the first or the
        /// second name without case, 0 otherwise (`hasSecond`: whether the lookup has a second name).
        @inline(__always)
        mutating func claim(_ key: JSONRef, matching match: Int, hasSecond: Bool) -> Int {
            guard !done else { return 0 }
            if key.hasEscapes {
                unsure = true
                done = true
                return 0
            }
            if match == 1, firstValue == nil {
                done = !hasSecond || secondValue != nil
                return 1
            }
            if match == 2, secondValue == nil {
                done = firstValue != nil
                return 2
            }
            return 0
        }

        /// Records the value of a member `claim` matched.
        @inline(__always)
        mutating func found(_ slot: Int, _ value: JSONRef) {
            if slot == 1 { firstValue = value } else { secondValue = value }
        }

        /// `.some(nil)` for a name the object lacks; nil for both when the walk could not tell.
        var result: (JSONRef??, JSONRef??) { unsure ? (nil, nil) : (.some(firstValue), .some(secondValue)) }
    }

    /// The members of one `userIdentity` object.
    struct IdentityMembers {
        // The principal's columns read the exact names, the last of each winning.
        var type: JSONRef?
        var arn: JSONRef?
        var accountID: JSONRef?
        var accessKeyID: JSONRef?
        var userName: JSONRef?
        var principalID: JSONRef?
        var invokedBy: JSONRef?
        /// The last `mfaAuthenticated` of any `attributes` object of any `sessionContext` object.
        var mfaFlag: JSONRef?
        /// The record attributes' view: `invokedBy` and `sessionContext` without case, and what that context holds
        /// (nil when it is not an object).
        var folded = FoldedLookup()
        var foldedContext: ContextMembers?

        /// Scans the value of member `key` (see ``JSONScanner/scanObject(_:_:depth:reading:)``), noting it.
        mutating func read(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ i: inout Int,
                           _ depth: Int) throws(JSONSyntaxError) -> JSONRef {
            let name = IdentityMemberName.of(b, key)
            let slot = folded.claim(key, matching: name.folded, hasSecond: true)
            let exactContext = name.member == .sessionContext
            guard slot == 2 || exactContext else {
                let value = try JSONScanner.scanValue(b, &i, depth: depth)
                if slot == 1 { folded.found(slot, value) }
                note(name.member, value)
                return value
            }
            var context = ContextMembers()
            let value = try JSONScanner.scanValue(b, &i, depth: depth) { key, i, depth throws(JSONSyntaxError) in
                try context.read(b, key, &i, depth)
            }
            let isObject = value.kind == .object
            if exactContext, isObject, let flag = context.mfaFlag { mfaFlag = flag }
            if slot == 2 {
                folded.found(slot, value)
                foldedContext = isObject ? context : nil
            }
            return value
        }

        @inline(__always)
        private mutating func note(_ member: IdentityMemberName.Member, _ value: JSONRef) {
            switch member {
            case .none, .sessionContext: break
            case .type: type = value
            case .arn: arn = value
            case .accountId: accountID = value
            case .accessKeyId: accessKeyID = value
            case .userName: userName = value
            case .principalId: principalID = value
            case .invokedBy: invokedBy = value
            }
        }
    }

    /// What a member name of `userIdentity` is to the readers, worked out once per member: the member the exact
    /// name fills, and which of `invokedBy` (1) and `sessionContext` (2) it is without case, for the record
    /// attributes (0: neither).
    struct IdentityMemberName {
        enum Member: UInt8 { case none, type, arn, accountId, accessKeyId, userName, principalId, invokedBy, sessionContext }

        var member: Member
        var folded: Int

        @inline(__always)
        static func of(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> IdentityMemberName {
            // An escaped name is none of them exactly, and the attribute lookup stops at it whatever it is.
            guard !key.hasEscapes else { return IdentityMemberName(member: .none, folded: 0) }
            let member = exactMember(b, key)
            switch member {
            case .invokedBy: return IdentityMemberName(member: member, folded: 1)
            case .sessionContext: return IdentityMemberName(member: member, folded: 2)
            case .none:
                if CloudTrailRecord.foldedEquals(b, key, "invokedby") { return IdentityMemberName(member: member, folded: 1) }
                if CloudTrailRecord.foldedEquals(b, key, "sessioncontext") { return IdentityMemberName(member: member, folded: 2) }
                return IdentityMemberName(member: member, folded: 0)
            // The other exact names are neither name in another case.
            default: return IdentityMemberName(member: member, folded: 0)
            }
        }

        @inline(__always)
        private static func exactMember(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> Member {
            switch key.count - 2 {
            case 3: return CloudTrailRecord.is(b, key, "arn") ? .arn : .none
            case 4: return CloudTrailRecord.is(b, key, "type") ? .type : .none
            case 8: return CloudTrailRecord.is(b, key, "userName") ? .userName : .none
            case 9:
                if CloudTrailRecord.is(b, key, "accountId") { return .accountId }
                return CloudTrailRecord.is(b, key, "invokedBy") ? .invokedBy : .none
            case 11:
                if CloudTrailRecord.is(b, key, "accessKeyId") { return .accessKeyId }
                return CloudTrailRecord.is(b, key, "principalId") ? .principalId : .none
            case 14: return CloudTrailRecord.is(b, key, "sessionContext") ? .sessionContext : .none
            default: return .none
            }
        }
    }

    /// The members of one `userIdentity.sessionContext` object.
    struct ContextMembers {
        /// The last `mfaAuthenticated` found, each `attributes` object giving its first.
        var mfaFlag: JSONRef?
        var folded = FoldedLookup()
        /// The session issuer's `type` and the attributes' `mfaAuthenticated`, without case; nil when the member
        /// on the way was not an object.
        var issuerType: FoldedLookup?
        var attributesMFA: FoldedLookup?

        mutating func read(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ i: inout Int,
                           _ depth: Int) throws(JSONSyntaxError) -> JSONRef {
            let slot = folded.claim(b, key, "sessionissuer", "attributes")
            let exactAttributes = CloudTrailRecord.is(b, key, "attributes")
            if slot == 2 || exactAttributes {
                // `JSONScanner.member` semantics for the flag (escaped names decoded); rule semantics for the attribute.
                var flag: JSONRef?
                var lookup = FoldedLookup()
                let value = try JSONScanner.scanValue(b, &i, depth: depth) { key, i, depth throws(JSONSyntaxError) in
                    let claimed = lookup.claim(b, key, "mfaauthenticated", nil)
                    let value = try JSONScanner.scanValue(b, &i, depth: depth)
                    if claimed != 0 { lookup.found(claimed, value) }
                    if flag == nil, JSONScanner.keyEquals(b, key, CloudTrailRecord.mfaAuthenticatedName) { flag = value }
                    return value
                }
                let isObject = value.kind == .object
                if exactAttributes, isObject, let flag { mfaFlag = flag }
                if slot == 2 {
                    folded.found(slot, value)
                    attributesMFA = isObject ? lookup : nil
                }
                return value
            }
            if slot == 1 {
                var lookup = FoldedLookup()
                let value = try JSONScanner.scanValue(b, &i, depth: depth) { key, i, depth throws(JSONSyntaxError) in
                    let claimed = lookup.claim(b, key, "type", nil)
                    let value = try JSONScanner.scanValue(b, &i, depth: depth)
                    if claimed != 0 { lookup.found(claimed, value) }
                    return value
                }
                folded.found(slot, value)
                issuerType = value.kind == .object ? lookup : nil
                return value
            }
            return try JSONScanner.scanValue(b, &i, depth: depth)
        }
    }

    static var mfaAuthenticatedName: UnsafeRawBufferPointer {
        let name: StaticString = "mfaAuthenticated"
        return UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
    }
}
