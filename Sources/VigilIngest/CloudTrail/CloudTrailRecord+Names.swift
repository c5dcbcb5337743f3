import VigilCore

/// Comparing member names with the names a reader looks for: a record has some thirty, each compared with
/// several, so the bytes are compared eight at a time.
extension CloudTrailRecord {
    /// Whether an unescaped member name is exactly `name`.
    @inline(__always)
    static func `is`(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ name: StaticString) -> Bool {
        let len = key.count - 2
        guard len == name.utf8CodeUnitCount, !key.hasEscapes, let base = b.baseAddress else { return false }
        return NameBytes.equal(base + key.start + 1, UnsafeRawPointer(name.utf8Start), len, folding: false)
    }

    /// Whether a member name equals `lowered` when ASCII letters are compared without case (escapes are not
    /// resolved: the bytes as written).
    @inline(__always)
    static func foldedEquals(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ lowered: StaticString) -> Bool {
        let len = key.count - 2
        guard len == lowered.utf8CodeUnitCount, let base = b.baseAddress else { return false }
        return NameBytes.equal(base + key.start + 1, UnsafeRawPointer(lowered.utf8Start), len, folding: true)
    }
}

/// Word-at-a-time equality of short byte strings.
enum NameBytes {
    /// Whether the `n` bytes at `a` equal those at `b`; with `folding`, ASCII capitals of `a` count as their
    /// lower-case letters (`b` must be lower case). Reads only inside both ranges.
    @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int, folding: Bool) -> Bool {
        @inline(__always) func word(_ p: UnsafeRawPointer, _ at: Int, _ fold: Bool) -> UInt64 {
            let w = p.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            return fold ? lowered(w) : w
        }
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if word(a, i, folding) != word(b, i, false) { return false }
                i += 8
            }
            // The last eight bytes, overlapping the previous word when `n` is not a multiple of eight.
            return word(a, n - 8, folding) == word(b, n - 8, false)
        }
        var i = 0
        while i < n {
            var c = a.load(fromByteOffset: i, as: UInt8.self)
            if folding, c &- 65 < 26 { c |= 0x20 }
            if c != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// `w` with each ASCII capital letter byte made lower case, other bytes (non-ASCII ones included) unchanged.
    @inline(__always)
    static func lowered(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let seven = w & ~high
        // Per byte, without carries between bytes: the high bit says `seven >= 'A'`, then `seven > 'Z'`.
        let atLeastA = seven &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = seven &+ 0x2525_2525_2525_2525
        let capital = atLeastA & ~pastZ & ~w & high
        return w | (capital >> 2)
    }
}

/// What a top-level member name of a record is to the readers, worked out once per member: the member the
/// exact name fills, and the record attribute the name feeds when compared without case.
///
/// A record has some twenty-five members. Comparing each name with every name of its length, once for the
/// columns and again without case for the attributes, was a tenth of a record's reading; a canonical name
/// settles both at once, and only a name that is not one of them is compared again without case.
struct TopMemberName {
    /// The members normalisation reads, by their exact names.
    enum Member: UInt8 {
        case none, eventID, eventTime, eventName, errorCode, eventType, userAgent, awsRegion, resources
        case logstashTimestamp, eventSource, errorMessage, userIdentity, sourceIPAddress, responseElements
        case requestParameters, recipientAccountId, additionalEventData, sessionCredentialFromConsole
    }

    /// The members record attributes read, by their names compared without case (``RecordAttribute``).
    enum Attribute: UInt8 {
        case none, readOnly, eventType, userIdentity, eventCategory, managementEvent, sessionCredentialFromConsole
    }

    var member: Member
    var attribute: Attribute

