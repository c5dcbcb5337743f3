/// The shorthand classes `\d \w \s` and their negations, Unicode-aware as in Python 3 and RE2's Unicode mode.
enum ScalarProperty: Sendable, Equatable {
    case digit, notDigit, word, notWord, space, notSpace

    func matches(_ c: UInt32) -> Bool {
        switch self {
        case .digit: Self.isDigit(c)
        case .notDigit: !Self.isDigit(c)
        case .word: Self.isWord(c)
        case .notWord: !Self.isWord(c)
        case .space: Self.isSpace(c)
        case .notSpace: !Self.isSpace(c)
        }
    }

    /// Decimal digits of any script (general category Nd).
    static func isDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c &- 0x30 < 10 }
        return Unicode.Scalar(c)?.properties.numericType == .decimal
    }

    /// Letters, marks, decimal digits and connector punctuation (`_`), as in Unicode TS #18; also used by `\b`.
    static func isWord(_ c: UInt32) -> Bool {
        if c < 0x80 { return c &- 0x30 < 10 || (c | 0x20) &- 0x61 < 26 || c == 0x5F }
        guard let p = Unicode.Scalar(c)?.properties else { return false }
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation: return true
        default: return false
        }
    }

    /// ASCII `[\t\n\v\f\r ]` (as PCRE) plus Unicode White_Space such as U+00A0 and U+2028.
    static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || c &- 0x09 < 5 }
        return Unicode.Scalar(c)?.properties.isWhitespace ?? false
    }
}

/// A character class: scalar ranges and shorthand properties, possibly inverted, with ASCII answers precomputed.
struct ScalarSet: Sendable {
    /// Sorted, disjoint and non-adjacent, so membership is a binary search.
    let ranges: [ClosedRange<UInt32>]
    let properties: [ScalarProperty]
    let isInverted: Bool
    /// Membership of U+0000...U+007F, inversion included: log text is nearly all ASCII, so this is the hot path.
    private let asciiLow: UInt64, asciiHigh: UInt64

    /// Case variants are added before inverting, so `(?i)[^a]` excludes `A` too.
    init(ranges: [ClosedRange<UInt32>], properties: [ScalarProperty] = [], inverted: Bool = false, ignoringCase: Bool = false) {
        self.ranges = Self.normalized(ignoringCase ? CaseFolding.addingVariants(to: ranges) : ranges)
        self.properties = properties
        self.isInverted = inverted
        var low: UInt64 = 0, high: UInt64 = 0
        for c in UInt32(0)..<0x80 where Self.rawContains(c, ranges: self.ranges, properties: properties) != inverted {
            if c < 64 { low |= 1 << c } else { high |= 1 << (c - 64) }
        }
        asciiLow = low
        asciiHigh = high
    }

    /// Whether the set holds `c`. `RegexMatcher.invalidByte` (a stray byte of malformed UTF-8) is only in inverted
    /// sets and those holding `\D \W \S`.
    @inline(__always) func contains(_ c: UInt32) -> Bool {
        if c < 64 { return asciiLow >> c & 1 != 0 }
        if c < 128 { return asciiHigh >> (c - 64) & 1 != 0 }
        return Self.rawContains(c, ranges: ranges, properties: properties) != isInverted
    }

    private static func rawContains(_ c: UInt32, ranges: [ClosedRange<UInt32>], properties: [ScalarProperty]) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < c { low = mid + 1 } else { high = mid }
        }
        if low < ranges.count && ranges[low].lowerBound <= c { return true }
        return properties.contains { $0.matches(c) }
    }

    private static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var merged: [ClosedRange<UInt32>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged
    }
}
