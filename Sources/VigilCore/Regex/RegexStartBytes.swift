/// The bytes a match can start with, so the matcher can skip text where no match can begin instead of stepping
/// through it (RE2 does the same). For `(?i)\bpowershell` that is `p` and `P`.
struct RegexStartBytes: Sendable {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Nil when skipping cannot help or could be wrong: the pattern can match empty text or start with `.`, or a
    /// first item could match a stray byte of malformed UTF-8 (an inverted set), which may sit anywhere.
    /// Otherwise every start byte is ASCII or a UTF-8 lead byte, so a skip always lands on a scalar boundary.
    init?(_ code: [RegexInstruction], sets: [ScalarSet]) {
        var seen = Set<Int>(), pending = [0]
        while let pc = pending.popLast() {
            guard seen.insert(pc).inserted else { continue }
            let instruction = code[pc]
            switch instruction.opcode {
            case .match, .any, .anyExceptNewline: return nil
            case .jump: pending.append(Int(instruction.x))
            case .split: pending += [Int(instruction.x), Int(instruction.y)]
            case .assertion: pending.append(pc + 1)  // assume it holds: a superset is still correct
            case .scalar: insertFirstByte(of: instruction.x)
            case .scalarPair:
                insertFirstByte(of: instruction.x)
                insertFirstByte(of: instruction.y)
            case .set:
                let set = sets[Int(instruction.x)]
                if set.isInverted || set.properties.contains(where: { [.notDigit, .notWord, .notSpace].contains($0) }) {
                    return nil
                }
                for c in UInt32(0)..<0x80 where set.contains(c) { insert(UInt8(c)) }
                if !set.properties.isEmpty || set.ranges.contains(where: { $0.upperBound >= 0x80 }) {
                    for lead in UInt8(0xC2)...0xF4 { insert(lead) }
                }
            }
        }
    }

    @inline(__always) func contains(_ byte: UInt8) -> Bool {
        let word = switch byte >> 6 {
        case 0: bits.0
        case 1: bits.1
        case 2: bits.2
        default: bits.3
        }
        return word >> (byte & 63) & 1 != 0
    }

    /// The first position at or after `start` holding a start byte, or nil.
    func firstIndex(in text: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i < text.count {
            if contains(text[i]) { return i }
            i += 1
        }
        return nil
    }

    private mutating func insertFirstByte(of c: UInt32) {
        insert(Array(String(Unicode.Scalar(c)!).utf8)[0])
    }

    private mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << (byte & 63)
        switch byte >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }
}
