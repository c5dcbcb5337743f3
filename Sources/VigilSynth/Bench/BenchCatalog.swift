/// The fixed vocabulary of the benchmark dataset: principals, services and actions, resources and regions,
/// each with Zipf-like popularity. Built once from the seed; every fragment is pre-encoded as bytes.
struct BenchCatalog: Sendable {
    static let account = "111122223333"

    struct Principal: Sendable {
        /// `"userIdentity":{…}` value bytes.
        var identity: [UInt8]
        var arn: String
        var sourceIP: [UInt8]
        var userAgents: [[UInt8]]
        var isService: Bool
        var console: Bool
    }

    struct Action: Sendable {
        var service: String
        var name: String
        var eventSource: [UInt8]
        var eventName: [UInt8]
        var readOnly: Bool
        var dataEvent: Bool
        var signIn: Bool
        var pool: Int
        var parameter: [UInt8]
        /// Extra `requestParameters` members after the resource (starts with `,`), or empty.
        var extraParameters: [UInt8]
        /// `responseElements` as fragments with a value between each two (``responseSlots``); `null` when empty.
        var response: [[UInt8]]
        var responseSlots: [Slot]
        var resourceType: String?
    }

    enum Slot: Sendable { case uuid, key, resource }

    struct Pool: Sendable {
        var type: String
        var items: [[UInt8]]
        var picker: WeightedPicker
    }

    var principals: [Principal] = []
    var principalPicker: WeightedPicker
    var actions: [Action] = []
    var actionPicker: WeightedPicker
    var pools: [Pool] = []
    var regions: [[UInt8]]
    var regionPicker: WeightedPicker

