/// The detectors Vigil runs by default.
///
/// Detectors that report more than one kind of finding (new-terms dimensions, brute-force stages, DNS checks)
/// are made once per kind, each with its own rule id and template, because the engine takes a hit's rule from
/// the detector that reported it.
public enum StandardDetectors {
    public static func make(intel: ThreatIntel) -> [any Detector] {
        var detectors: [any Detector] = FirstSeenDetector.Dimension.allCases.map { FirstSeenDetector(dimension: $0) }
        detectors += [
            InstanceCredentialsOutsideDetector(),
            PortScanDetector(),
            BruteForceDetector(stage: .attempts),
            BruteForceDetector(stage: .success),
            MiningPoolDetector(),
            OutboundVolumeDetector(),
        ]
        detectors += DNSAnalyticsDetector.Check.allCases.map { DNSAnalyticsDetector(check: $0) }
        // With no lists loaded it would never fire; leaving it out spares the engine a call per event.
        if !intel.isEmpty { detectors.append(ThreatListDetector(intel: intel)) }
        return detectors
    }
}
