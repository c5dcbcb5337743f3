/// A malformed-JSON report: what was wrong and at which byte offset of the scanned buffer.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// A reference to one JSON value inside a byte buffer: its kind and byte range (strings include their quotes).
public struct JSONRef: Sendable, Equatable {
    public enum Kind: UInt8, Sendable { case object, array, string, number, bool, null }
    public var kind: Kind
    public var start: Int
    public var end: Int
    /// For strings: whether a backslash escape occurs, so decoding needs the slow path.
    public var hasEscapes: Bool

    public init(kind: Kind, start: Int, end: Int, hasEscapes: Bool = false) {
        self.kind = kind
        self.start = start
        self.end = end
        self.hasEscapes = hasEscapes
    }

    public var count: Int { end - start }
}

/// Validating, allocation-free JSON scanning over raw bytes.
///
/// The scanner never builds a tree: it finds value boundaries so that readers can pick the members they need
/// and skip the rest, and so the raw record can be kept and queried later by path.
public enum JSONScanner {
    /// Nesting deeper than this is rejected, so hostile input cannot exhaust the stack.
    public static var maximumDepth: Int { 256 }

    @inlinable @inline(__always)
    public static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    @inlinable @inline(__always)
    public static func skipWhitespace(_ b: UnsafeRawBufferPointer, _ i: inout Int) {
        while i < b.count, isWhitespace(b[i]) { i += 1 }
    }

    /// Skips whitespace unless the byte at `i` is `expected` (compact JSON, the usual case, has none): one
    /// comparison instead of four where the scanner knows what should come next.
    @inlinable @inline(__always)
    public static func skipWhitespace(_ b: UnsafeRawBufferPointer, _ i: inout Int, expecting expected: UInt8) {
        if i < b.count, b[i] == expected { return }
        skipWhitespace(b, &i)
    }

