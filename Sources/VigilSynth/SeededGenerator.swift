/// A small, fast, seeded pseudo-random generator (SplitMix64) whose output depends only on the seed.
///
/// Everything the generators write is drawn from one of these, through the helpers below, which are
/// implemented here (not with the standard library's `random(in:using:)` or `shuffle(using:)`, whose
/// algorithms may change between Swift versions) so that a seed gives the same bytes on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one item of a family (a file index, a principal…), independent of the others.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededGenerator(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        state = mixer.next() ^ (stream &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`bound` > 0).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    public mutating func int(in range: Range<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound)
    }

    /// A uniform double in `0..<1`.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Fisher–Yates, with this generator's own bounded draws.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        var i = items.count - 1
        while i > 0 {
            let j = below(i + 1)
            if i != j { items.swapAt(i, j) }
            i -= 1
        }
    }

    static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
    static let upperAlnum: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    static let mixedAlnum: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `count` lowercase hex digits.
    public mutating func hex(_ count: Int) -> String { string(count, from: Self.lowerHex) }

    /// `count` characters of the alphabet AWS uses in key ids (`A–Z`, `2–7`).
    public mutating func keyChars(_ count: Int) -> String { string(count, from: Self.upperAlnum) }

    /// `count` characters from `A–Z a–z 0–9` (CloudTrail file name suffixes).
    public mutating func alphanumeric(_ count: Int) -> String { string(count, from: Self.mixedAlnum) }

    /// A version-4-shaped UUID in lowercase: `8-4-4-4-12`.
    public mutating func uuid() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendUUID(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a version-4-shaped UUID (36 bytes) to `out`.
    public mutating func appendUUID(to out: inout [UInt8]) {
        let a = next(), b = next()
        let hex = Self.lowerHex
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            var nibble: Int
            if i == 12 {
                nibble = 4
            } else if i < 16 {
                nibble = Int((a >> UInt64(60 - 4 * i)) & 0xF)
            } else {
                nibble = Int((b >> UInt64(60 - 4 * (i - 16))) & 0xF)
                if i == 16 { nibble = 8 | (nibble & 3) }
            }
            out.append(hex[nibble])
        }
    }

    private mutating func string(_ count: Int, from alphabet: [UInt8]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        for _ in 0..<count { bytes.append(alphabet[below(alphabet.count)]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Draws indices with given relative weights (cumulative table + binary search).
public struct WeightedPicker: Sendable {
    public let cumulative: [Double]

    public init(weights: [Double]) {
        precondition(!weights.isEmpty, "no weights")
        var running = 0.0
        var table: [Double] = []
        table.reserveCapacity(weights.count)
        for w in weights {
            running += max(0, w)
            table.append(running)
        }
        precondition(running > 0, "weights sum to zero")
        cumulative = table
    }

    /// Zipf-like weights `1 / (rank + 1)^exponent` for `count` items, the first the most popular.
    public static func zipf(count: Int, exponent: Double = 1.0) -> WeightedPicker {
        WeightedPicker(weights: (0..<count).map { 1.0 / portablePow(Double($0 + 1), exponent) })
    }

    public var count: Int { cumulative.count }

    public func pick(_ rng: inout SeededGenerator) -> Int {
        let target = rng.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// `x^y` for the positive arguments used in weight tables, computed with plain arithmetic so that the
/// result (and so every weighted draw) is the same on every platform, whatever its libm.
func portablePow(_ x: Double, _ y: Double) -> Double {
    if y == 1 { return x }
    return portableExp2(y * portableLog2(x))
}

private func portableLog2(_ x: Double) -> Double {
    // Natural log by argument reduction and a series; precise enough for weights.
    var m = x
    var e = 0.0
    while m >= 2 { m /= 2; e += 1 }
    while m < 1 { m *= 2; e -= 1 }
    // ln(m) with m in [1, 2): atanh series on (m-1)/(m+1)
    let t = (m - 1) / (m + 1), t2 = t * t
    var term = t, sum = 0.0, k = 1.0
    for _ in 0..<30 { sum += term / k; term *= t2; k += 2 }
    return e + 2 * sum / 0.693_147_180_559_945_3
}

private func portableExp2(_ x: Double) -> Double {
    let whole = x.rounded(.down)
    let frac = x - whole
    // e^(frac·ln2) by series
    let y = frac * 0.693_147_180_559_945_3
    var term = 1.0, sum = 1.0
    for k in 1..<30 { term *= y / Double(k); sum += term }
    var scale = 1.0
    if whole >= 0 { for _ in 0..<Int(whole) { scale *= 2 } } else { for _ in 0..<Int(-whole) { scale /= 2 } }
    return sum * scale
}
