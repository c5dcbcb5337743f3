import VigilCore

/// Decides a buffer's format from its first bytes, never from the file name.
public enum FormatSniffer {
    /// How many bytes are enough to decide.
    static let sampleSize = 64 * 1024

    public static func sniff(_ data: UnsafeRawBufferPointer) -> LogFormat {
        var start = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { start = 3 }
        while start < data.count, JSONScanner.isWhitespace(data[start]) { start += 1 }
        guard start < data.count else { return .empty }
        let sample = UnsafeRawBufferPointer(rebasing: data[start..<min(data.count, start + sampleSize)])
        let first = sample[0]
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            if contains(sample, "\"digestStartTime\"") && contains(sample, "\"logFiles\"") { return .cloudTrailDigest }
            if contains(sample, "\"CloudTrailEvent\"") { return .cloudTrail }
            if contains(sample, "\"logEvents\"") || (contains(sample, "\"events\"") && contains(sample, "\"message\"")
                && (contains(sample, "\"logStreamName\"") || contains(sample, "\"ingestionTime\""))) {
                return .cloudWatchLogs
            }
            if GuardDutyReader.looksLike(sample) { return .guardDuty }
            if ResolverQueryLogReader.looksLike(sample) { return .resolverQueryLogs }
            if contains(sample, "\"eventVersion\"") || contains(sample, "\"eventName\"") || contains(sample, "\"Records\"") {
                return .cloudTrail
            }
            return .unknown
        }
        if FlowLogReader.looksLike(sample) { return .flowLogs }
        if SSHDAuthLogReader.looksLike(sample) { return .sshdAuth }
        if CloudWatchLogsUnwrapper.looksTimestamped(sample) { return .timestampedLines }
        return .unknown
    }

    /// Plain byte substring search (the markers are ASCII).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        find(haystack, needle, from: 0) != nil
    }

    /// The offset of the first `needle` at or after `from`. The sample is 64 kB and a CloudTrail file is searched
    /// for up to six markers it does not hold, so sixteen places are tried at once: only where the needle's
    /// second and last bytes both match (its first is a quote, everywhere in JSON) are all bytes compared.
    static func find(_ haystack: UnsafeRawBufferPointer, _ needle: StaticString, from: Int) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0, let base = haystack.baseAddress, from >= 0, haystack.count - from >= n else { return nil }
        let p = UnsafeRawPointer(needle.utf8Start)
        let last = haystack.count - n
        @inline(__always) func matches(_ at: Int) -> Bool {
            for k in 0..<n where base.load(fromByteOffset: at + k, as: UInt8.self) != p.load(fromByteOffset: k, as: UInt8.self) {
                return false
            }
            return true
        }
        var i = from
        if n >= 2 {
            let a = SIMD16<UInt8>(repeating: p.load(fromByteOffset: 1, as: UInt8.self))
            let z = SIMD16<UInt8>(repeating: p.load(fromByteOffset: n - 1, as: UInt8.self))
            // Candidates i...i+15 read bytes up to i + 15 + (n - 1), which must stay inside the haystack.
            while i + 15 <= last {
                let hits = ((base + i + 1).loadUnaligned(as: SIMD16<UInt8>.self) .== a)
                    .& ((base + i + n - 1).loadUnaligned(as: SIMD16<UInt8>.self) .== z)
                if any(hits) {
                    for k in 0..<16 where hits[k] && matches(i + k) { return i + k }
                }
                i += 16
            }
        }
        while i <= last {
            if matches(i) { return i }
            i += 1
        }
        return nil
    }
}
