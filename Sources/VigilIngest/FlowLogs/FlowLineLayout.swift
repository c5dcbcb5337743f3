import VigilCore

/// Where each field sits in a flow-log line of one format, for the straight-line parse of data lines.
///
/// Parsing column by column through a `switch` carried every field's value from one token to the next, and
/// the compiler spent more instructions moving that state around than reading bytes. With the columns known
/// per header, a line is split into token offsets first and then each field is read from its own token.
struct FlowLineLayout {
    /// Per ``FlowLogField`` (by raw value): the column it is in, or -1.
    private var columnOf: [Int8]
    /// The number of columns.
    let count: Int
    /// Whether the straight-line parse applies: no field the reader uses appears twice (when one does, the
    /// column-by-column parse keeps its last value and checks every copy).
    let isSimple: Bool

    init(_ columns: [FlowLogField]) {
        var columnOf = [Int8](repeating: -1, count: FlowLogField.allCases.count)
        var simple = columns.count <= FlowLineTokens.capacity
        for (k, field) in columns.enumerated() where Self.isRead(field) {
            if columnOf[Int(field.rawValue)] >= 0 { simple = false }
            columnOf[Int(field.rawValue)] = Int8(truncatingIfNeeded: k)
        }
        self.columnOf = columnOf
        count = columns.count
        isSimple = simple
    }

    /// The column of `field`, or -1 when the format does not have it.
    @inline(__always)
    func column(_ field: FlowLogField) -> Int { Int(columnOf[Int(field.rawValue)]) }

    /// Whether the reader takes a value from the field (the others are only counted).
    static func isRead(_ field: FlowLogField) -> Bool {
        switch field {
        case .type, .azID, .sublocationType, .sublocationID, .packetSourceAWSService, .packetDestinationAWSService,
             .trafficPath, .ecs, .rejectReason, .unknown: false
        default: true
        }
    }
}

/// The start and end offsets of a line's space- or tab-separated tokens, in a buffer reused line after line.
final class FlowLineTokens {
    /// Tokens recorded per line; a line may have more (they are counted, not recorded). Headers name at most 64.
    static let capacity = 64
    private let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * FlowLineTokens.capacity)
    /// How many tokens the last line split had.
    private(set) var count = 0

    deinit { offsets.deallocate() }

    @inline(__always) func start(_ k: Int) -> Int { Int(offsets[2 * k]) }
    @inline(__always) func end(_ k: Int) -> Int { Int(offsets[2 * k + 1]) }

    /// Splits a line of `n` bytes at runs of spaces and tabs.
    @inline(__always)
    func split(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0, k = 0
        while true {
            while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            if i == n { break }
            let s = i
            i = Self.separator(p, from: s + 1, n)
            if k < Self.capacity {
                offsets[2 * k] = Int32(truncatingIfNeeded: s)
                offsets[2 * k + 1] = Int32(truncatingIfNeeded: i)
            }
            k += 1
        }
        count = k
    }

    /// The offset of the first space or tab at or after `i`, or `n`: eight bytes at a time while eight remain
    /// in the line (tokens average about eight bytes, so this is one or two steps instead of a step a byte).
    @inline(__always)
    static func separator(_ p: UnsafePointer<UInt8>, from start: Int, _ n: Int) -> Int {
        var i = start
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let bits = separatorBits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if bits != 0 { return i + bits.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < n, p[i] != 0x20, p[i] != 0x09 { i += 1 }
        return i
    }

    /// The high bit of each byte of `w` (little-endian) that is a space or a tab; bytes above the first such
    /// byte may be marked wrongly (a borrow runs upwards), so only the lowest mark is to be trusted.
    @inline(__always)
    static func separatorBits(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let space = w ^ (ones &* 0x20), tab = w ^ (ones &* 0x09)
        return ((space &- ones) & ~space | (tab &- ones) & ~tab) & (ones &* 0x80)
    }
}
