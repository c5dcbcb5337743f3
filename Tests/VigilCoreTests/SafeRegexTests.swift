import Testing
@testable import VigilCore

@Suite("SafeRegex")
struct SafeRegexTests {
    func search(_ pattern: String, _ text: String, _ options: SafeRegex.Options = []) throws -> Bool {
        try SafeRegex(pattern, options: options).matches(text)
    }

    func search(_ pattern: String, bytes: [UInt8]) throws -> Bool {
        let regex = try SafeRegex(pattern)
        return bytes.withUnsafeBytes { regex.matches(utf8: $0) }
    }

    static let literalsAndClassesCases: [(String, String, Bool)] = [
        ("abc", "xxabcxx", true),
        ("abc", "xxabxcx", false),
        ("", "", true),
        ("", "anything", true),
        ("a.c", "abc", true),
        ("a.c", "a\nc", false),
        ("a.c", "a€c", true),  // `.` is one scalar, three bytes here
        ("a..c", "a€c", false),
        ("caf.", "café", true),
        ("é", "café", true),
        ("😀+$", "x😀😀", true),
        ("[abc]", "xbx", true),
        ("[abc]", "xyz", false),
        ("[^abc]", "abc", false),
        ("[^abc]", "abcd", true),
        ("[^a]", "é", true),
        ("[^é]", "é", false),
        ("[é-ë]", "ê", true),
        ("[a-z]+\\d", "ABC1", false),
        ("[a-z]+\\d", "ABc1", true),
        ("[]a]", "]", true),
        ("[^]a]", "]a", false),
        ("[a-]", "-", true),
        ("[-a]", "-", true),
        ("[\\]]", "]", true),
        ("[[]", "[", true),
        ("[\\d.]", "x.y", true),
        ("[\\w-]+@", "foo-bar@", true),
        ("[\\s]", "a\tb", true),
        ("[\\D]", "123", false),
        ("[\\W\\d]", "abc", false),
        ("[\\b]", "\u{8}", true),
        ("[\\x41-\\x43]", "B", true),
        ("[\\u00e9]", "é", true),
        ("[[:digit:]]+", "ab12", true),
        ("[[:alpha:]]", "123", false),
        ("[[:punct:]]", "a;b", true),
        ("\\d+", "abc", false),
        ("\\d", "x٣", true),  // Arabic-Indic three: \d is Unicode-aware, as in Python
        ("\\D", "123", false),
        ("\\w", "é", true),
        ("\\W", "abc_1", false),
        ("\\s", "a\u{00A0}b", true),
        ("\\S", " \t\n", false),
        ("a\\.b", "axb", false),
        ("a\\.b", "a.b", true),
        ("\\\\", "a\\b", true),
        ("\\/", "a/b", true),
        ("\\-", "-", true),
        ("a\\tb", "a\tb", true),
        ("\\r\\n", "a\r\nb", true),
        ("\\x41", "A", true),
        ("\\u00e9", "é", true),
        ("\\x{1F600}", "😀", true),
        ("\\0", "\0", true),
        ("a{", "a{", true),  // a brace that starts no quantifier is a literal, as in PCRE and Python
        ("a{x}", "a{x}", true),
        ("a{1,2", "a{1,2", true),
    ]

    @Test("matches literals, classes and escapes", arguments: literalsAndClassesCases)
    func literalsAndClasses(pattern: String, input: String, expected: Bool) throws {
        #expect(try search(pattern, input) == expected, "\(pattern) on \(input.debugDescription)")
    }

