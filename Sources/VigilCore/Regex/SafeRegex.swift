/// A regular expression that matches in linear time whatever the pattern, for Sigma's `|re` modifier.
///
/// Patterns are the PCRE/Python subset that needs no backtracking, run as a Thompson NFA (Pike VM) as RE2 does, so
/// `(a+)+$` on attacker-controlled text costs time proportional to text length times pattern size. Constructs that
/// need backtracking (backreferences, lookaround, atomic groups, possessive quantifiers, recursion) are rejected when
/// the pattern is compiled. Text is matched by Unicode scalar; `\d \w \s \b` are Unicode-aware.
public struct SafeRegex: Sendable {
    /// Flags that apply to the whole pattern; the inline forms `(?i)`, `(?m)`, `(?s)` do the same.
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Letters match in either case, with Unicode simple case folding (`k` matches `K` and the Kelvin sign).
        public static let caseInsensitive = Options(rawValue: 1 << 0)
        /// `^` and `$` also match just after and just before each `\n`.
        public static let multiline = Options(rawValue: 1 << 1)
        /// `.` also matches `\n`.
        public static let dotMatchesNewline = Options(rawValue: 1 << 2)
    }

    /// The pattern as given.
    public let pattern: String
    let program: RegexProgram

    /// Compiles `pattern`, throwing on bad syntax, unsupported constructs and patterns over the size limits.
    public init(_ pattern: String, options: Options = []) throws(RegexSyntaxError) {
        let flags = RegexParser.Flags(ignoreCase: options.contains(.caseInsensitive), multiline: options.contains(.multiline),
                                      dotAll: options.contains(.dotMatchesNewline))
        self.pattern = pattern
        program = try RegexProgram(compiling: try RegexParser.parse(pattern, flags: flags))
    }

    /// True when the pattern matches anywhere in the text (search semantics, like Python's re.search).
    public func matches(_ text: String) -> Bool {
        var text = text  // withUTF8 makes the string contiguous if it is not already; native strings are
        return text.withUTF8 { RegexMatcher.matches(program, in: UnsafeRawBufferPointer($0)) }
    }

    /// True when the pattern matches anywhere in the UTF-8 bytes; bytes of malformed UTF-8 match only `.` and
    /// negated classes.
    public func matches(utf8 bytes: UnsafeRawBufferPointer) -> Bool {
        RegexMatcher.matches(program, in: bytes)
    }
}
