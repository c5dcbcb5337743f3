/// Validating scans that let the caller descend into the members it needs, so a record is read in the pass that
/// checks it instead of being walked again afterwards.
extension JSONScanner {
    /// Scans and validates the object at `i` as ``scanObject(_:_:depth:_:)`` does, but hands each member's value
    /// to `read`, which must scan it from `i` as `scanValue(b, &i, depth: depth)` would (the depth it is given),
    /// leaving `i` just past it, and return it. ``scanValue(_:_:depth:members:)`` is the way to descend.
    @inlinable
    public static func scanObject(_ b: UnsafeRawBufferPointer, _ i: inout Int, depth: Int,
                                  reading read: (_ key: JSONRef, _ i: inout Int, _ depth: Int) throws(JSONSyntaxError) -> JSONRef)
        throws(JSONSyntaxError) -> JSONRef {
        skipWhitespace(b, &i)
        guard i < b.count else { throw JSONSyntaxError("unexpected end of input, expected a value", at: i) }
        guard b[i] == UInt8(ascii: "{") else { throw unexpected(b, i, "'{'") }
        let start = i
        i += 1
        skipWhitespace(b, &i)
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return JSONRef(kind: .object, start: start, end: i)
        }
        while true {
            skipWhitespace(b, &i, expecting: UInt8(ascii: "\""))
            guard i < b.count else { throw JSONSyntaxError("unexpected end of input inside an object", at: i) }
            guard b[i] == UInt8(ascii: "\"") else { throw unexpected(b, i, "a member name") }
            let key = try scanString(b, &i)
            skipWhitespace(b, &i, expecting: UInt8(ascii: ":"))
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw unexpected(b, i, "':'") }
            i += 1
            _ = try read(key, &i, depth + 1)
            skipWhitespace(b, &i, expecting: UInt8(ascii: ","))
            guard i < b.count else { throw JSONSyntaxError("unexpected end of input inside an object", at: i) }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return JSONRef(kind: .object, start: start, end: i) }
            throw unexpected(b, i, "',' or '}'")
        }
    }

    /// Scans the value at `i` exactly as ``scanValue(_:_:depth:)`` does, except that when it is an object its
    /// members' values are scanned by `read` (see ``scanObject(_:_:depth:reading:)``).
    @inlinable
    public static func scanValue(_ b: UnsafeRawBufferPointer, _ i: inout Int, depth: Int,
                                 members read: (_ key: JSONRef, _ i: inout Int, _ depth: Int) throws(JSONSyntaxError) -> JSONRef)
        throws(JSONSyntaxError) -> JSONRef {
        skipWhitespace(b, &i)
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return try scanValue(b, &i, depth: depth) }
        guard depth < maximumDepth else { throw JSONSyntaxError("nesting deeper than \(maximumDepth)", at: i) }
        return try scanObject(b, &i, depth: depth, reading: read)
    }
}
