/// The built-in forensic-workstation checklist: what a responder should have in place before touching evidence.
///
/// Written for Vigil. It stands in until the casework module brings playbooks; the ids are stable so ticks
/// can later be carried into a case file.
enum WorkstationChecklist {
    static let section = "Forensic workstation"

    static let items: [ChecklistItem] = [
        item("account", "Dedicated forensics account",
             "Evidence and tools live outside the compromised account, out of reach of whoever holds its admin rights.",
             "aws organizations create-account --email forensics@example.com --account-name forensics"),
        item("role", "Read-only cross-account role into the affected account",
             "Responders can look without being able to change anything, and the role cannot be turned against the account.",
             "aws iam create-role --role-name ForensicsReadOnly --assume-role-policy-document file://forensics-trust.json && aws iam attach-role-policy --role-name ForensicsReadOnly --policy-arn arn:aws:iam::aws:policy/SecurityAudit"),
        item("ami", "Hardened, patched base AMI for the workstation",
             "A known-good image keeps the analysis machine from contaminating evidence or being doubted in court.",
             "aws ec2 describe-images --owners self --filters Name=tag:purpose,Values=forensics"),
        item("tools", "Forensic tools installed on the AMI",
             "Capture and analysis tools staged in advance save hours while volatile evidence is disappearing.",
             "sudo apt-get install -y sleuthkit ewf-tools dc3dd yara"),
        item("vpc", "Isolated VPC with no route to production or the internet",
             "Malware on a captured disk cannot call home or spread from an analysis network that goes nowhere.",
             "aws ec2 create-vpc --cidr-block 10.250.0.0/16 --tag-specifications 'ResourceType=vpc,Tags=[{Key=purpose,Value=forensics}]'"),
        item("bucket", "Evidence bucket with S3 Object Lock",
             "Write-once storage shows that nothing collected was altered or deleted afterwards.",
             "aws s3api create-bucket --bucket example-forensic-evidence --object-lock-enabled-for-bucket"),
        item("memory", "Memory capture tool ready (AVML or LiME)",
             "Keys, processes and network connections live in memory and are gone after a reboot; capture them first.",
             "sudo ./avml /mnt/evidence/$(hostname)-memory.lime"),
        item("disk", "Disk capture by EBS snapshot",
             "A snapshot freezes the disk at a point in time without logging in to the suspect instance.",
             "aws ec2 create-snapshot --volume-id VOLUME_ID --description 'evidence: CASE_ID' --tag-specifications 'ResourceType=snapshot,Tags=[{Key=case,Value=CASE_ID}]'"),
        item("hashing", "Hash every item as it is collected",
             "A SHA-256 taken at collection lets anyone verify later that the evidence is unchanged.",
             "sha256sum /mnt/evidence/* | tee /mnt/evidence/SHA256SUMS"),
        item("custody", "Chain-of-custody log started",
             "Recording who handled each item, when and why keeps the evidence usable for legal or disciplinary action.",
             nil),
    ]

    private static func item(_ key: String, _ title: String, _ why: String, _ command: String?) -> ChecklistItem {
        ChecklistItem(id: "workstation." + key, title: title, why: why, command: command, section: section)
    }
}