    static let anchorsAndStructureCases: [(String, String, Bool)] = [
        ("^abc", "abc", true),
        ("^abc", "xabc", false),
        ("abc$", "xabc", true),
        ("abc$", "abc\n", true),  // `$` also matches before a final newline
        ("abc$", "abc\n\n", false),
        ("abc\\Z", "abc\n", true),
        ("abc\\z", "abc\n", false),
        ("\\Aabc", "xabc", false),
        ("^b", "a\nb", false),
        ("(?m)^b", "a\nb", true),
        ("(?m)a$", "a\nb", true),
        ("a$", "a\nb", false),
        ("^$", "", true),
        ("$", "", true),
        ("x^", "x", false),
        ("a|^b", "b", true),
        ("\\bcat\\b", "a cat sat", true),
        ("\\bcat\\b", "concatenate", false),
        ("\\Bcat\\B", "concatenate", true),
        ("\\bé", "café", false),
        ("\\b", "", false),
        ("\\B", "", true),
        ("ab*c", "ac", true),
        ("ab+c", "ac", false),
        ("ab?c", "abbc", false),
        ("a{3}", "aa", false),
        ("a{3}", "aaa", true),
        ("^a{2,3}$", "aaaa", false),
        ("^a{2,3}$", "aaa", true),
        ("^a{2,}$", "a", false),
        ("^a{2,}$", "aaaaaaa", true),
        ("^a{,2}$", "aa", true),
        ("^a{,2}$", "aaa", false),
        ("^a{0}$", "", true),
        ("^(ab){2}$", "abab", true),
        ("^(?:ab){2}$", "ababab", false),
        ("^a*?$", "aaa", true),
        ("^a+?b", "aab", true),
        ("^a??b", "ab", true),
        ("^(a*)*$", "aaa", true),
        ("^(a*)*b$", "aaa", false),
        ("^(a|)+$", "aaa", true),
        ("^(?:a?){5}a{5}$", "aaaaa", true),
        ("^(?:^)*a", "a", true),
        ("a(?:$){1,2}", "a", true),
        ("cat|dog", "hotdog", true),
        ("cat|dog", "bird", false),
        ("^(cat|dog)s?$", "dogs", true),
        ("^(cat|dog)s?$", "dogss", false),
        ("a(b|c|)d", "ad", true),
        ("x|", "y", true),
        ("()", "", true),
        ("(?P<user>\\w+)@", "root@", true),
        ("(?<user>\\w+)@", "root@", true),
        ("(?'user'\\w+)@", "root@", true),
        ("a(?#comment)b", "ab", true),
    ]

    @Test("handles anchors, quantifiers, alternation and groups", arguments: anchorsAndStructureCases)
    func anchorsAndStructure(pattern: String, input: String, expected: Bool) throws {
        #expect(try search(pattern, input) == expected, "\(pattern) on \(input.debugDescription)")
    }

    static let flagsCases: [(String, String, Bool)] = [
        ("(?i)admin", "ADMIN", true),
        ("(?i)ADMIN", "admin", true),
        ("admin", "ADMIN", false),
        ("(?i:ad)min", "ADmin", true),
        ("(?i:ad)min", "ADMIN", false),
        ("a(?i)b", "aB", true),
        ("a(?i)b", "AB", false),
        ("(a(?i)b)c", "aBc", true),
        ("(a(?i)b)c", "aBC", false),  // an inline flag lasts to the end of its group
        ("(?i)(?-i:a)", "A", false),
        ("(?i)[a-c]+$", "xABC", true),
        ("(?i)[^a]", "A", false),
        ("(?i)k", "\u{212A}", true),  // Kelvin sign
        ("(?i)\u{212A}", "k", true),
        ("(?i)s", "ſ", true),
        ("(?i)kelvin", "\u{212A}ELVIN", true),
        ("(?i)straße", "STRASSE", false),  // simple folding: ß is not ss
        ("(?i)straße", "STRAẞE", true),
        ("(?i)σ", "ς", true),
        ("(?i)Σ", "ς", true),
        ("(?i)é", "É", true),
        ("(?i)[à-ý]", "É", true),
        ("(?i)[\u{0100}-\u{0200}]", "I", true),  // the range holds ı, whose upper case is I
        ("(?s)a.b", "a\nb", true),
        ("(?ims)^a.b$", "x\nA\nB", true),
    ]

    @Test("applies inline flags, with Unicode case folding", arguments: flagsCases)
    func inlineFlags(pattern: String, input: String, expected: Bool) throws {
        #expect(try search(pattern, input) == expected, "\(pattern) on \(input.debugDescription)")
    }

    static let optionsCases: [(String, SafeRegex.Options, String, Bool)] = [
        ("admin", .caseInsensitive, "ADMIN", true),
        ("(?-i)admin", .caseInsensitive, "ADMIN", false),
        ("^b$", .multiline, "a\nb\nc", true),
        ("^b$", [], "a\nb\nc", false),
        ("a.b", .dotMatchesNewline, "a\nb", true),
        ("a.b", [], "a\nb", false),
    ]

    @Test("applies options", arguments: optionsCases)
    func options(pattern: String, options: SafeRegex.Options, input: String, expected: Bool) throws {
        #expect(try search(pattern, input, options) == expected, "\(pattern) on \(input.debugDescription)")
    }