    static let userNames = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia",
        "peggy", "rupert", "sybil", "trent", "victor", "walter", "yvonne", "zoe", "aaron", "bella", "chen", "diego", "emma",
        "farah", "gus", "hana", "igor", "jia", "kofi", "lena", "mateo", "nora", "omar", "pia", "quinn", "raj", "sofia",
        "tariq", "uma", "vera", "wei", "xena", "yusuf", "zara", "ben", "cleo", "dmitri", "elif", "femi", "gia", "hugo",
        "ines", "jon", "kai", "lin", "marta", "nils",
    ]

    static let words = [
        "orders", "billing", "search", "media", "auth", "ledger", "catalog", "inventory", "payments", "reports", "events",
        "gateway", "profile", "shipping", "pricing", "notify", "export", "import", "audit", "metrics", "cache", "queue",
        "batch", "stream", "index", "archive", "backup", "session", "tenant", "vault",
    ]

    static let services: [(String, [String])] = [
        ("ec2", ["DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeSnapshots", "DescribeImages", "DescribeSubnets",
                 "DescribeVpcs", "DescribeNetworkInterfaces", "DescribeInstanceStatus", "DescribeTags", "RunInstances", "TerminateInstances",
                 "StartInstances", "StopInstances", "CreateTags", "DeleteTags", "CreateSnapshot", "DeleteSnapshot", "ModifyInstanceAttribute",
                 "AuthorizeSecurityGroupIngress", "CreateSecurityGroup", "DescribeKeyPairs", "ImportKeyPair"]),
        ("s3", ["ListBuckets", "GetBucketAcl", "GetBucketPolicy", "GetBucketLocation", "GetBucketVersioning", "PutBucketPolicy", "CreateBucket",
                "DeleteBucket", "GetBucketEncryption", "PutBucketTagging", "GetObject", "PutObject", "DeleteObject", "HeadObject", "ListObjects"]),
        ("iam", ["GetUser", "ListUsers", "ListRoles", "GetRole", "ListAttachedRolePolicies", "ListPolicies", "GetPolicy", "GetPolicyVersion",
                 "CreateUser", "DeleteUser", "CreateRole", "DeleteRole", "AttachRolePolicy", "DetachRolePolicy", "CreateAccessKey",
                 "DeleteAccessKey", "ListAccessKeys", "PutRolePolicy", "UpdateAssumeRolePolicy", "ListGroups", "GetAccountSummary"]),
        ("sts", ["AssumeRole", "GetCallerIdentity", "GetSessionToken", "AssumeRoleWithWebIdentity"]),
        ("lambda", ["ListFunctions20150331", "GetFunction20150331v2", "UpdateFunctionCode20150331v2", "UpdateFunctionConfiguration20150331v2",
                    "CreateFunction20150331", "DeleteFunction20150331", "GetPolicy20150331v2"]),
        ("kms", ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey", "ListKeys", "ListAliases", "CreateGrant", "ScheduleKeyDeletion"]),
        ("logs", ["CreateLogStream", "DescribeLogGroups", "DescribeLogStreams", "FilterLogEvents", "GetLogEvents", "CreateLogGroup", "PutRetentionPolicy"]),
        ("monitoring", ["GetMetricData", "ListMetrics", "DescribeAlarms", "PutMetricAlarm", "DeleteAlarms"]),
        ("dynamodb", ["DescribeTable", "ListTables", "CreateTable", "UpdateTable", "DeleteTable", "DescribeContinuousBackups"]),
        ("rds", ["DescribeDBInstances", "DescribeDBClusters", "DescribeDBSnapshots", "CreateDBSnapshot", "ModifyDBInstance", "RebootDBInstance"]),
        ("ecs", ["DescribeServices", "DescribeTasks", "ListTasks", "UpdateService", "RegisterTaskDefinition", "DescribeTaskDefinition", "ListClusters", "RunTask"]),
        ("ecr", ["GetAuthorizationToken", "BatchCheckLayerAvailability", "InitiateLayerUpload", "CompleteLayerUpload", "PutImage", "DescribeImages", "DescribeRepositories"]),
        ("secretsmanager", ["GetSecretValue", "ListSecrets", "DescribeSecret", "PutSecretValue", "CreateSecret", "RotateSecret"]),
        ("ssm", ["GetParameter", "GetParameters", "GetParametersByPath", "PutParameter", "UpdateInstanceInformation", "DescribeInstanceInformation", "SendCommand", "StartSession"]),
        ("cloudtrail", ["DescribeTrails", "GetTrailStatus", "LookupEvents", "StopLogging", "StartLogging", "GetEventSelectors"]),
        ("cloudformation", ["DescribeStacks", "DescribeStackEvents", "ListStacks", "CreateStack", "UpdateStack", "DeleteStack", "GetTemplate"]),
        ("sns", ["ListTopics", "GetTopicAttributes", "CreateTopic", "Subscribe", "SetTopicAttributes"]),
        ("sqs", ["ListQueues", "GetQueueAttributes", "CreateQueue", "SetQueueAttributes", "DeleteQueue"]),
        ("route53", ["ListHostedZones", "GetHostedZone", "ChangeResourceRecordSets", "ListResourceRecordSets"]),
        ("elasticloadbalancing", ["DescribeLoadBalancers", "DescribeTargetGroups", "DescribeTargetHealth", "RegisterTargets", "DeregisterTargets", "ModifyListener"]),
        ("autoscaling", ["DescribeAutoScalingGroups", "UpdateAutoScalingGroup", "SetDesiredCapacity", "DescribeScalingActivities"]),
        ("guardduty", ["ListDetectors", "ListFindings", "GetFindings", "GetDetector", "ArchiveFindings"]),
        ("config", ["DescribeConfigRules", "PutEvaluations", "DescribeComplianceByConfigRule", "GetResourceConfigHistory"]),
        ("organizations", ["DescribeOrganization", "ListAccounts", "DescribeAccount"]),
        ("signin", ["ConsoleLogin"]),
        ("athena", ["StartQueryExecution", "GetQueryExecution", "GetQueryResults", "ListWorkGroups"]),
        ("glue", ["GetTables", "GetTable", "GetDatabases", "CreateTable", "StartJobRun", "GetJobRun"]),
        ("kinesis", ["DescribeStream", "ListStreams", "CreateStream"]),
        ("apigateway", ["GetRestApis", "GetStages", "CreateDeployment"]),
        ("sso", ["ListAccountRoles", "GetRoleCredentials"]),
        ("ce", ["GetCostAndUsage", "GetCostForecast"]),
        ("servicequotas", ["GetServiceQuota", "ListServiceQuotas"]),
    ]

    static let regionNames = [
        "us-east-1", "us-west-2", "eu-west-1", "us-east-2", "eu-central-1", "ap-southeast-2", "ap-northeast-1", "eu-west-2",
        "ap-southeast-1", "ca-central-1", "ap-south-1", "eu-north-1", "sa-east-1", "us-west-1", "eu-west-3", "ap-northeast-2",
        "ap-northeast-3",
    ]

    static let agents = [
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances",
        "aws-cli/2.13.4 Python/3.11.4 Darwin/23.3.0 exe/x86_64 prompt/off command/s3.ls",
        "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.209-198.858.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.51",
        "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard",
        "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/dynamodb#1.30.3",
        "APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.50.32 (go1.21.8; linux; amd64)",
        "aws-sdk-nodejs/2.1540.0 linux/v20.11.1 exec-env/AWS_Lambda_nodejs20.x promise",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "aws-sdk-go/1.44.302 (go1.21.8; linux; amd64) amazon-ssm-agent/3.3.131.0",
        "Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#5.10.209-220.834.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.34",
        "Grafana/10.3.3 AWS-SDK-Go/1.50.8 (go1.21.7; linux; amd64)",
    ]

    static let awsServices = [
        "ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "autoscaling.amazonaws.com", "config.amazonaws.com",
        "cloudformation.amazonaws.com", "elasticloadbalancing.amazonaws.com", "s3.amazonaws.com", "logs.amazonaws.com",
        "monitoring.amazonaws.com", "rds.amazonaws.com", "dynamodb.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com",
        "sqs.amazonaws.com", "kms.amazonaws.com", "ssm.amazonaws.com", "guardduty.amazonaws.com", "access-analyzer.amazonaws.com",
        "backup.amazonaws.com", "dlm.amazonaws.com", "trustedadvisor.amazonaws.com", "athena.amazonaws.com", "glue.amazonaws.com",
        "firehose.amazonaws.com", "apigateway.amazonaws.com", "states.amazonaws.com", "codebuild.amazonaws.com",
        "securityhub.amazonaws.com", "AWS Internal",
    ]

    init(seed: UInt64) {
        var rng = SeededGenerator(seed: seed, stream: 0xCA7A_1065)
        regions = Self.regionNames.map { Array($0.utf8) }
        regionPicker = WeightedPicker.zipf(count: regions.count, exponent: 1.3)

        // Resource pools.
        func pool(_ type: String, _ count: Int, _ make: (inout SeededGenerator, Int) -> String) -> Pool {
            var items: [[UInt8]] = []
            for i in 0..<count { items.append(Array(make(&rng, i).utf8)) }
            return Pool(type: type, items: items, picker: WeightedPicker.zipf(count: count, exponent: 0.9))
        }
        let w = Self.words
        pools = [
            pool("AWS::EC2::Instance", 600) { r, _ in "i-0" + r.hex(16) },
            pool("AWS::S3::Bucket", 180) { r, i in "acme-\(w[i % w.count])-\(w[(i / w.count + 3) % w.count])-\(r.hex(6))" },
            pool("AWS::IAM::Role", 220) { _, i in "\(w[i % w.count])-\(["api", "worker", "etl", "deploy", "readonly", "admin", "lambda"][i / w.count % 7])-role\(i < 210 ? "" : "-\(i)")" },
            pool("AWS::Lambda::Function", 200) { _, i in "\(w[i % w.count])-\(["handler", "processor", "sync", "resizer", "notifier", "cron", "webhook"][i / w.count % 7])\(i < 210 ? "" : "-\(i)")" },
            pool("AWS::KMS::Key", 60) { r, _ in "arn:aws:kms:us-east-1:\(Self.account):key/\(r.uuid())" },
            pool("AWS::Logs::LogGroup", 250) { _, i in "/aws/\(["lambda", "ecs", "apigateway", "rds"][i % 4])/\(w[i % w.count])-\(i)" },
            pool("AWS::DynamoDB::Table", 120) { _, i in "\(w[i % w.count])-\(["items", "state", "locks", "sessions"][i / w.count % 4])-\(i)" },
            pool("AWS::RDS::DBInstance", 40) { _, i in "\(w[i % w.count])-db-\(i)" },
            pool("AWS::ECS::Service", 150) { _, i in "\(w[i % w.count])-svc-\(i)" },
            pool("AWS::ECR::Repository", 90) { _, i in "\(w[i % w.count])/\(["api", "worker", "web"][i % 3])-\(i)" },
            pool("AWS::SecretsManager::Secret", 110) { r, i in "arn:aws:secretsmanager:us-east-1:\(Self.account):secret:prod/\(w[i % w.count])/\(i)-\(r.alphanumeric(6))" },
            pool("AWS::SSM::Parameter", 300) { _, i in "/\(["prod", "staging", "dev"][i % 3])/\(w[i % w.count])/setting-\(i)" },
            pool("AWS::CloudFormation::Stack", 90) { _, i in "\(w[i % w.count])-stack-\(i)" },
            pool("AWS::SNS::Topic", 80) { _, i in "arn:aws:sns:us-east-1:\(Self.account):\(w[i % w.count])-topic-\(i)" },
            pool("AWS::SQS::Queue", 100) { _, i in "https://sqs.us-east-1.amazonaws.com/\(Self.account)/\(w[i % w.count])-queue-\(i)" },
            pool("AWS::EC2::SecurityGroup", 160) { r, _ in "sg-0" + r.hex(16) },
            pool("AWS::EC2::Snapshot", 200) { r, _ in "snap-0" + r.hex(16) },
            pool("AWS::S3::Object", 400) { r, i in "data/\(w[i % w.count])/2026/03/\(r.hex(12)).json.gz" },
            pool("AWS::Route53::HostedZone", 30) { r, _ in "Z0" + r.keyChars(18) },
            pool("AWS::Glue::Table", 80) { _, i in "\(w[i % w.count])_\(["raw", "clean", "agg"][i % 3])_\(i)" },
        ]
        let poolIndex = Dictionary(uniqueKeysWithValues: pools.enumerated().map { ($0.element.type, $0.offset) })
        func poolFor(_ service: String, _ action: String) -> Int {
            let type: String = switch service {
            case "ec2": action.contains("Snapshot") ? "AWS::EC2::Snapshot" : action.contains("SecurityGroup") ? "AWS::EC2::SecurityGroup" : "AWS::EC2::Instance"
            case "s3": ["GetObject", "PutObject", "DeleteObject", "HeadObject"].contains(action) ? "AWS::S3::Object" : "AWS::S3::Bucket"
            case "iam", "sts", "organizations", "sso": "AWS::IAM::Role"
            case "lambda", "apigateway": "AWS::Lambda::Function"
            case "kms": "AWS::KMS::Key"
            case "logs", "monitoring": "AWS::Logs::LogGroup"
            case "dynamodb", "kinesis": "AWS::DynamoDB::Table"
            case "rds": "AWS::RDS::DBInstance"
            case "ecs", "elasticloadbalancing", "autoscaling": "AWS::ECS::Service"
            case "ecr": "AWS::ECR::Repository"
            case "secretsmanager": "AWS::SecretsManager::Secret"
            case "ssm", "config", "servicequotas", "ce": "AWS::SSM::Parameter"
            case "cloudformation", "cloudtrail", "guardduty": "AWS::CloudFormation::Stack"
            case "sns": "AWS::SNS::Topic"
            case "sqs": "AWS::SQS::Queue"
            case "route53": "AWS::Route53::HostedZone"
            default: "AWS::Glue::Table"
            }
            return poolIndex[type] ?? 0
        }
        let parameterNames: [String: String] = [
            "AWS::EC2::Instance": "instanceId", "AWS::EC2::Snapshot": "snapshotId", "AWS::EC2::SecurityGroup": "groupId",
            "AWS::S3::Bucket": "bucketName", "AWS::S3::Object": "key", "AWS::IAM::Role": "roleName", "AWS::Lambda::Function": "functionName",
            "AWS::KMS::Key": "keyId", "AWS::Logs::LogGroup": "logGroupName", "AWS::DynamoDB::Table": "tableName",
            "AWS::RDS::DBInstance": "dBInstanceIdentifier", "AWS::ECS::Service": "service", "AWS::ECR::Repository": "repositoryName",
            "AWS::SecretsManager::Secret": "secretId", "AWS::SSM::Parameter": "name", "AWS::CloudFormation::Stack": "stackName",
            "AWS::SNS::Topic": "topicArn", "AWS::SQS::Queue": "queueUrl", "AWS::Route53::HostedZone": "hostedZoneId", "AWS::Glue::Table": "name",
        ]

        // Actions, most popular first (reads before writes, shuffled within each group).
        var reads: [Action] = [], writes: [Action] = []
        for (service, names) in Self.services {
            for name in names {
                let readOnly = ["Get", "List", "Describe", "Head", "Lookup", "Filter", "BatchCheck", "Decrypt"].contains { name.hasPrefix($0) }
                let data = service == "s3" && ["GetObject", "PutObject", "DeleteObject", "HeadObject", "ListObjects"].contains(name)
                let p = poolFor(service, name)
                let type = pools[p].type
                var extra = ""
                switch (service, readOnly) {
                case ("ec2", true): extra = ",\"filterSet\":{},\"maxResults\":1000"
                case ("s3", _): extra = data ? ",\"Host\":\"s3.amazonaws.com\"" : ",\"Host\":\"s3.amazonaws.com\",\"acl\":\"\""
                case ("ecs", _): extra = ",\"cluster\":\"prod-cluster\""
                case ("logs", true): extra = ",\"startTime\":1772323200000,\"interleaved\":true"
                case (_, false): extra = ",\"tags\":[{\"key\":\"team\",\"value\":\"platform\"},{\"key\":\"cost-center\",\"value\":\"cc-4410\"}]"
                default: break
                }
                var response: [[UInt8]] = []
                var slots: [Slot] = []
                if !readOnly {
                    switch service {
                    case "ec2":
                        response = [Array("{\"requestId\":\"".utf8), Array("\",\"_return\":true,\"resourceId\":\"".utf8), Array("\",\"instancesSet\":{\"items\":[{\"instanceId\":\"".utf8), Array("\",\"currentState\":{\"code\":16,\"name\":\"running\"},\"previousState\":{\"code\":0,\"name\":\"pending\"}}]}}".utf8)]
                        slots = [.uuid, .resource, .resource]
                    case "iam":
                        response = [Array("{\"role\":{\"path\":\"/\",\"roleName\":\"".utf8), Array("\",\"roleId\":\"AROA".utf8), Array("\",\"arn\":\"arn:aws:iam::111122223333:role/".utf8), Array("\",\"createDate\":\"Mar 1, 2026, 10:00:00 AM\",\"assumeRolePolicyDocument\":\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D\"}}".utf8)]
                        slots = [.resource, .key, .resource]
                    default:
                        response = [Array("{\"requestId\":\"".utf8), Array("\",\"status\":\"SUCCEEDED\",\"resource\":\"".utf8), Array("\",\"arn\":\"".utf8), Array("\"}".utf8)]
                        slots = [.uuid, .resource, .resource]
                    }
                } else if service == "sts" && name.hasPrefix("Assume") {
                    response = [Array("{\"credentials\":{\"accessKeyId\":\"ASIA".utf8), Array("\",\"sessionToken\":\"IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQD".utf8), Array("\",\"expiration\":\"Mar 1, 2026, 6:00:00 PM\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROA".utf8), Array("\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/session\"}}".utf8)]
                    slots = [.key, .key, .key]
                }
                let action = Action(service: service, name: name, eventSource: Array("\(service).amazonaws.com".utf8), eventName: Array(name.utf8),
                                    readOnly: readOnly, dataEvent: data, signIn: service == "signin", pool: p,
                                    parameter: Array((parameterNames[type] ?? "name").utf8), extraParameters: Array(extra.utf8),
                                    response: response, responseSlots: slots,
                                    resourceType: ["kms", "sts"].contains(service) || data ? type : nil)
                if readOnly { reads.append(action) } else { writes.append(action) }
            }
        }
        rng.shuffle(&reads)
        rng.shuffle(&writes)
        // Interleave a little: the 3 most popular are reads, writes appear from rank ~5 on.
        var ordered: [Action] = []
        var ri = 0, wi = 0
        while ri < reads.count || wi < writes.count {
            let takeWrite = wi < writes.count && (ri >= reads.count || (ordered.count >= 4 && ordered.count % 3 == 0))
            if takeWrite { ordered.append(writes[wi]); wi += 1 } else { ordered.append(reads[ri]); ri += 1 }
        }
        actions = ordered
        actionPicker = WeightedPicker.zipf(count: actions.count, exponent: 1.05)

        // Principals: IAM users, SSO sessions, workload role sessions, AWS services.
        var list: [Principal] = []
        let agents = Self.agents.map { Array($0.utf8) }
        func quoted(_ s: String) -> String { "\"" + s + "\"" }
        for name in Self.userNames {
            let pid = "AIDA" + rng.keyChars(17)
            let console = rng.chance(0.3)
            let key = (console ? "ASIA" : "AKIA") + rng.keyChars(16)
            let arn = "arn:aws:iam::\(Self.account):user/\(name)"
            var identity = "{\"type\":\"IAMUser\",\"principalId\":\(quoted(pid)),\"arn\":\(quoted(arn)),\"accountId\":\"\(Self.account)\",\"accessKeyId\":\(quoted(key)),\"userName\":\(quoted(name))"
            if console {
                identity += ",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"2026-03-01T08:00:00Z\",\"mfaAuthenticated\":\"true\"}}"
            }
            identity += "}"
            let ip = rng.pick(["192.0.2.\(rng.int(in: 1...254))", "198.51.100.\(rng.int(in: 1...254))", "203.0.113.\(rng.int(in: 1...254))",
                               "2001:db8:\(String(rng.int(in: 1...0xffff), radix: 16))::\(String(rng.int(in: 1...0xffff), radix: 16))"])
            list.append(Principal(identity: Array(identity.utf8), arn: arn, sourceIP: Array(ip.utf8),
                                  userAgents: console ? [agents[7], agents[8]] : [agents[rng.int(in: 0...2)], agents[5]],
                                  isService: false, console: console))
        }
        func role(_ roleName: String, path: String, session: String, ip: String, agentIndexes: [Int], provider: String? = nil) -> Principal {
            let roleID = "AROA" + rng.keyChars(17)
            let roleARN = "arn:aws:iam::\(Self.account):role/\(path)\(roleName)"
            let arn = "arn:aws:sts::\(Self.account):assumed-role/\(roleName)/\(session)"
            let federation = provider.map { "{\"federatedProvider\":\(quoted($0)),\"attributes\":{}}" } ?? "{}"
            let identity = "{\"type\":\"AssumedRole\",\"principalId\":\(quoted(roleID + ":" + session)),\"arn\":\(quoted(arn)),\"accountId\":\"\(Self.account)\",\"accessKeyId\":\"ASIA\(rng.keyChars(16))\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\(quoted(roleID)),\"arn\":\(quoted(roleARN)),\"accountId\":\"\(Self.account)\",\"userName\":\(quoted(roleName))},\"webIdFederationData\":\(federation),\"attributes\":{\"creationDate\":\"2026-03-01T08:00:00Z\",\"mfaAuthenticated\":\"false\"}}}"
            return Principal(identity: Array(identity.utf8), arn: arn, sourceIP: Array(ip.utf8), userAgents: agentIndexes.map { agents[$0] },
                             isService: false, console: false)
        }
        for name in Self.userNames {
            let set = rng.pick(["AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "DataScientist"])
            list.append(role("AWSReservedSSO_\(set)_\(rng.hex(16))", path: "aws-reserved/sso.amazonaws.com/", session: "\(name)@example.com",
                             ip: "192.0.2.\(rng.int(in: 1...254))", agentIndexes: [7, 8, 0]))
        }
        for i in 0..<150 {
            let roleName = String(decoding: pools[poolIndex["AWS::IAM::Role"] ?? 0].items[i], as: UTF8.self)
            let kind = i % 5
            let session = kind == 0 ? "i-0" + rng.hex(16) : kind == 1 ? roleName.replacing("-role", with: "") : kind == 2 ? rng.hex(32) : kind == 3 ? "gha-\(rng.int(in: 1_000_000...9_999_999))" : "botocore-session-\(rng.int(in: 1_700_000_000...1_780_000_000))"
            let agentIndexes = kind == 0 ? [9, 2] : kind == 1 ? [10, 6] : kind == 2 ? [3, 4] : kind == 3 ? [0, 5] : [2, 11]
            list.append(role(roleName, path: "", session: session, ip: "10.\(rng.int(in: 0...40)).\(rng.int(in: 0...255)).\(rng.int(in: 1...254))",
                             agentIndexes: agentIndexes,
                             provider: kind == 3 ? "arn:aws:iam::\(Self.account):oidc-provider/token.actions.githubusercontent.com" : nil))
        }
        for service in Self.awsServices {
            let identity = "{\"type\":\"AWSService\",\"invokedBy\":\(quoted(service))}"
            list.append(Principal(identity: Array(identity.utf8), arn: service, sourceIP: Array(service.utf8), userAgents: [Array(service.utf8)],
                                  isService: true, console: false))
        }
        rng.shuffle(&list)
        // The first users (alice, bob, carol, …) are busy people: ranks 5, 12, 19, … (alice ≈ 2–3% of records).
        for (i, name) in Self.userNames.prefix(20).enumerated() {
            let arn = "arn:aws:iam::\(Self.account):user/\(name)"
            if let from = list.firstIndex(where: { $0.arn == arn }) {
                let principal = list.remove(at: from)
                list.insert(principal, at: min(list.count, 5 + 7 * i))
            }
        }
        principals = list
        principalPicker = WeightedPicker.zipf(count: principals.count, exponent: 1.0)
    }
}
