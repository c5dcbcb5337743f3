/// Bytes every match must contain, searched for with SIMD before (or instead of) running the automaton.
struct LiteralNeedle: Sendable {
    /// Lowercased when `ignoringCase`.
    var bytes: [UInt8]
    /// ASCII letters compare without case; every other byte compares exactly.
    var ignoringCase: Bool
}

/// Literal text the pattern requires, found from its top-level sequence of items.
///
/// Case-insensitive letters are usable only when all their variants are ASCII: `k` also matches the Kelvin sign,
/// whose bytes an ASCII byte search would miss, so it splits a literal instead.
struct RegexLiterals: Sendable {
    /// The longest literal every match contains; text without it cannot match.
    var required: LiteralNeedle?
    /// Every match starts with `required`, so the matcher can start at (and skip ahead to) its occurrences.
    var requiredIsPrefix = false
    /// The pattern is exactly `required`, with no case mixing, so finding it is the whole answer.
    var requiredIsWholePattern = false

    init(_ root: RegexNode) {
        let items = root.sequence
        var runs: [Run] = []
        for (index, item) in items.enumerated() {
            guard case .scalar(let c, let ignoringCase) = item, let (bytes, folds) = Self.bytes(for: c, ignoringCase: ignoringCase) else {
                continue
            }
            if runs.last?.end != index { runs.append(Run(start: index, end: index)) }
            runs[runs.count - 1].append(bytes, folds: folds, exactLetter: !folds && Self.isASCIILetter(c))
        }
        guard let best = runs.max(by: { $0.bytes.count < $1.bytes.count }) else { return }
        let bytes = best.folds ? best.bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 } : best.bytes
        required = LiteralNeedle(bytes: bytes, ignoringCase: best.folds)
        requiredIsPrefix = best.start == 0
        // Mixed case rules (`(?i:a)B`) make the folded search a superset; then the automaton must decide.
        requiredIsWholePattern = best.start == 0 && best.end == items.count && !(best.folds && best.exactLetters)
    }

    /// Consecutive literal items `start..<end` of the top-level sequence.
    private struct Run {
        var start: Int, end: Int
        var bytes: [UInt8] = []
        /// Some letter compares without case / some ASCII letter compares exactly.
        var folds = false, exactLetters = false

        mutating func append(_ more: [UInt8], folds: Bool, exactLetter: Bool) {
            bytes += more
            self.folds = self.folds || folds
            exactLetters = exactLetters || exactLetter
            end += 1
        }
    }

    private static func isASCIILetter(_ c: UInt32) -> Bool { (c | 0x20) &- 0x61 < 26 }

    /// The UTF-8 of `c`, and whether it is a letter to compare without case; nil if a byte search can't find it.
    private static func bytes(for c: UInt32, ignoringCase: Bool) -> ([UInt8], Bool)? {
        let variants = ignoringCase ? CaseFolding.variants(of: c) : [c]
        if variants.count == 1 { return (Array(String(Unicode.Scalar(c)!).utf8), false) }
        return variants.allSatisfy({ $0 < 0x80 }) && variants.count == 2 ? ([UInt8(c)], true) : nil
    }
}

/// Finds a needle in UTF-8 text, comparing sixteen candidate positions at a time on the needle's first and last
/// bytes (the same method as `ByteSearch`, but returning where).
enum LiteralSearch {
    static func firstIndex(of needle: LiteralNeedle, in text: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let n = needle.bytes.count, count = text.count
        guard n > 0 else { return start <= count ? start : nil }
        guard count - start >= n, let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let ignoringCase = needle.ignoringCase
        @inline(__always) func isLetter(_ c: UInt8) -> Bool { c &- 0x61 < 26 }
        return needle.bytes.withUnsafeBufferPointer { np -> Int? in
            let needleBase = np.baseAddress!
            let first = needleBase[0], last = needleBase[n - 1]
            let foldFirst = SIMD16<UInt8>(repeating: ignoringCase && isLetter(first) ? 0x20 : 0)
            let foldLast = SIMD16<UInt8>(repeating: ignoringCase && isLetter(last) ? 0x20 : 0)
            let firstVector = SIMD16<UInt8>(repeating: first), lastVector = SIMD16<UInt8>(repeating: last)
            @inline(__always) func verify(_ at: Int) -> Bool {
                var k = 0
                while k < n {
                    var c = base[at + k]
                    if ignoringCase && c &- 0x41 < 26 { c |= 0x20 }
                    if c != needleBase[k] { return false }
                    k += 1
                }
                return true
            }
            let lastStart = count - n
            var i = start
            while i + 15 <= lastStart {
                let a = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let b = UnsafeRawPointer(base + i + n - 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let hits = ((a | foldFirst) .== firstVector) .& ((b | foldLast) .== lastVector)
                if hits != SIMDMask(repeating: false) {
                    for k in 0..<16 where hits[k] && verify(i + k) { return i + k }
                }
                i += 16
            }
            while i <= lastStart {
                if verify(i) { return i }
                i += 1
            }
            return nil
        }
    }
}
