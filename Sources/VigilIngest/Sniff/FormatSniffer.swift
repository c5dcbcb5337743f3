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
        let n = needle.utf8CodeUnitCount
        guard n > 0, haystack.count >= n else { return false }
        let p = needle.utf8Start
        let first = p[0]
        var i = 0
        let last = haystack.count - n
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < n, haystack[i + k] == p[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }
}
