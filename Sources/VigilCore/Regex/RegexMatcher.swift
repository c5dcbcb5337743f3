/// A Pike VM: runs a `RegexProgram` over UTF-8 text with all live threads advancing in lock step, one scalar at a
/// time. A thread is just an instruction index and each list holds an instruction at most once, so a search costs
/// O(text length × program size) whatever the pattern: there is no backtracking to explode.
struct RegexMatcher {
    /// Stands for a byte that is not part of well-formed UTF-8: matched by `.`, inverted classes and `\D \W \S`.
    static let invalidByte: UInt32 = 0x11_0000
    /// The "scalar" before the start or after the end of the text, for assertions.
    static let noScalar = UInt32.max

    private let code: UnsafeBufferPointer<RegexInstruction>
    private let sets: UnsafeBufferPointer<ScalarSet>
    private let text: UnsafeRawBufferPointer
    /// `marks[pc] == position` when `pc` is already on the list being built for `position`.
    private let marks: UnsafeMutablePointer<Int>
    private let stack: UnsafeMutablePointer<Int>
    private var current: UnsafeMutablePointer<Int>, upcoming: UnsafeMutablePointer<Int>

    /// Whether `program` matches anywhere in `text`.
    static func matches(_ program: RegexProgram, in text: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        let literals = program.literals
        if let required = literals.required {
            guard let found = LiteralSearch.firstIndex(of: required, in: text, from: 0) else { return false }
            if literals.requiredIsWholePattern { return true }
            if literals.requiredIsPrefix { start = found }
        }
        return program.instructions.withUnsafeBufferPointer { code in
            program.sets.withUnsafeBufferPointer { sets in
                // The only allocation per call: four lists the size of the program.
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * code.count) { scratch in
                    let base = scratch.baseAddress!
                    base.initialize(repeating: -1, count: code.count)
                    var matcher = RegexMatcher(code: code, sets: sets, text: text, marks: base, stack: base + code.count,
                                               current: base + 2 * code.count, upcoming: base + 3 * code.count)
                    return matcher.run(from: start, anchored: program.anchoredAtStart,
                                       prefix: literals.requiredIsPrefix ? literals.required : nil, startBytes: program.startBytes)
                }
            }
        }
    }

    /// Steps through the text from `start`. When no thread is alive the matcher jumps to the next occurrence of
    /// `prefix` (the literal every match starts with) or else of a start byte, or stops if a match can only start at 0.
    private mutating func run(from start: Int, anchored: Bool, prefix: LiteralNeedle?, startBytes: RegexStartBytes?) -> Bool {
        var position = start
        var previous = scalar(before: position)
        var (scalar, length) = decode(at: position)
        var live = 0
        while true {
            if live == 0 {  // nothing in progress: skip to where a match could start
                if anchored && position > 0 { return false }
                var skipTo = position
                if let prefix {
                    guard let found = LiteralSearch.firstIndex(of: prefix, in: text, from: position) else { return false }
                    skipTo = found
                } else if let startBytes, !anchored {
                    guard let found = startBytes.firstIndex(in: text, from: position) else { return false }
                    skipTo = found
                }
                if skipTo != position {
                    position = skipTo
                    previous = self.scalar(before: position)
                    (scalar, length) = decode(at: position)
                }
            }
            if !anchored || position == 0 {  // a new thread starts at every position (search semantics)
                if follow(0, into: current, count: &live, at: position, previous: previous, next: scalar) { return true }
            }
            if position == text.count { return false }
            let nextPosition = position + length
            let (nextScalar, nextLength) = decode(at: nextPosition)
            var nextLive = 0
            for k in 0..<live {
                let pc = current[k]
                if consumes(code[pc], scalar),
                   follow(pc + 1, into: upcoming, count: &nextLive, at: nextPosition, previous: scalar, next: nextScalar) {
                    return true
                }
            }
            swap(&current, &upcoming)
            live = nextLive
            previous = scalar
            (scalar, length) = (nextScalar, nextLength)
            position = nextPosition
        }
    }

    /// Adds `pc` and everything reachable from it without consuming text to `list`, stopping at scalar tests.
    /// Returns true on reaching `match`: only a yes/no answer is needed, so the first match ends the search.
    private func follow(_ pc: Int, into list: UnsafeMutablePointer<Int>, count: inout Int,
                        at position: Int, previous: UInt32, next: UInt32) -> Bool {
        guard marks[pc] != position else { return false }
        marks[pc] = position
        stack[0] = pc
        var depth = 1
        @inline(__always) func push(_ target: UInt32) {
            let t = Int(target)
            if marks[t] != position {  // marking on push keeps the stack within the program size
                marks[t] = position
                stack[depth] = t
                depth += 1
            }
        }
        while depth > 0 {
            depth -= 1
            let pc = stack[depth]
            let instruction = code[pc]
            switch instruction.opcode {
            case .match: return true
            case .jump: push(instruction.x)
            case .split:
                push(instruction.y)
                push(instruction.x)
            case .assertion:
                if holds(RegexAssertion(rawValue: instruction.x)!, at: position, previous: previous, next: next) {
                    push(UInt32(pc + 1))
                }
            case .scalar, .scalarPair, .set, .any, .anyExceptNewline:
                list[count] = pc
                count += 1
            }
        }
        return false
    }

    @inline(__always) private func consumes(_ instruction: RegexInstruction, _ c: UInt32) -> Bool {
        switch instruction.opcode {
        case .scalar: c == instruction.x
        case .scalarPair: c == instruction.x || c == instruction.y
        case .set: sets[Int(instruction.x)].contains(c)
        case .any: true  // never asked at the end of the text, so `c` is a scalar or `invalidByte`
        case .anyExceptNewline: c != 0x0A
        case .split, .jump, .assertion, .match: false
        }
    }

    private func holds(_ assertion: RegexAssertion, at position: Int, previous: UInt32, next: UInt32) -> Bool {
        switch assertion {
        case .startOfText: position == 0
        case .endOfText: position == text.count
        case .endOfTextOrFinalNewline: position == text.count || (position == text.count - 1 && next == 0x0A)
        case .startOfLine: position == 0 || previous == 0x0A
        case .endOfLine: position == text.count || next == 0x0A
        case .wordBoundary: isWord(previous) != isWord(next)
        case .notWordBoundary: isWord(previous) == isWord(next)
        }
    }

    private func isWord(_ c: UInt32) -> Bool { c != Self.noScalar && ScalarProperty.isWord(c) }

    // MARK: UTF-8

    /// The scalar starting at byte `i` and its length; `invalidByte` and 1 for malformed UTF-8, `noScalar` and 0 at the end.
    @inline(__always) private func decode(at i: Int) -> (UInt32, Int) {
        guard i < text.count else { return (Self.noScalar, 0) }
        let b0 = text[i]
        return b0 < 0x80 ? (UInt32(b0), 1) : decodeMultibyte(at: i)
    }

    private func decodeMultibyte(at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(text[i])
        let length = b0 >= 0xC2 && b0 < 0xE0 ? 2 : b0 >= 0xE0 && b0 < 0xF0 ? 3 : b0 >= 0xF0 && b0 < 0xF5 ? 4 : 0
        guard length > 0, i + length <= text.count else { return (Self.invalidByte, 1) }
        let b1 = UInt32(text[i + 1])
        // The second byte's range also rules out overlong forms, surrogates and values past U+10FFFF.
        let b1Range: ClosedRange<UInt32> = switch b0 {
        case 0xE0: 0xA0...0xBF
        case 0xED: 0x80...0x9F
        case 0xF0: 0x90...0xBF
        case 0xF4: 0x80...0x8F
        default: 0x80...0xBF
        }
        guard b1Range.contains(b1) else { return (Self.invalidByte, 1) }
        var value = (b0 & (0x7F >> UInt32(length))) << 6 | b1 & 0x3F
        for k in 2..<max(length, 2) {
            let b = UInt32(text[i + k])
            guard b & 0xC0 == 0x80 else { return (Self.invalidByte, 1) }
            value = value << 6 | b & 0x3F
        }
        return (value, length)
    }

    /// The scalar ending just before byte `i`, for assertions after a jump.
    private func scalar(before i: Int) -> UInt32 {
        guard i > 0 else { return Self.noScalar }
        var start = i - 1
        while start > max(0, i - 4), text[start] & 0xC0 == 0x80 { start -= 1 }
        let (c, length) = decode(at: start)
        return start + length == i ? c : Self.invalidByte
    }
}
