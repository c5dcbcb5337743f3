/// Which scalars are equal when case is ignored.
///
/// Two scalars are equal when they have the same fold, the lower case of their upper case using one-scalar
/// mappings only. That is Unicode simple case folding in effect, and what Python's `re` and RE2 match: `k` also
/// matches the Kelvin sign, `s` the long s, `σ` the final `ς`. Patterns are expanded to every variant when they
/// are compiled, so the matcher never folds the text.
enum CaseFolding {
    /// Every scalar equal to `c` ignoring case, `c` included (just `[c]` when it has no case).
    static func variants(of c: UInt32) -> [UInt32] {
        c < 0x80 ? asciiVariants(of: c) : table.orbit(containing: c) ?? [c]
    }

    /// `ranges` plus the case variants of every scalar in them (unsorted, possibly overlapping).
    static func addingVariants(to ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result = ranges
        for range in ranges {
            if range.upperBound < 0x80 {
                for c in range { result += asciiVariants(of: c).map { $0...$0 } }
            } else {
                // Scanning the ~1,500 orbits is cheaper than scanning a range that may span the whole of Unicode.
                for orbit in table.orbits where orbit.contains(where: range.contains) { result += orbit.map { $0...$0 } }
            }
        }
        return result
    }

    /// Kept off the table so ASCII-only patterns never pay for building it. Three ASCII letters have a non-ASCII
    /// variant; a test checks this against the table.
    static func asciiVariants(of c: UInt32) -> [UInt32] {
        switch c {
        case 0x41...0x5A, 0x61...0x7A:
            let lower = c | 0x20
            switch lower {
            case 0x69: return [0x69, 0x49, 0x131]  // i I ı
            case 0x6B: return [0x6B, 0x4B, 0x212A]  // k K, Kelvin sign
            case 0x73: return [0x73, 0x53, 0x17F]  // s S ſ
            default: return [lower, lower & ~0x20]
            }
        default: return [c]
        }
    }

    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar {
        func single(_ mapping: String) -> Unicode.Scalar? {
            let scalars = mapping.unicodeScalars
            return scalars.count == 1 ? scalars.first : nil
        }
        let upper = single(s.properties.uppercaseMapping) ?? s
        return single(upper.properties.lowercaseMapping) ?? upper
    }

    /// Groups of two or more scalars that fold together, built once on first use (tens of milliseconds).
    struct Table: Sendable {
        var orbits: [[UInt32]] = []
        var orbitIndex: [UInt32: Int] = [:]

        func orbit(containing c: UInt32) -> [UInt32]? { orbitIndex[c].map { orbits[$0] } }
    }

    static let table: Table = {
        var byFold: [UInt32: [UInt32]] = [:]
        for c in UInt32(0)..<0x2_0000 {  // no scalar above the Adlam block (U+1E900) has a case mapping
            guard let s = Unicode.Scalar(c), s.properties.changesWhenCaseMapped else { continue }
            let f = fold(s).value
            if f != c { byFold[f, default: [f]].append(c) }
        }
        var table = Table()
        for (_, orbit) in byFold.sorted(by: { $0.key < $1.key }) {
            for c in orbit { table.orbitIndex[c] = table.orbits.count }
            table.orbits.append(orbit)
        }
        return table
    }()
}
