/// Writes the bundled sample dataset: the ``LeakedAccessKeyScenario`` incident buried in a day of normal activity,
/// in the file shapes AWS delivers (CloudTrail S3 layout, VPC flow logs v2 and v5, GuardDuty CLI output and
/// EventBridge events, Route 53 Resolver query logs, sshd `auth.log`), with a `scenario.md` describing it.
///
/// The output depends only on the seed: two runs write byte-identical files.
public struct SampleDataGenerator: Sendable {
    public struct Summary: Sendable, Equatable {
        /// The scenario folder written (`<output>/leaked-access-key`).
        public var folder: String
        public var cloudTrailFiles: Int
        /// CloudTrail records written, counting the deliberately duplicated ones twice.
        public var cloudTrailRecords: Int
        public var flowRecords: Int
        public var dnsQueries: Int
        /// Findings in the CLI output plus EventBridge events (some are the same finding).
        public var findingRecords: Int
        public var authLines: Int
        /// Paths relative to ``folder``, sorted.
        public var files: [String]
        public var bytes: Int

        public var totalEvents: Int { cloudTrailRecords + flowRecords + dnsQueries + findingRecords + authLines }
    }

    public static let defaultSeed: UInt64 = 20_260_310
    public let seed: UInt64

    public init(seed: UInt64 = SampleDataGenerator.defaultSeed) { self.seed = seed }

    /// Writes `<sampleDataFolder>/leaked-access-key/`, replacing what was there.
    @discardableResult
    public func write(to sampleDataFolder: String) throws -> Summary {
        let root = FileOutput.join(sampleDataFolder, LeakedAccessKeyScenario.folderName)
        try FileOutput.removeTree(root)
        try FileOutput.makeDirectories(root)

        let trail = SampleCloudTrail(seed: seed)
        trail.backgroundActivity()
        trail.attack()
        let ct = try trail.write(to: root, trailStopped: LeakedAccessKeyScenario.loggingStopped.seconds...LeakedAccessKeyScenario.loggingRestarted.seconds)

        var network = SampleNetwork(seed: seed)
        let net = try network.write(to: root)
        var findings = SampleFindings(seed: seed)
        let findingCount = try findings.write(to: root)
        var auth = SampleAuthLog(seed: seed)
        let authCount = try auth.write(to: root)

        var summary = Summary(folder: root, cloudTrailFiles: ct.files, cloudTrailRecords: ct.records, flowRecords: net.flows,
                              dnsQueries: net.queries, findingRecords: findingCount, authLines: authCount, files: [], bytes: 0)
        try FileOutput.write(Array(ScenarioText.markdown(summary).utf8), to: FileOutput.join(root, "scenario.md"))
        summary.files = FileOutput.listFiles(root)
        summary.bytes = summary.files.reduce(0) { $0 + FileOutput.fileSize(FileOutput.join(root, $1)) }
        return summary
    }
}