    static let sigmaPatternsCases: [(String, String, Bool)] = [
        (".+:assumed-role/aws:.+", "arn:aws:sts::123456789012:assumed-role/aws:ec2-infrastructure/i-0abc", true),
        (".+:assumed-role/aws:.+", "arn:aws:sts::123456789012:assumed-role/Admin/alice", false),
        (".+:assumed-role/aws:.+", "arn:aws:sts::123456789012:assumed-role/aws:", false),
        ("^arn:aws:iam::\\d{12}:root$", "arn:aws:iam::123456789012:root", true),
        ("^arn:aws:iam::\\d{12}:root$", "arn:aws:iam::12345678901:root", false),
        ("(?i)\\b(?:powershell|pwsh)(?:\\.exe)?\\s+-(?:e|enc|encodedcommand)\\b", "C:\\Windows\\PowerShell.EXE -Enc SQBFAFgA", true),
        ("(?i)\\b(?:powershell|pwsh)(?:\\.exe)?\\s+-(?:e|enc|encodedcommand)\\b", "powershell -Encoding utf8", false),
        ("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b", "src 10.0.0.254 dst", true),
        ("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b", "version 1.2.3", false),
        ("^[a-z0-9-]+\\.s3\\.amazonaws\\.com$", "my-bucket.s3.amazonaws.com", true),
        ("^[a-z0-9-]+\\.s3\\.amazonaws\\.com$", "my-bucket.s3.amazonaws.com.evil.io", false),
        ("AKIA[0-9A-Z]{16}", "key=AKIAIOSFODNN7EXAMPLE;", true),
        ("AKIA[0-9A-Z]{16}", "key=AKIAIOSFODNN7EXAMP;", false),
        ("(?i)^(Get|List|Describe)[A-Za-z]+$", "listBuckets", true),
        ("/\\.\\./", "GET /a/../etc", true),
    ]

    @Test("matches Sigma-style patterns", arguments: sigmaPatternsCases)
    func sigmaPatterns(pattern: String, input: String, expected: Bool) throws {
        #expect(try search(pattern, input) == expected, "\(pattern) on \(input.debugDescription)")
    }

    /// The literal search runs before (or instead of) the automaton; these check it never changes an answer.
    static let literalFastPathsCases: [(String, String, Bool)] = [
        ("needle", String(repeating: "x", count: 40) + "needle", true),
        ("needle", String(repeating: "x", count: 40) + "needl", false),
        ("(?i)Needle", String(repeating: "x", count: 40) + "NEEDLE", true),
        ("(?i)ask", "\u{212A}", false),
        ("(?i)task", "TA\u{212A}", false),
        ("(?i)task", "TAS\u{212A}", true),  // `k` splits the literal: the Kelvin sign is not ASCII
        ("(?i:a)B", "AB", true),  // mixed case rules: the folded search is only a filter
        ("(?i:a)B", "Ab", false),
        ("foo\\b", "foobar foo", true),  // a skip to the second `foo` must still see the boundary
        ("foo\\b", "foobar", false),
        ("\\bfoo", "xfoo foo", true),
        ("é\\b", "éa é", true),
        ("(?m)^foo", "xfoo\nfoo", true),
        ("aaab", String(repeating: "a", count: 40) + "b", true),
        ("ab*", "a", true),
        ("abc|abd", "xabd", true),
        ("\\x41BC", "ABC", true),
        ("(?i)\\b(?:powershell|pwsh)\\b", "xpwsh pwsh", true),  // skips to `p`/`P`, then checks \b
        ("(?i)\\b(?:powershell|pwsh)\\b", "xpwsh", false),
        ("(?i)\\b(?:powershell|pwsh)\\b", "Run PWSH", true),
        ("\\bé", "aé é", true),  // skips to the lead byte of é
        ("[é-ë]x", "éyêx", true),
        ("(?m)^\\d", "a\n1", true),
    ]

    @Test("gives the same answers through the literal fast paths", arguments: literalFastPathsCases)
    func literalFastPaths(pattern: String, input: String, expected: Bool) throws {
        #expect(try search(pattern, input) == expected, "\(pattern) on \(input.debugDescription)")
    }

    static let hundredK = String(repeating: "a", count: 100_000)
    static let catastrophicCases: [(String, String, Bool)] = [
        ("(a+)+$", hundredK, true),
        ("(a+)+b", hundredK, false),
        ("^(a+)+$", hundredK + "!", false),
        ("(a|aa)*b", hundredK, false),
        ("(a|aa)*c?$", hundredK, true),
        ("^(a*)*$", hundredK + "b", false),
        ("(?i)(A+)+$", hundredK, true),
        ("(x+x+)+y", String(repeating: "x", count: 100_000), false),
        ("^(\\w+\\s?)*$", String(repeating: "word ", count: 20_000) + "!", false),
        ("(.*a){12}b", hundredK, false),
        ("^(a?){30}a{30}$", String(repeating: "a", count: 30), true),
    ]

