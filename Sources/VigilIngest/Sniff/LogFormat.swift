/// The shapes of input Vigil recognises, decided from content.
public enum LogFormat: String, Sendable, CaseIterable {
    case cloudTrail = "CloudTrail"
    case cloudTrailDigest = "CloudTrail digest"
    /// CloudWatch Logs exports and `filter-log-events` / subscription output: a container of `message` strings.
    case cloudWatchLogs = "CloudWatch Logs export"
    /// CloudWatch Logs' S3 export: each line a timestamp, a space, then the message.
    case timestampedLines = "timestamped log lines"
    case flowLogs = "VPC flow logs"
    case guardDuty = "GuardDuty findings"
    case resolverQueryLogs = "Route 53 resolver query logs"
    case sshdAuth = "sshd auth log"
    case empty = "empty"
    case unknown = "unknown"
}
