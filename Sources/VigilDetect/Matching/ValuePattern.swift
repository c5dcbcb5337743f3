import VigilCore

/// One compiled value test of a field condition, applied to one value of the field.
///
/// Text comparisons are on UTF-8 bytes, folded to lower case unless the rule said `|cased`.
enum ValuePattern: Sendable {
    case equals([UInt8])
    case prefix([UInt8])
    case suffix([UInt8])
    case contains([UInt8])
    case glob(Glob)
    case regex(SafeRegex)
    case cidr(CIDRBlock)
    case compare(Comparison, Double)
    /// `null`: the field is absent or JSON null (handled by the matcher, which sees absence).
    case null
    /// `|exists: true/false` (handled by the matcher).
    case exists(Bool)
    /// `|fieldref`: equal to (or, with `contains`/`startswith`/`endswith`, containing…) a value of another field
    /// (handled by the matcher).
    case fieldReference(FieldAccessor, Position)
    /// `|intel`: the value is on a loaded threat-intelligence list.
    case intel(String)

    enum Comparison: String, Sendable { case gt, gte, lt, lte }
    enum Position: Sendable { case whole, contains, prefix, suffix }

    /// Builds the pattern for a Sigma string with `*`/`?` wildcards (`\` escapes them).
    static func wildcard(_ text: String, cased: Bool) -> ValuePattern {
        let glob = Glob(text, cased: cased)
        switch glob.shape {
        case .literal(let l): return .equals(l)
        case .prefix(let l): return .prefix(l)
        case .suffix(let l): return .suffix(l)
        case .contains(let l): return .contains(l)
        case .general: return .glob(glob)
        }
    }

    /// Tests one (already case-folded where required) value.
    func matches(_ value: [UInt8], original: String, intel: ThreatIntel?) -> Bool {
        switch self {
        case .equals(let l): return value == l
        case .prefix(let l): return value.starts(with: l)
        case .suffix(let l): return value.count >= l.count && value[(value.count - l.count)...].elementsEqual(l)
        case .contains(let l): return l.isEmpty || value.withUnsafeBytes { ByteSearch.contains($0, l) }
        case .glob(let g): return g.matches(value)
        case .regex(let r): return r.matches(original)
        case .cidr(let block):
            guard let address = IPAddress(original) else { return false }
            return block.contains(address)
        case .compare(let op, let threshold):
            guard let n = Double(original) else { return false }
            switch op {
            case .gt: return n > threshold
            case .gte: return n >= threshold
            case .lt: return n < threshold
            case .lte: return n <= threshold
            }
        case .intel(let list): return intel?.contains(original, list: list) ?? false
        case .null, .exists, .fieldReference: return false
        }
    }

    /// Whether `matches` needs the value folded to lower case.
    var usesFoldedBytes: Bool {
        switch self {
        case .equals, .prefix, .suffix, .contains, .glob: true
        default: false
        }
    }
}

/// A Sigma wildcard pattern: `*` any run of characters, `?` one character, `\*` `\?` `\\` literal.
struct Glob: Sendable {
    enum Piece: Sendable, Equatable { case literal([UInt8]), star, one }
    enum Shape { case literal([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8]), general }

    let pieces: [Piece]

    init(_ text: String, cased: Bool) {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        func flush() { if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] } }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\\"), i + 1 < bytes.count, [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "\\")].contains(bytes[i + 1]) {
                literal.append(bytes[i + 1])
                i += 2
                continue
            }
            if c == UInt8(ascii: "*") {
                flush()
                if pieces.last != .star { pieces.append(.star) }
            } else if c == UInt8(ascii: "?") {
                flush()
                pieces.append(.one)
            } else {
                literal.append(cased ? c : asciiLower(c))
            }
            i += 1
        }
        flush()
        if !cased {
            // Non-ASCII letters fold through String (rare in AWS logs; ASCII took the fast path above).
            pieces = pieces.map { piece in
                if case .literal(let l) = piece, l.contains(where: { $0 >= 0x80 }) { return .literal(foldCase(l)) }
                return piece
            }
        }
        self.pieces = pieces
    }

    var shape: Shape {
        switch pieces.count {
        case 0: return .literal([])
        case 1:
            if case .literal(let l) = pieces[0] { return .literal(l) }
            if pieces[0] == .star { return .contains([]) }
        case 2:
            if case .literal(let l) = pieces[0], pieces[1] == .star { return .prefix(l) }
            if case .literal(let l) = pieces[1], pieces[0] == .star { return .suffix(l) }
        case 3:
            if pieces[0] == .star, pieces[2] == .star, case .literal(let l) = pieces[1] { return .contains(l) }
        default: break
        }
        return .general
    }

    /// Matches the whole value. Iterative with one backtrack point per star: O(n·m) at worst, no recursion.
    func matches(_ value: [UInt8]) -> Bool {
        var p = 0, v = 0
        var starP = -1, starV = 0
        while v < value.count || p < pieces.count {
            if p < pieces.count {
                switch pieces[p] {
                case .star:
                    starP = p
                    starV = v
                    p += 1
                    continue
                case .one:
                    if v < value.count {
                        v += Self.scalarLength(value[v])
                        p += 1
                        continue
                    }
                case .literal(let l):
                    if v + l.count <= value.count, value[v..<(v + l.count)].elementsEqual(l) {
                        v += l.count
                        p += 1
                        continue
                    }
                }
            }
            guard starP >= 0, starV < value.count else { return false }
            starV += 1
            v = starV
            p = starP + 1
        }
        return true
    }

    private static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    }
}

/// Lower-cases UTF-8 text: ASCII by table, anything else through String.
func foldCase(_ bytes: [UInt8]) -> [UInt8] {
    if !bytes.contains(where: { $0 >= 0x80 }) { return bytes.map(asciiLower) }
    return Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
}