    /// Scans the value starting at `i` (leading whitespace allowed) and leaves `i` just past it.
    public static func scanValue(_ b: UnsafeRawBufferPointer, _ i: inout Int, depth: Int = 0) throws(JSONSyntaxError) -> JSONRef {
        skipWhitespace(b, &i)
        guard i < b.count else { throw JSONSyntaxError("unexpected end of input, expected a value", at: i) }
        let start = i
        switch b[i] {
        case UInt8(ascii: "{"):
            guard depth < maximumDepth else { throw JSONSyntaxError("nesting deeper than \(maximumDepth)", at: i) }
            return try scanObject(b, &i, depth: depth) { _, _ in true }
        case UInt8(ascii: "["):
            guard depth < maximumDepth else { throw JSONSyntaxError("nesting deeper than \(maximumDepth)", at: i) }
            i += 1
            skipWhitespace(b, &i)
            if i < b.count, b[i] == UInt8(ascii: "]") {
                i += 1
                return JSONRef(kind: .array, start: start, end: i)
            }
            while true {
                _ = try scanValue(b, &i, depth: depth + 1)
                skipWhitespace(b, &i)
                guard i < b.count else { throw JSONSyntaxError("unexpected end of input inside an array", at: i) }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return JSONRef(kind: .array, start: start, end: i) }
                throw unexpected(b, i, "',' or ']'")
            }
        case UInt8(ascii: "\""):
            return try scanString(b, &i)
        case UInt8(ascii: "t"):
            try literal(b, &i, "true")
            return JSONRef(kind: .bool, start: start, end: i)
        case UInt8(ascii: "f"):
            try literal(b, &i, "false")
            return JSONRef(kind: .bool, start: start, end: i)
        case UInt8(ascii: "n"):
            try literal(b, &i, "null")
            return JSONRef(kind: .null, start: start, end: i)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if b[i] == UInt8(ascii: "-") { i += 1 }
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1; digits += 1 }
            guard digits > 0 else { throw unexpected(b, i, "a digit") }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var frac = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1; frac += 1 }
                guard frac > 0 else { throw unexpected(b, i, "a digit after '.'") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                var exp = 0
                while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1; exp += 1 }
                guard exp > 0 else { throw unexpected(b, i, "an exponent") }
            }
            return JSONRef(kind: .number, start: start, end: i)
        default:
            throw unexpected(b, i, "a value")
        }
    }

    /// Scans (and validates) the object starting at `i`, calling `body` with each top-level member as it is
    /// reached, so a record can be read in the same pass that checks it. `body` returning false does not stop
    /// the scan (the object must still be validated to its end). Leaves `i` just past the object.
    public static func scanObject(_ b: UnsafeRawBufferPointer, _ i: inout Int, depth: Int = 0,
                                  _ body: (_ key: JSONRef, _ value: JSONRef) -> Bool) throws(JSONSyntaxError) -> JSONRef {
        try scanObject(b, &i, depth: depth) { (key, i: inout Int, depth) throws(JSONSyntaxError) -> JSONRef in
            let value = try scanValue(b, &i, depth: depth)
            _ = body(key, value)
            return value
        }
    }

    /// Scans a string starting at its opening quote.
    @inlinable @inline(__always)
    public static func scanString(_ b: UnsafeRawBufferPointer, _ i: inout Int) throws(JSONSyntaxError) -> JSONRef {
        let start = i
        i += 1
        var escapes = false
        let n = b.count
        // Sixteen bytes at a time until a quote or a backslash shows up: most of a log record is string content.
        if let base = b.baseAddress {
            let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\"")), backslash = SIMD16<UInt8>(repeating: UInt8(ascii: "\\"))
            while i + 16 <= n {
                let chunk = (base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let hits = (chunk .== quote) .| (chunk .== backslash)
                if hits == SIMDMask(repeating: false) { i += 16; continue }
                // The first hit's lane, from the lanes as two words (a hit lane is 0xFF) rather than lane by lane.
                let lanes = unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: 0xFF, where: hits), to: SIMD2<UInt64>.self)
                i += lanes[0] != 0 ? lanes[0].littleEndian.trailingZeroBitCount >> 3
                                   : 8 + lanes[1].littleEndian.trailingZeroBitCount >> 3
                if b[i] == UInt8(ascii: "\"") {
                    i += 1
                    return JSONRef(kind: .string, start: start, end: i, hasEscapes: escapes)
                }
                escapes = true
                i += 2
            }
        }
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return JSONRef(kind: .string, start: start, end: i, hasEscapes: escapes)
            }
            if c == UInt8(ascii: "\\") {
                escapes = true
                i += 2
                continue
            }
            i += 1
        }
        throw JSONSyntaxError("unterminated string", at: start)
    }

    @inline(__always)
    static func literal(_ b: UnsafeRawBufferPointer, _ i: inout Int, _ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard i + count <= b.count else { throw JSONSyntaxError("unexpected end of input in '\(word)'", at: i) }
        // Every literal has four or five bytes: its first four as one word, then a fifth byte if any.
        let p = UnsafeRawPointer(word.utf8Start)
        let base = b.baseAddress!
        guard base.loadUnaligned(fromByteOffset: i, as: UInt32.self) == p.loadUnaligned(as: UInt32.self),
              count == 4 || base.load(fromByteOffset: i + 4, as: UInt8.self) == p.load(fromByteOffset: 4, as: UInt8.self) else {
            throw JSONSyntaxError("invalid literal, expected '\(word)'", at: i)
        }
        i += count
    }

    @usableFromInline
    static func unexpected(_ b: UnsafeRawBufferPointer, _ i: Int, _ expected: String) -> JSONSyntaxError {
        guard i < b.count else { return JSONSyntaxError("unexpected end of input, expected \(expected)", at: i) }
        let c = b[i]
        let shown = c >= 0x20 && c < 0x7f ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16)
        return JSONSyntaxError("unexpected \(shown), expected \(expected)", at: i)
    }

    // MARK: - Walking containers

    /// Calls `body` with each member's key and value; stop early by returning false.
    /// The object must already be known to be well formed (it came from `scanValue`): values are only skipped,
    /// not validated again.
    @inline(__always)
    public static func forEachMember(_ b: UnsafeRawBufferPointer, _ object: JSONRef,
                                     _ body: (_ key: JSONRef, _ value: JSONRef) -> Bool) {
        guard object.kind == .object else { return }
        var i = object.start + 1
        while true {
            skipWhitespace(b, &i)
            guard i < object.end, b[i] == UInt8(ascii: "\"") else { return }
            guard let key = try? scanString(b, &i) else { return }
            skipWhitespace(b, &i)
            i += 1  // ':'
            guard let value = skipValue(b, &i) else { return }
            if !body(key, value) { return }
            skipWhitespace(b, &i)
            guard i < object.end, b[i] == UInt8(ascii: ",") else { return }
            i += 1
        }
    }

    /// Calls `body` with each element of an array; stop early by returning false.
    @inline(__always)
    public static func forEachElement(_ b: UnsafeRawBufferPointer, _ array: JSONRef, _ body: (JSONRef) -> Bool) {
        guard array.kind == .array else { return }
        var i = array.start + 1
        skipWhitespace(b, &i)
        if i < array.end, b[i] == UInt8(ascii: "]") { return }
        while i < array.end {
            guard let value = skipValue(b, &i) else { return }
            if !body(value) { return }
            skipWhitespace(b, &i)
            guard i < array.end, b[i] == UInt8(ascii: ",") else { return }
            i += 1
        }
    }

    /// Finds the end of the value at `i` without validating it, for data already known to be well formed (twice
    /// as fast as `scanValue`: only quotes and brackets are looked at). Bounds-safe on any input: malformed or
    /// truncated data gives nil or a value with the wrong extent, never a crash.
    public static func skipValue(_ b: UnsafeRawBufferPointer, _ i: inout Int) -> JSONRef? {
        skipWhitespace(b, &i)
        let n = b.count
        guard i < n else { return nil }
        let start = i
        let opener = b[i]
        switch opener {
        case UInt8(ascii: "\""):
            return try? scanString(b, &i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    guard (try? scanString(b, &i)) != nil else { return nil }
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        return JSONRef(kind: opener == UInt8(ascii: "{") ? .object : .array, start: start, end: i)
                    }
                }
                i += 1
            }
            return nil
        default:
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || isWhitespace(c) { break }
                i += 1
            }
            guard i > start else { return nil }
            let kind: JSONRef.Kind
            switch opener {
            case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = .bool
            case UInt8(ascii: "n"): kind = .null
            default: kind = .number
            }
            return JSONRef(kind: kind, start: start, end: i)
        }
    }

    /// The value of the member named `name`, if the object has one.
    public static func member(_ b: UnsafeRawBufferPointer, _ object: JSONRef, _ name: String) -> JSONRef? {
        var found: JSONRef?
        var key = name
        key.withUTF8 { k in
            let kb = UnsafeRawBufferPointer(k)
            forEachMember(b, object) { keyRef, value in
                if keyEquals(b, keyRef, kb) { found = value; return false }
                return true
            }
        }
        return found
    }

    /// True when the (unescaped) key equals `name`. Keys with escapes are decoded first.
    @inline(__always)
    public static func keyEquals(_ b: UnsafeRawBufferPointer, _ key: JSONRef, _ name: UnsafeRawBufferPointer) -> Bool {
        if key.hasEscapes { return Array(decodeString(b, key).utf8).elementsEqual(name) }
        let len = key.count - 2
        guard len == name.count else { return false }
        for k in 0..<len where b[key.start + 1 + k] != name[k] { return false }
        return true
    }

    /// The element at `index` of an array.
    public static func element(_ b: UnsafeRawBufferPointer, _ array: JSONRef, _ index: Int) -> JSONRef? {
        var found: JSONRef?
        var k = 0
        forEachElement(b, array) { value in
            if k == index { found = value; return false }
            k += 1
            return true
        }
        return found
    }

    // MARK: - Decoding scalars

    /// Decodes a string value (without quotes), resolving escapes and surrogate pairs; invalid UTF-8 and lone surrogates become U+FFFD.
    public static func decodeString(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> String {
        guard ref.kind == .string, ref.count >= 2 else { return "" }
        let inner = UnsafeRawBufferPointer(rebasing: b[(ref.start + 1)..<(ref.end - 1)])
        if !ref.hasEscapes { return String(decoding: inner, as: UTF8.self) }
        return String(decoding: unescape(inner), as: UTF8.self)
    }

    /// Resolves JSON escapes in the bytes between a string's quotes.
    public static func unescape(_ inner: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(inner.count)
        var i = 0
        let n = inner.count
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let c = inner[at + k]
                let d: UInt32
                switch c {
                case 48...57: d = UInt32(c - 48)
                case 97...102: d = UInt32(c - 87)
                case 65...70: d = UInt32(c - 55)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        func append(scalar: UInt32) {
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(s).utf8))
        }
        while i < n {
            let c = inner[i]
            guard c == UInt8(ascii: "\\"), i + 1 < n else { out.append(c); i += 1; continue }
            let e = inner[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard let u = hex4(i) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); continue }
                i += 4
                if u >= 0xD800 && u < 0xDC00, i + 6 <= n, inner[i] == UInt8(ascii: "\\"), inner[i + 1] == UInt8(ascii: "u"),
                   let lo = hex4(i + 2), lo >= 0xDC00 && lo < 0xE000 {
                    i += 6
                    append(scalar: 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                } else {
                    append(scalar: u)
                }
            default: out.append(e)  // \" \\ \/ and anything lenient
            }
        }
        return out
    }

    /// The value as a string whatever its kind: strings decoded, other scalars as written, containers as raw JSON.
    public static func text(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> String {
        if ref.kind == .string { return decodeString(b, ref) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[ref.start..<ref.end]), as: UTF8.self)
    }

    /// A string value, or a number as written (account ids are sometimes exported as numbers); nil when absent,
    /// empty or of another kind.
    public static func nonEmptyString(_ b: UnsafeRawBufferPointer, _ ref: JSONRef?) -> String? {
        guard let ref else { return nil }
        switch ref.kind {
        case .string:
            let s = decodeString(b, ref)
            return s.isEmpty ? nil : s
        case .number:
            return text(b, ref)
        default:
            return nil
        }
    }

    /// Parses a number value (or a string holding one).
    public static func double(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Double? {
        switch ref.kind {
        case .number: return Double(text(b, ref))
        case .string: return Double(decodeString(b, ref))
        default: return nil
        }
    }

    /// Parses an integer value (or a string holding one).
    public static func int(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Int64? {
        guard ref.kind == .number || ref.kind == .string else { return nil }
        var i = ref.kind == .string ? ref.start + 1 : ref.start
        let end = ref.kind == .string ? ref.end - 1 : ref.end
        var negative = false
        if i < end, b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < end else { return nil }
        var v: Int64 = 0
        while i < end {
            let c = b[i]
            guard c >= 48, c <= 57 else { return double(b, ref).flatMap { Int64(exactly: $0.rounded(.towardZero)) } }
            // Accumulate towards the sign so that Int64.min is representable.
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
            guard !o1, !o2 else { return nil }
            v = s
            i += 1
        }
        return v
    }

    public static func bool(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> Bool? {
        switch ref.kind {
        case .bool: return b[ref.start] == UInt8(ascii: "t")
        case .string:
            // Plain ASCII text is decided on its bytes (the common case, and no String to make); ASCII lowercases
            // to ASCII, so this agrees with the general path below.
            if !ref.hasEscapes, let ascii = asciiBool(UnsafeRawBufferPointer(rebasing: b[(ref.start + 1)..<(ref.end - 1)])) {
                return ascii
            }
            switch decodeString(b, ref).lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// `true`/`false` in any case as `.some`, other ASCII text as `.some(nil)`; nil for non-ASCII text.
    @inline(__always)
    static func asciiBool(_ text: UnsafeRawBufferPointer) -> Bool?? {
        var folded: UInt64 = 0
        for c in text {
            guard c < 0x80 else { return nil }
            folded = folded << 8 | UInt64(c | (c &- 65 < 26 ? 0x20 : 0))
        }
        switch (text.count, folded) {
        case (4, 0x7472_7565): return .some(true)        // "true"
        case (5, 0x66_616C_7365): return .some(false)    // "false"
        default: return .some(nil)
        }
    }
}
