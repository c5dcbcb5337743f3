/// Which finding a (rule, principal) pair folds into: an open-addressing table from a nonzero 64-bit key to a
/// finding index.
///
/// The fold asks it for nearly every rule match (most rules fold on the principal); a `Dictionary` spent more on
/// hashing the key than the fold spent on the match itself.
struct FoldIndex {
    private var keys: [UInt64] = Array(repeating: 0, count: 1024)
    private var values: [Int32] = Array(repeating: 0, count: 1024)
    private var count = 0

    @inline(__always)
    private static func home(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The finding index stored for `key` (which must not be 0).
    @inline(__always)
    subscript(key: UInt64) -> Int? {
        let mask = keys.count - 1
        var i = Self.home(key, mask)
        while true {
            let k = keys[i]
            if k == key { return Int(values[i]) }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` for `key` (which must not be 0), replacing what was there.
    mutating func set(_ key: UInt64, _ value: Int) {
        precondition(key != 0, "0 marks an empty slot")
        if 2 * (count + 1) > keys.count { grow() }
        let mask = keys.count - 1
        var i = Self.home(key, mask)
        while keys[i] != 0, keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 { count += 1 }
        keys[i] = key
        values[i] = Int32(value)
    }

    private mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        count = 0
        for i in oldKeys.indices where oldKeys[i] != 0 { set(oldKeys[i], Int(oldValues[i])) }
    }
}
