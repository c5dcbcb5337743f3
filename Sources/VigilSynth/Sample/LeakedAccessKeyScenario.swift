import VigilCore

/// The facts of the bundled sample incident (`sample-data/leaked-access-key/`), for tests, drills and docs.
///
/// A developer's long-term access key leaks; an attacker verifies it, enumerates the account, creates a
/// backdoor administrator, shares EBS snapshots with an outside account, briefly stops CloudTrail and runs a
/// GPU crypto-miner in an unused region. Separately, an SSH brute force against the bastion succeeds.
/// All times are UTC on 2026-03-10 unless they say otherwise.
public enum LeakedAccessKeyScenario {
    /// The scenario's folder name under `sample-data/`.
    public static let folderName = "leaked-access-key"

    public static let accountID = "111122223333"
    /// The attacker's own AWS account, which the snapshots are shared with.
    public static let attackerAccountID = "444455556666"
    /// The company's disaster-recovery account: a legitimate snapshot share goes there.
    public static let disasterRecoveryAccountID = "777788889999"

    // MARK: The leaked key
    public static let leakedUserName = "jordan.reyes"
    public static let leakedUserARN = "arn:aws:iam::111122223333:user/jordan.reyes"
    public static let leakedAccessKeyID = "AKIAQ3EXAMPLE7LEAKXZ"
    /// Where the developer legitimately works from (the office egress address).
    public static let developerOfficeIP = "192.0.2.34"

    // MARK: The attacker
    /// The address that first tried the key (a secret scanner, user agent `TruffleHog`).
    public static let scannerIP = "203.0.113.45"
    /// The address the attack was run from.
    public static let attackerIP = "203.0.113.77"
    /// The address the attacker came back from the next morning.
    public static let attackerReturnIP = "203.0.113.201"
    public static let attackerIPs = [scannerIP, attackerIP, attackerReturnIP]
    public static let scannerUserAgent = "TruffleHog"
    public static let attackerUserAgent = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.15.0-97-generic md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69"

    /// The IAM user the attacker created, given `AdministratorAccess` and a console password.
    public static let backdoorUserName = "svc-backup-sync"
    public static let backdoorUserARN = "arn:aws:iam::111122223333:user/svc-backup-sync"
    public static let backdoorAccessKeyID = "AKIAQ3EXAMPLEBKDR7YV"
    /// The snapshots shared with ``attackerAccountID``.
    public static let exfiltratedSnapshotIDs = ["snap-0f1e2d3c4b5a69788", "snap-0a9b8c7d6e5f40312"]
    public static let stoppedTrailARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events"

    // MARK: The miner
    public static let miningRegion = "ap-southeast-2"
    public static let miningInstanceID = "i-0a7f3c9e21b4d5f68"
    public static let miningInstanceType = "g4dn.12xlarge"
    public static let miningInstancePrivateIP = "172.31.18.44"
    public static let miningInstancePublicIP = "192.0.2.240"
    public static let miningPoolDomain = "pool.supportxmr.example"
    public static let miningPoolIP = "198.51.100.142"
    public static let failoverPoolDomain = "xmr-asia1.nanopool.example"
    public static let failoverPoolIP = "198.51.100.143"
    public static let miningPorts = [3333, 14444, 4444]

    // MARK: The SSH intrusion
    public static let bastionInstanceID = "i-0b5a1c2d3e4f50607"
    public static let bastionHostName = "bastion"
    public static let bastionPrivateIP = "10.20.0.10"
    public static let bastionPublicIP = "192.0.2.10"
    public static let bruteForceIP = "198.51.100.23"
    public static let secondBruteForceIP = "198.51.100.61"
    /// The local account whose password was guessed.
    public static let compromisedSSHUser = "deploy"

    // MARK: Times (epoch seconds, UTC)
    static let day0: Int64 = 1_773_100_800  // 2026-03-10T00:00:00Z

    static func at(_ hour: Int, _ minute: Int, _ second: Int, nextDay: Bool = false) -> Int64 {
        day0 + (nextDay ? 86_400 : 0) + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The first and last instants of the dataset.
    public static let dataStart = Timestamp(seconds: at(6, 0, 0))
    public static let dataEnd = Timestamp(seconds: at(6, 0, 0, nextDay: true))
    /// The scanner's `GetCallerIdentity` with the leaked key.
    public static let keyFirstMisused = Timestamp(seconds: at(13, 58, 41))
    /// The attacker's first call (`GetCallerIdentity` from ``attackerIP``); enumeration follows until 14:39.
    public static let attackStart = Timestamp(seconds: at(14, 31, 7))
    public static let backdoorUserCreated = Timestamp(seconds: at(14, 44, 2))
    public static let backdoorKeyCreated = Timestamp(seconds: at(14, 44, 31))
    public static let adminPolicyAttached = Timestamp(seconds: at(14, 45, 10))
    public static let backdoorConsoleLogin = Timestamp(seconds: at(14, 58, 20))
    public static let snapshotShared = Timestamp(seconds: at(14, 53, 40))
    public static let minerLaunched = Timestamp(seconds: at(15, 7, 44))
    public static let firstPoolLookup = Timestamp(seconds: at(15, 11, 58))
    public static let loggingStopped = Timestamp(seconds: at(15, 20, 5))
    public static let loggingRestarted = Timestamp(seconds: at(15, 21, 52))
    public static let bruteForceStart = Timestamp(seconds: at(15, 50, 2))
    public static let sshPasswordAccepted = Timestamp(seconds: at(16, 12, 44))
    /// The attacker's check on the miner the next morning, from ``attackerReturnIP``.
    public static let attackerReturn = Timestamp(seconds: at(3, 10, 26, nextDay: true))
}
