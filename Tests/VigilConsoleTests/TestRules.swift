import Foundation
import VigilDetect

/// A small rule set pinned for the console's tests, so snapshots do not change when the built-in pack does.
/// Written to a temporary folder and loaded like any `--rules` folder.
enum TestRules {
    static let files: [String: String] = [
        "secret-scanner.yml": rule(
            "Access key verified by a secret scanner", "c0750001-0000-4000-8000-000000000001", "high",
            selection: "eventSource: sts.amazonaws.com\n        eventName: GetCallerIdentity\n        userAgent|contains: TruffleHog",
            explanation: "A secret scanner checked whether this access key works.",
            why: "The key has leaked and someone has just confirmed it is live.",
            steps: ["disable-access-key", "hunt-related-activity"]),
        "user-created.yml": rule(
            "IAM user created", "c0750001-0000-4000-8000-000000000002", "medium",
            selection: "eventSource: iam.amazonaws.com\n        eventName: CreateUser",
            explanation: "A principal created a new IAM user.",
            why: "A new user is a quiet way to keep access after the first credential is revoked.",
            steps: ["review-iam-changes"]),
        "access-key-created.yml": rule(
            "Access key created for an IAM user", "c0750001-0000-4000-8000-000000000003", "high",
            selection: "eventSource: iam.amazonaws.com\n        eventName: CreateAccessKey",
            explanation: "A principal created a long-term access key.",
            why: "A new key gives lasting access that survives a password reset.",
            steps: ["disable-access-key"]),
        "snapshot-shared.yml": rule(
            "EBS snapshot shared", "c0750001-0000-4000-8000-000000000004", "high",
            selection: "eventSource: ec2.amazonaws.com\n        eventName: ModifySnapshotAttribute",
            explanation: "A snapshot's permissions were changed, possibly sharing it with another account.",
            why: "A shared snapshot is a copy of a disk, and of its data, outside your control.",
            steps: ["revoke-snapshot-sharing"]),
        "logging-stopped.yml": rule(
            "CloudTrail logging stopped", "c0750001-0000-4000-8000-000000000005", "critical",
            selection: "eventSource: cloudtrail.amazonaws.com\n        eventName:\n            - StopLogging\n            - DeleteTrail",
            explanation: "Someone turned off a CloudTrail trail.",
            why: "Attackers stop logging right before the actions they want to hide.",
            steps: ["restore-logging", "contain-principal"]),
        "access-denied.yml": rule(
            "API calls denied", "c0750001-0000-4000-8000-000000000006", "low",
            selection: "errorCode|startswith: AccessDenied",
            explanation: "Calls were refused for lack of permission.",
            why: "Many refusals in a row are what enumeration with a stolen credential looks like.",
            steps: ["hunt-related-activity"]),
    ]

    static func rule(_ title: String, _ id: String, _ level: String, selection: String, explanation: String, why: String,
                     steps: [String]) -> String {
        """
        title: \(title)
        id: \(id)
        status: test
        tags:
            - attack.persistence
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                \(selection)
            condition: selection
        falsepositives:
            - Planned administration.
        level: \(level)
        vigil:
            explanation: \(explanation)
            why: \(why)
            next_steps: [\(steps.joined(separator: ", "))]

        """
    }

    /// The rules, compiled (GuardDuty findings in the input pass through as findings too). The folder has a
    /// fixed name because findings show where their rule came from, and snapshots show findings.
    static let set: RuleSet = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-console-test-rules")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try? text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let rules = RuleSet.load(includeBuiltIn: false, paths: [folder.path])
        precondition(rules.errors.isEmpty, "\(rules.errors)")
        return rules
    }()
}
