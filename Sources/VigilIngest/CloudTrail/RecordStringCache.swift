#if canImport(Glibc)
import Glibc
#endif
import VigilCore

/// Reuses the `String`s of values that repeat from record to record (event sources and names, regions, ARNs,
/// user agents), so that reading them allocates nothing. Short strings are stored inline by Swift anyway and are
/// not cached; one slot per hash, the newest value wins.
struct RecordStringCache {
    private static let slots = 1024
    private var values = [String?](repeating: nil, count: RecordStringCache.slots)

    /// The string value of `ref` (numbers and booleans as written), from the cache when it is there.
    @inline(__always)
    mutating func string(_ b: UnsafeRawBufferPointer, _ ref: JSONRef) -> String? {
        let length = ref.count - 2
        guard ref.kind == .string, !ref.hasEscapes, length > 15, length <= 256 else { return CloudTrailRecord.string(b, ref) }
        let start = ref.start + 1
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in start..<(start + length) { hash = (hash ^ UInt64(b[k])) &* 0x0000_0100_0000_01B3 }
        let slot = Int(truncatingIfNeeded: (hash ^ (hash >> 29)) & UInt64(Self.slots - 1))
        if var cached = values[slot], cached.utf8.count == length {
            let same = cached.withUTF8 { memcmp($0.baseAddress!, b.baseAddress! + start, length) == 0 }
            if same { return cached }
        }
        let fresh = String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<(start + length)]), as: UTF8.self)
        values[slot] = fresh
        return fresh
    }
}
