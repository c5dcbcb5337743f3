/// One step of a compiled program. Scalar tests consume one scalar of text; the rest are free (epsilon) moves.
struct RegexInstruction: Sendable {
    enum Opcode: UInt8, Sendable {
        case scalar  // x
        case scalarPair  // x or y: a case-insensitive letter such as `a`/`A`
        case set  // ScalarSet number x
        case any  // any scalar, or a stray byte of malformed UTF-8
        case anyExceptNewline
        case split  // continue at both x and y
        case jump  // continue at x
        case assertion  // RegexAssertion with raw value x
        case match
    }

    var opcode: Opcode
    var x: UInt32 = 0
    var y: UInt32 = 0
}

/// A pattern compiled to instructions for the Pike VM in RegexMatcher, plus what RegexLiterals found to search for.
struct RegexProgram: Sendable {
    /// Bounds the matcher's per-call memory and time factor; `(a{1000}){1000}` would otherwise need a million.
    static let maxInstructions = 100_000

    let instructions: [RegexInstruction]
    let sets: [ScalarSet]
    /// Starts with `\A` (or `^` without multiline), so only position 0 can start a match.
    let anchoredAtStart: Bool
    let literals: RegexLiterals
    let startBytes: RegexStartBytes?

    init(compiling tree: RegexTree) throws(RegexSyntaxError) {
        var compiler = Compiler(sets: tree.sets)
        try compiler.emit(tree.root)
        try compiler.append(RegexInstruction(opcode: .match))
        instructions = compiler.instructions
        sets = compiler.sets
        if case .assertion(.startOfText) = tree.root.sequence.first { anchoredAtStart = true } else { anchoredAtStart = false }
        literals = RegexLiterals(tree.root)
        startBytes = RegexStartBytes(instructions, sets: sets)
    }
}

/// Emits instructions for a tree, throwing once the program outgrows `RegexProgram.maxInstructions`, so a huge
/// counted repetition fails before it takes memory.
private struct Compiler {
    var instructions: [RegexInstruction] = []
    var sets: [ScalarSet]
    /// Sets made for case-insensitive scalars with three or more variants (`k`, `K`, Kelvin sign), one per scalar
    /// however often a repetition emits it.
    private var variantSets: [UInt32: UInt32] = [:]

    init(sets: [ScalarSet]) { self.sets = sets }

    @discardableResult
    mutating func append(_ instruction: RegexInstruction) throws(RegexSyntaxError) -> Int {
        guard instructions.count < RegexProgram.maxInstructions else {
            throw RegexSyntaxError("pattern is too large: it needs more than \(RegexProgram.maxInstructions) instructions", at: 0)
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private var next: UInt32 { UInt32(instructions.count) }

    mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty:
            break
        case .scalar(let c, let ignoringCase):
            let variants = ignoringCase ? CaseFolding.variants(of: c) : [c]
            switch variants.count {
            case 1: try append(RegexInstruction(opcode: .scalar, x: c))
            case 2: try append(RegexInstruction(opcode: .scalarPair, x: variants[0], y: variants[1]))
            default:
                if variantSets[c] == nil {
                    sets.append(ScalarSet(ranges: variants.map { $0...$0 }))
                    variantSets[c] = UInt32(sets.count - 1)
                }
                try append(RegexInstruction(opcode: .set, x: variantSets[c]!))
            }
        case .set(let index):
            try append(RegexInstruction(opcode: .set, x: UInt32(index)))
        case .anyScalar(let includingNewline):
            try append(RegexInstruction(opcode: includingNewline ? .any : .anyExceptNewline))
        case .assertion(let kind):
            try append(RegexInstruction(opcode: .assertion, x: kind.rawValue))
        case .concatenation(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            // split L1, L2 / L1: a; jump end / L2: split L2a, L3 … / last branch / end:
            var exits: [Int] = []
            for branch in branches.dropLast() {
                let split = try append(RegexInstruction(opcode: .split, x: next + 1))
                try emit(branch)
                exits.append(try append(RegexInstruction(opcode: .jump)))
                instructions[split].y = next
            }
            try emit(branches[branches.count - 1])
            for exit in exits { instructions[exit].x = next }
        case .repetition(let body, let min, let max):
            try emitRepetition(body, min: min, max: max)
        }
    }

    private mutating func emitRepetition(_ body: RegexNode, min: Int, max: Int?) throws(RegexSyntaxError) {
        guard let max else {
            if min == 0 {  // L: split body, end / body / jump L / end:
                let loop = try append(RegexInstruction(opcode: .split, x: next + 1))
                try emit(body)
                try append(RegexInstruction(opcode: .jump, x: UInt32(loop)))
                instructions[loop].y = next
            } else {  // body × (min - 1) / L: body / split L, end
                for _ in 1..<min { try emit(body) }
                let loop = next
                try emit(body)
                try append(RegexInstruction(opcode: .split, x: loop, y: next + 1))
            }
            return
        }
        for _ in 0..<min { try emit(body) }
        // Optional copies nest: skipping one skips all later ones, so every split can exit straight to the end.
        var skips: [Int] = []
        for _ in min..<max {
            skips.append(try append(RegexInstruction(opcode: .split, x: next + 1)))
            try emit(body)
        }
        for skip in skips { instructions[skip].y = next }
    }
}