    @Test("answers catastrophic-backtracking patterns on 100 kB of input", arguments: catastrophicCases)
    func catastrophic(pattern: String, input: String, expected: Bool) throws {
        #expect(try search(pattern, input) == expected, "\(pattern)")
    }

    static let rejectedCases: [(String, String, Int)] = [
        ("(a)b\\1", "unsupported construct: backreference \\1", 4),
        ("(?P<x>a)(?P=x)", "unsupported construct: backreference (?P=x)", 8),
        ("\\k<x>", "unsupported construct: backreference \\k", 0),
        ("\\g<1>", "unsupported construct: backreference or subroutine call \\g", 0),
        ("a(?=b)", "unsupported construct: lookahead (?=", 1),
        ("a(?!b)", "unsupported construct: negative lookahead (?!", 1),
        ("(?<=a)b", "unsupported construct: lookbehind (?<=", 0),
        ("(?<!a)b", "unsupported construct: negative lookbehind (?<!", 0),
        ("(?>a+)b", "unsupported construct: atomic group (?>", 0),
        ("a*+", "unsupported construct: possessive quantifier *+", 1),
        ("a{2}+", "unsupported construct: possessive quantifier {2}+", 1),
        ("(?R)", "unsupported construct: recursion (?R)", 0),
        ("(a(?1))", "unsupported construct: recursion (?1)", 2),
        ("(?(1)a|b)", "unsupported construct: conditional group (?(", 0),
        ("\\p{L}", "unsupported construct: Unicode property \\p", 0),
        ("(*SKIP)a", "unsupported construct: backtracking control verb (*S", 0),
        ("a{1001}", "repetition count 1001 exceeds the limit of 1000", 1),
        ("a{2,1001}", "repetition count 1001 exceeds the limit of 1000", 1),
        ("a{3,2}", "min repeat greater than max repeat", 1),
        ("(abc", "missing ), unterminated group", 0),
        ("é(", "missing ), unterminated group", 2),  // offsets count UTF-8 bytes
        ("abc)", "unbalanced parenthesis: ) without (", 3),
        ("[abc", "unterminated character class", 0),
        ("x[^]", "unterminated character class", 1),
        ("[z-a]", "bad character range z-a", 1),
        ("[\\d-z]", "bad character range \\d-z", 1),
        ("*a", "nothing to repeat before *", 0),
        ("a|*", "nothing to repeat before *", 2),
        ("^*", "nothing to repeat before *", 1),
        ("{2}", "nothing to repeat before {", 0),
        ("a**", "multiple repeat", 2),
        ("a{2}{3}", "multiple repeat", 4),
        ("\\q", "unknown escape \\q", 0),
        ("abc\\", "pattern ends with a lone backslash", 3),
        ("\\xZZ", "bad escape \\x: expected 2 hex digits", 0),
        ("\\u12", "bad escape \\u12: expected 4 hex digits", 0),
        ("\\x{D800}", "bad escape: U+D800 is not a Unicode scalar", 0),
        ("[\\A]", "bad escape \\A in a character class", 1),
        ("(?x)a", "unsupported flag (?x) (only i, m and s are)", 2),
        ("(?P<1a>x)", "bad group name", 4),
        ("[[:foo:]]", "unknown POSIX class [:foo:]", 1),
        ("(?#abc", "unterminated comment (?#", 0),
    ]

    @Test("rejects bad syntax and unsupported constructs with a message and offset", arguments: rejectedCases)
    func rejected(pattern: String, message: String, offset: Int) {
        #expect(throws: RegexSyntaxError.self, "\(pattern)") { try SafeRegex(pattern) }
        do {
            _ = try SafeRegex(pattern)
        } catch {
            #expect(error.message == message, "\(pattern)")
            #expect(error.offset == offset, "\(pattern)")
        }
    }

    @Test("describes an error as its offset and message")
    func errorDescription() {
        #expect(throws: RegexSyntaxError.self) { try SafeRegex("(a)b\\1") }
        do {
            _ = try SafeRegex("(a)b\\1")
        } catch {
            #expect(error.description == "at 4: unsupported construct: backreference \\1")
        }
    }