    /// Classifies the name of `key`. Exact names have no escapes; names compared without case are compared as
    /// written (escapes unresolved), as ``CloudTrailRecord/foldedEquals(_:_:_:)`` does.
    @inline(__always)
    static func of(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> TopMemberName {
        let member = key.hasEscapes ? .none : exactMember(b, key)
        let attribute: Attribute
        switch member {
        case .eventType: attribute = .eventType
        case .userIdentity: attribute = .userIdentity
        case .sessionCredentialFromConsole: attribute = .sessionCredentialFromConsole
        case .none: attribute = foldedAttribute(b, key)
        // Another canonical name is never one of the attribute names in another case.
        default: attribute = .none
        }
        return TopMemberName(member: member, attribute: attribute)
    }

    /// The member an unescaped name is exactly; a jump on the length, then on the first byte where names
    /// share a length. (A ``NameTable`` lookup gives the same answer, but costs two and a half times the
    /// instructions here: 1,650 a record against 640, measured with callgrind; this runs for every member.)
    @inline(__always)
    private static func exactMember(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> Member {
        let len = key.count - 2
        guard len >= 7, len <= 28, let base = b.baseAddress else { return .none }
        let p = base + key.start + 1
        @inline(__always) func named(_ name: StaticString) -> Bool {
            len == name.utf8CodeUnitCount && NameBytes.equal(p, UnsafeRawPointer(name.utf8Start), len, folding: false)
        }
        switch len {
        case 7: return named("eventID") ? .eventID : .none
        case 9:
            switch p.load(as: UInt8.self) {
            case UInt8(ascii: "e"):
                if named("eventTime") { return .eventTime }
                if named("eventName") { return .eventName }
                if named("errorCode") { return .errorCode }
                if named("eventType") { return .eventType }
                return .none
            case UInt8(ascii: "u"): return named("userAgent") ? .userAgent : .none
            case UInt8(ascii: "a"): return named("awsRegion") ? .awsRegion : .none
            case UInt8(ascii: "r"): return named("resources") ? .resources : .none
            default: return .none
            }
        case 10: return named("@timestamp") ? .logstashTimestamp : .none
        case 11: return named("eventSource") ? .eventSource : .none
        case 12:
            if named("userIdentity") { return .userIdentity }
            return named("errorMessage") ? .errorMessage : .none
        case 15: return named("sourceIPAddress") ? .sourceIPAddress : .none
        case 16: return named("responseElements") ? .responseElements : .none
        case 17: return named("requestParameters") ? .requestParameters : .none
        case 18: return named("recipientAccountId") ? .recipientAccountId : .none
        case 19: return named("additionalEventData") ? .additionalEventData : .none
        case 28: return named("sessionCredentialFromConsole") ? .sessionCredentialFromConsole : .none
        default: return .none
        }
    }

    /// The attribute a name that is none of the exact names feeds, compared without case: one candidate per length.
    @inline(__always)
    private static func foldedAttribute(_ b: UnsafeRawBufferPointer, _ key: JSONRef) -> Attribute {
        switch key.count - 2 {
        case 8: return CloudTrailRecord.foldedEquals(b, key, "readonly") ? .readOnly : .none
        case 9: return CloudTrailRecord.foldedEquals(b, key, "eventtype") ? .eventType : .none
        case 12: return CloudTrailRecord.foldedEquals(b, key, "useridentity") ? .userIdentity : .none
        case 13: return CloudTrailRecord.foldedEquals(b, key, "eventcategory") ? .eventCategory : .none
        case 15: return CloudTrailRecord.foldedEquals(b, key, "managementevent") ? .managementEvent : .none
        case 28: return CloudTrailRecord.foldedEquals(b, key, "sessioncredentialfromconsole") ? .sessionCredentialFromConsole : .none
        default: return .none
        }
    }
}

/// A fixed list of names, found by the bytes of a member name without making a String: per length, each name's
/// first eight bytes as one word (the whole name, zero-padded, when shorter) are compared before the rest.
struct NameTable: Sendable {
    private static let longest = 63
    /// Per entry, sorted by length: the first word, where the name's bytes start, and its place in the list given.
    private let firstWords: [UInt64]
    private let offsets: [Int]
    private let places: [Int]
    private let bytes: [UInt8]
    /// Per length, the range of the entries of that length.
    private let ranges: [Range<Int>]

    /// A table of `names` (non-empty, at most 63 bytes each: longer ones are never found).
    init(_ names: [String]) {
        let entries = names.enumerated().map { (place: $0.offset, bytes: Array($0.element.utf8)) }
            .filter { !$0.bytes.isEmpty && $0.bytes.count <= Self.longest }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count < $1.bytes.count : $0.place < $1.place }
        var firstWords: [UInt64] = [], offsets: [Int] = [], places: [Int] = [], bytes: [UInt8] = []
        var ranges = [Range<Int>](repeating: 0..<0, count: Self.longest + 1)
        for entry in entries {
            let length = entry.bytes.count
            if ranges[length].isEmpty { ranges[length] = firstWords.count..<firstWords.count }
            firstWords.append(entry.bytes.withUnsafeBytes { Self.firstWord($0.baseAddress!, length) })
            offsets.append(bytes.count)
            places.append(entry.place)
            bytes.append(contentsOf: entry.bytes)
            ranges[length] = ranges[length].lowerBound..<firstWords.count
        }
        self.firstWords = firstWords
        self.offsets = offsets
        self.places = places
        self.bytes = bytes
        self.ranges = ranges
    }

    /// The place in the list of the name the `count` bytes at `p` spell exactly, if any.
    @inline(__always)
    func index(_ p: UnsafeRawPointer, _ count: Int) -> Int? {
        guard count > 0, count <= Self.longest else { return nil }
        let range = ranges[count]
        guard !range.isEmpty else { return nil }
        let first = Self.firstWord(p, count)
        return firstWords.withUnsafeBufferPointer { words -> Int? in
            for k in range where words[k] == first {
                if count <= 8 { return places[k] }
                if bytes.withUnsafeBytes({ NameBytes.equal(p, $0.baseAddress! + offsets[k], count, folding: false) }) {
                    return places[k]
                }
            }
            return nil
        }
    }

    /// The place of a member name as written (escapes unresolved: the caller decides what escaped names are).
    @inline(__always)
    func index(of b: UnsafeRawBufferPointer, _ key: JSONRef) -> Int? {
        guard key.count > 2, let base = b.baseAddress else { return nil }
        return index(base + key.start + 1, key.count - 2)
    }

    @inline(__always)
    private static func firstWord(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 8 { return p.loadUnaligned(as: UInt64.self) }
        var word: UInt64 = 0
        for k in 0..<count { word |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) << UInt64(k * 8) }
        return word
    }
}
