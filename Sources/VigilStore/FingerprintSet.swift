import VigilCore

/// The record-id fingerprints a store has taken in since its duplicate check was last sealed: an open-addressing
/// set of non-zero 64-bit values.
///
/// A bulk load asks it about every record, on one thread; `Set<UInt64>` spent most of that time hashing
/// (SipHash) and checking its storage for uniqueness. Fingerprints come from attacker-written record ids, so the
/// bucket is chosen from the fingerprint mixed with the process's seed (``System/hashSeed``): colliding ids
/// cannot be prepared offline.
struct FingerprintSet: Sendable {
    /// Slots, a power of two many; 0 is an empty slot (fingerprints are never 0).
    private var slots: [UInt64] = []
    private(set) var count = 0
    private let seed = System.hashSeed

    var isEmpty: Bool { count == 0 }
    /// Memory held, in bytes.
    var footprint: Int { slots.capacity * 8 }

    @inline(__always)
    private static func home(_ fingerprint: UInt64, seed: UInt64, mask: Int) -> Int {
        var h = fingerprint ^ seed
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return Int(truncatingIfNeeded: h) & mask
    }

    /// Adds `fingerprint` (non-zero); false when it was already there.
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        precondition(fingerprint != 0, "fingerprints are never 0")
        if 2 * (count + 1) > slots.count { grow() }
        let seed = self.seed
        let inserted = slots.withUnsafeMutableBufferPointer { s -> Bool in
            let mask = s.count - 1
            var i = Self.home(fingerprint, seed: seed, mask: mask)
            while true {
                let entry = s[i]
                if entry == fingerprint { return false }
                if entry == 0 {
                    s[i] = fingerprint
                    return true
                }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Every fingerprint, in no particular order.
    var elements: [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(count)
        for entry in slots where entry != 0 { out.append(entry) }
        return out
    }

    mutating func removeAll() {
        slots = []
        count = 0
    }

    private mutating func grow() {
        let old = slots, seed = self.seed
        slots = [UInt64](repeating: 0, count: max(1024, old.count * 2))
        slots.withUnsafeMutableBufferPointer { s in
            let mask = s.count - 1
            for entry in old where entry != 0 {
                var i = Self.home(entry, seed: seed, mask: mask)
                while s[i] != 0 { i = (i + 1) & mask }
                s[i] = entry
            }
        }
    }
}

extension Array where Element == UInt64 {
    /// Sorted in place by a least-significant-digit radix sort (four passes of 16 bits): linear time for the
    /// million fingerprints of a large load, where a comparison sort took several times as long.
    mutating func radixSort() {
        let n = count
        guard n > 1 else { return }
        guard n >= 4096 else { sort(); return }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            for k in counts.indices { counts[k] = 0 }
            withUnsafeBufferPointer { source in
                for v in source { counts[Int(truncatingIfNeeded: (v >> shift) & 0xFFFF)] += 1 }
            }
            var total = 0
            for k in counts.indices {
                let c = counts[k]
                counts[k] = total
                total += c
            }
            withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    for v in source {
                        let digit = Int(truncatingIfNeeded: (v >> shift) & 0xFFFF)
                        target[counts[digit]] = v
                        counts[digit] += 1
                    }
                }
            }
            swap(&self, &scratch)
        }
    }
}
