/// Why a `SafeRegex` pattern was rejected, and where.
public struct RegexSyntaxError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `unsupported construct: backreference \1`.
    public var message: String
    /// UTF-8 offset in the pattern of the construct at fault (0 for whole-pattern limits).
    public var offset: Int

    init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `at 4: unsupported construct: backreference \1`
    public var description: String { "at \(offset): \(message)" }
}