    @Test("enforces the size limits as errors, not memory blow-ups")
    func sizeLimits() throws {
        let longest = String(repeating: "a", count: 65_536)
        #expect(try SafeRegex(longest).matches(longest))
        #expect(throws: RegexSyntaxError.self) { try SafeRegex(longest + "a") }
        #expect(throws: RegexSyntaxError.self) { try SafeRegex("(a{1000}){1000}") }
        #expect(throws: RegexSyntaxError.self) { try SafeRegex("(?:[ab]{1000}){100}") }
        // Just under the limit compiles (matching it against 99k characters would be 99k × 99k steps: linear, not fast).
        #expect(try !SafeRegex("(?:[ab]{1000}){99}").matches("abab"))
        let nested = { (depth: Int) in String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth) }
        #expect(try SafeRegex(nested(250)).matches("a"))
        #expect(throws: RegexSyntaxError.self) { try SafeRegex(nested(251)) }
    }

    @Test("matches raw bytes, treating malformed UTF-8 as stray bytes", arguments: [
        ("a.b", [0x61, 0xFF, 0x62], true),
        ("a[^x]b", [0x61, 0xFF, 0x62], true),
        ("a\\Wb", [0x61, 0xFF, 0x62], true),
        ("a\u{FFFD}b", [0x61, 0xFF, 0x62], false),
        ("ab", [0x61, 0xFF, 0x62], false),
        ("a.$", [0x61, 0xC3], true),  // truncated sequence
        ("é", [0xC3], false),
        ("/", [0xC0, 0xAF], false),  // overlong encoding of `/`
        ("^.$", [0xED, 0xA0, 0x80], false),  // an encoded surrogate is three stray bytes
        ("^...$", [0xED, 0xA0, 0x80], true),
        ("^é€😀$", Array("é€😀".utf8), true),
        ("é", [0xC3, 0xC3, 0xA9], true),  // a truncated é, then a whole one
        ("\\bx", [0xFF, 0x78], true),  // a stray byte is not a word character
        ("é\\b", [0xC3, 0xA9, 0xC3], true),
    ] as [(String, [UInt8], Bool)])
    func rawBytes(pattern: String, bytes: [UInt8], expected: Bool) throws {
        #expect(try search(pattern, bytes: bytes) == expected, "\(pattern) on \(bytes)")
    }

    @Test("matches an empty buffer with no base address")
    func emptyBuffer() throws {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(try SafeRegex("^$").matches(utf8: empty))
        #expect(try !SafeRegex("a").matches(utf8: empty))
        #expect(try !SafeRegex("a*b").matches(utf8: empty))
    }

    @Test("hard-coded ASCII case variants agree with the Unicode folding table")
    func asciiFolding() {
        for c in UInt32(0)..<0x80 {
            let fromTable = CaseFolding.table.orbit(containing: c) ?? [c]
            #expect(CaseFolding.asciiVariants(of: c).sorted() == fromTable.sorted(), "U+\(String(c, radix: 16))")
        }
    }

    @Test("agrees with Swift's backtracking Regex on random patterns")
    func agreesWithSwiftRegex() throws {
        var rng = SplitMix64(seed: 0x5AFE_4E6E)
        let inputs = (0..<24).map { _ in
            String((0..<Int.random(in: 0...8, using: &rng)).map { _ in "ab- ".randomElement(using: &rng)! })
        }
        for _ in 0..<600 {
            // Depth 2: at depth 3 Swift's backtracking engine takes up to a minute on some 8-character inputs.
            let pattern = Self.randomPattern(depth: 2, using: &rng)
            let ours = try SafeRegex(pattern)
            let reference = try Regex(pattern).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)
            for input in inputs {
                #expect(ours.matches(input) == input.contains(reference), "\(pattern) on \(input.debugDescription)")
            }
        }
    }

    private static func randomPattern(depth: Int, using rng: inout SplitMix64) -> String {
        let atoms = ["a", "b", "-", ".", "[ab]", "[^a]", "\\w", "\\W", "\\s", "\\b", "^", "$", "(?i)A", "[a-]"]
        let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{0,2}", "{1,}", "*?"]
        var pattern = ""
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let atom: String
            if depth > 0 && Int.random(in: 0..<4, using: &rng) == 0 {
                let branches = (0..<Int.random(in: 1...3, using: &rng)).map { _ in randomPattern(depth: depth - 1, using: &rng) }
                atom = "(?:" + branches.joined(separator: "|") + ")"
            } else {
                atom = atoms.randomElement(using: &rng)!
            }
            let zeroWidth = ["\\b", "^", "$"].contains(atom) || atom.hasPrefix("(?i)")
            pattern += atom + (zeroWidth ? "" : quantifiers.randomElement(using: &rng)!)
        }
        return pattern
    }
}

/// A seeded generator, so a failing random case reproduces.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
