import VigilCore

/// How serious a finding is: the same scale as GuardDuty's (info, low, medium, high, critical).
public typealias Severity = FindingFields.Severity

extension FindingFields.Severity {
    /// Parses a Sigma `level` (`informational`, `low`, `medium`, `high`, `critical`) or Vigil's short `info`.
    public init?(sigmaLevel text: String) {
        switch text.lowercased() {
        case "informational", "info": self = .info
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        case "critical": self = .critical
        default: return nil
        }
    }
}
