import VigilCore

/// Normal activity in the account: people, pipelines, workloads and AWS services.
extension SampleCloudTrail {
    static let cliVersion = "aws-cli/2.15.30 Python/3.11.8 Darwin/23.3.0 exe/x86_64 prompt/off"
    static let ssmAgent = "aws-sdk-go/1.44.302 (go1.21.8; linux; amd64) amazon-ssm-agent/3.3.131.0"
    static let javaSDK = "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. md/internal exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard"
    static let lambdaBoto = "Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#5.10.209-220.834.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.34"
    static let grafanaAgent = "Grafana/10.3.3 AWS-SDK-Go/1.50.8 (go1.21.7; linux; amd64)"
    static let ciCLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-azure exe/x86_64.ubuntu.22 prompt/off"

    func backgroundActivity() {
        instanceProfiles()
        ssmAgents()
        ordersWorkload()
        thumbnailer()
        ciDeploys()
        grafana()
        awsConfig()
        trustedAdvisor()
        autoScaling()
        priyaSessions()
        marcusSessions()
        jordanWork()
        elenaSessions()
        samSessions()
    }

    // MARK: Workloads and services

    /// EC2 refreshing instance-profile credentials every few hours.
    func instanceProfiles() {
        for (n, instance) in World.instances.enumerated() {
            // Just before the SSM agent's hourly ping (see ``ssmAgents()``), which uses the fresh credentials.
            var t = World.start + Int64(n * 47)
            while t < World.end {
                serviceAssumeRole(t, service: "ec2.amazonaws.com", role: instance.role, session: instance.id, region: instance.region)
                t += 3 * 3600
            }
        }
    }

    /// The instance's role session at `t`: its key changes with each three-hourly credential refresh.
    func instanceCaller(_ instance: World.Instance, agent: String, at t: Int64) -> Caller {
        let slot = UInt64(max(0, t - World.start) / (3 * 3600))
        var keys = SeededGenerator(seed: UInt64(instance.privateIP.utf8.reduce(0) { $0 &* 31 &+ Int($1) }), stream: slot)
        return Caller(identity: .role(arn: World.roleARN(instance.role), roleID: roleIDs[instance.role] ?? "AROAQ3EXAMPLEAPPSRV01",
                               session: instance.id, sessionKey: "ASIA" + keys.keyChars(16), created: World.start + Int64(slot) * 10_800, mfa: false,
                               webIdentityProvider: nil),
               sourceIP: instance.privateIP, userAgent: agent, vpcEndpoint: World.ssmEndpoint, tlsVersion: "TLSv1.2")
    }

    /// The SSM agent's hourly `UpdateInstanceInformation` on every instance (through a VPC endpoint).
    func ssmAgents() {
        for (n, instance) in World.instances.enumerated() {
            var t = World.start + Int64(n * 47 + rng.int(in: 2...30))
            while t < World.end {
                let caller = instanceCaller(instance, agent: Self.ssmAgent, at: t)
                var c = call("ssm", "UpdateInstanceInformation", instance.region, params: jobj([
                    "instanceId": .string(instance.id), "agentVersion": .string("3.3.131.0"), "agentStatus": .string("Active"),
                    "platformType": .string("Linux"), "platformName": .string("Ubuntu"), "platformVersion": .string(instance.platform),
                    "iPAddress": .string(instance.privateIP), "computerName": .string("ip-" + instance.privateIP.replacing(".", with: "-")),
                    "agentName": .string("amazon-ssm-agent"), "availabilityZone": .string(instance.zone),
                    "availabilityZoneId": .string(instance.zoneID),
                ]))
                c.time = t
                emit(caller, c)
                t += 3600 + Int64(rng.int(in: -5...5))
            }
        }
    }

    var roleIDs: [String: String] {
        [
            "app-server-instance-role": "AROAQ3EXAMPLEAPPSRV01", "bastion-instance-role": "AROAQ3EXAMPLEBASTN02",
            "orders-api-task": "AROAQ3EXAMPLEORDRS03X", "media-thumbnailer-role": "AROAQ3EXAMPLETHUMB04X",
            "ci-deploy": "AROAQ3EXAMPLECIDPL05X", "trail-guardian-remediation": "AROAQ3EXAMPLETRLGD06X",
            "AWSServiceRoleForConfig": "AROAQ3EXAMPLECONFG07X", "AWSServiceRoleForTrustedAdvisor": "AROAQ3EXAMPLETRSTA08X",
            "AWSServiceRoleForAutoScaling": "AROAQ3EXAMPLEASCAL09X", "AWSReservedSSO_AdministratorAccess_5f3e2a1b9c8d7e6f": "AROAQ3EXAMPLESSOAD10X",
            "AWSServiceRoleForEC2DataLifecycle": "AROAQ3EXAMPLEDLMGR11X",
        ]
    }

    func roleCaller(_ role: String, path: String = "", session: String, ip: String, agent: String, created: Int64,
                    invokedBy: String? = nil, endpoint: String? = nil, provider: String? = nil, mfa: Bool = false) -> Caller {
        Caller(identity: .role(arn: "arn:aws:iam::\(World.account):role/\(path)\(role)", roleID: roleIDs[role] ?? "AROAQ3EXAMPLEUNKNW99X",
                               session: session, sessionKey: sessionKey(), created: created, mfa: mfa, webIdentityProvider: provider),
               sourceIP: ip, userAgent: agent, invokedBy: invokedBy, vpcEndpoint: endpoint)
    }

    /// The orders API (ECS Fargate task role): periodic exports to S3 with SSE-KMS, secrets refresh.
    func ordersWorkload() {
        for (region, bucket, key, nat, subnetIP) in [("us-east-1", World.exportsBucket, World.ordersKey, World.natIP, "10.20.1.77"),
                                                      ("eu-west-1", World.euExportsBucket, World.euOrdersKey, World.euNatIP, "10.30.1.64")] {
            var taskStart = World.start - 3600
            var task = roleCaller("orders-api-task", session: rng.hex(32), ip: nat, agent: Self.javaSDK, created: taskStart)
            var t = World.start + Int64(region == "us-east-1" ? rng.int(in: 60...400) : rng.int(in: 70...110))
            var lastSecret: Int64 = 0
            while t < World.end {
                let f = UTC.fields(t)
                if t - taskStart > 8 * 3600 {
                    // Task replaced: ECS assumes the task role for the new task.
                    taskStart = t - 40
                    let taskID = rng.hex(32)
                    serviceAssumeRole(taskStart, service: "ecs-tasks.amazonaws.com", role: "orders-api-task", session: taskID, region: region)
                    task = roleCaller("orders-api-task", session: taskID, ip: nat, agent: Self.javaSDK, created: taskStart)
                }
                if region == "us-east-1" && t - lastSecret > 3600 {
                    var s = call("secretsmanager", "GetSecretValue", region, params: jobj(["secretId": .string("prod/orders/db")]))
                    s.time = t - 2
                    s.resources = nil
                    emit(task, s)
                    lastSecret = t
                }
                let object = "exports/\(UTC.slashDate(t))/orders-\(f.hour < 10 ? "0" : "")\(f.hour)\(f.minute < 10 ? "0" : "")\(f.minute).csv.gz"
                var s3Caller = task
                s3Caller.sourceIP = subnetIP
                s3Caller.vpcEndpoint = region == "us-east-1" ? World.s3Endpoint : "vpce-0f9e8d7c6b5a40312"
                var put = s3Object("PutObject", bucket: bucket, key: object, region: region, bytesIn: rng.int(in: 40_000...900_000),
                                   params: ["x-amz-server-side-encryption": .string("aws:kms"),
                                            "x-amz-server-side-encryption-aws-kms-key-id": .string(key)],
                                   response: jobj(["x-amz-server-side-encryption": .string("aws:kms"),
                                                   "x-amz-server-side-encryption-aws-kms-key-id": .string(key)]))
                put.time = t
                emit(s3Caller, put)
                var kmsCaller = task
                kmsCaller.sourceIP = "s3.amazonaws.com"
                kmsCaller.userAgent = "s3.amazonaws.com"
                kmsCaller.invokedBy = "s3.amazonaws.com"
                var gen = call("kms", "GenerateDataKey", region, params: jobj([
                    "keyId": .string(key), "encryptionContext": jobj(["aws:s3:arn": .string("arn:aws:s3:::\(bucket)/\(object)")]),
                    "keySpec": .string("AES_256"),
                ]))
                gen.time = t
                gen.resources = kmsResource(key)
                gen.readOnly = true
                emit(kmsCaller, gen)
                let busy = (12...23).contains(f.hour) && region == "us-east-1"
                t += (busy ? 1800 : 3600) + Int64(rng.int(in: -20...20))
            }
        }
    }

    /// The media thumbnailer Lambda: one read and one write per upload, during the working day.
    func thumbnailer() {
        var coldStart: Int64 = 0
        var caller = roleCaller("media-thumbnailer-role", session: "media-thumbnailer", ip: World.lambdaIPs[0], agent: Self.lambdaBoto, created: World.start)
        var t = World.at(13, 2)
        while t < World.at(23, 30) {
            if t - coldStart > 5400 {
                coldStart = t - 1
                serviceAssumeRole(coldStart, service: "lambda.amazonaws.com", role: "media-thumbnailer-role", session: "media-thumbnailer", expiresIn: 43_200)
                caller = roleCaller("media-thumbnailer-role", session: "media-thumbnailer", ip: rng.pick(World.lambdaIPs), agent: Self.lambdaBoto, created: coldStart)
            }
            let id = rng.uuid()
            let size = rng.int(in: 180_000...4_800_000)
            var get = s3Object("GetObject", bucket: World.mediaBucket, key: "uploads/raw/\(id).jpg", bytesOut: size)
            get.time = t
            emit(caller, get)
            var put = s3Object("PutObject", bucket: World.mediaBucket, key: "uploads/thumbs/\(id)_256.jpg", bytesIn: size / 40)
            put.time = t + Int64(rng.int(in: 1...3))
            emit(caller, put)
            // Uploads arrive in batches (a merchant syncing a catalogue), a few seconds apart.
            t += rng.chance(0.85) ? Int64(rng.int(in: 4...40)) : Int64(rng.int(in: 900...2400))
        }
    }

    /// GitHub Actions deploying the orders API: OIDC federation, ECR push, ECS rollout.
    func ciDeploys() {
        let provider = "arn:aws:iam::\(World.account):oidc-provider/token.actions.githubusercontent.com"
        let subject = "repo:harborlight/orders-api:ref:refs/heads/main"
        for (n, (h, m)) in [(14, 5), (15, 42), (17, 10), (18, 55), (20, 30), (22, 15)].enumerated() {
            let start = World.at(h, m, rng.int(in: 0...59))
            let ip = rng.pick(World.githubRunnerIPs)
            let run = 8_812_340 + n * 17 + rng.int(in: 0...9)
            let session = "gha-orders-api-\(run)"
            let roleARN = World.roleARN("ci-deploy")
            var assume = APICall(start, "us-east-1", "sts", "AssumeRoleWithWebIdentity",
                                 params: jobj(["roleArn": .string(roleARN), "roleSessionName": .string(session),
                                               "durationSeconds": jnum(3600)]),
                                 response: jobj([
                                    "credentials": jobj(["accessKeyId": .string(sessionKey()),
                                                         "sessionToken": .string("IQoJb3JpZ2luX2VjE" + rng.alphanumeric(48)),
                                                         "expiration": .string(iamDate(start + 3600))]),
                                    "subjectFromWebIdentityToken": .string(subject),
                                    "assumedRoleUser": jobj(["assumedRoleId": .string("AROAQ3EXAMPLECIDPL05X:\(session)"),
                                                             "arn": .string("arn:aws:sts::\(World.account):assumed-role/ci-deploy/\(session)")]),
                                    "provider": .string(provider), "audience": .string("sts.amazonaws.com"),
                                 ]))
            assume.resources = roleResource(roleARN)
            assume.readOnly = true
            emit(Caller(identity: .webIdentity(provider: provider, subject: subject), sourceIP: ip,
                        userAgent: "aws-sdk-nodejs/2.1540.0 linux/v20.11.1 configure-aws-credentials-for-github-actions promise"), assume)
            var ci = roleCaller("ci-deploy", session: session, ip: ip, agent: Self.ciCLI + " command/ecr.get-login-password",
                                created: start, provider: provider)
            let repo = jobj(["repositoryName": .string("orders-api")])
            var calls: [APICall] = [call("ecr", "GetAuthorizationToken")]
            ci.userAgent = Self.ciCLI + " command/ecr.get-login-password"
            sequence(ci, from: start + 3, gap: 1...2, calls)
            ci.userAgent = "docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/6.5.0-1016-azure os/linux arch/amd64 UpstreamClient(Docker-Client/24.0.7 \\(linux\\))"
            let digest = "sha256:" + rng.hex(64)
            calls = [
                call("ecr", "BatchCheckLayerAvailability", params: repo),
                call("ecr", "InitiateLayerUpload", params: repo),
                call("ecr", "CompleteLayerUpload", params: repo),
                call("ecr", "InitiateLayerUpload", params: repo),
                call("ecr", "CompleteLayerUpload", params: repo),
                call("ecr", "PutImage", params: jobj(["repositoryName": .string("orders-api"), "imageTag": .string("main-\(rng.hex(7))"),
                                                      "imageManifestMediaType": .string("application/vnd.docker.distribution.manifest.v2+json")]),
                     response: jobj(["image": jobj(["repositoryName": .string("orders-api"), "imageId": jobj(["imageDigest": .string(digest)])])])),
            ]
            var t = sequence(ci, from: start + 40, gap: 2...25, calls)
            ci.userAgent = Self.ciCLI + " command/ecs.update-service"
            let revision = 140 + n
            let cluster = "orders-prod"
            calls = [
                call("ecs", "DescribeTaskDefinition", params: jobj(["taskDefinition": .string("orders-api")])),
                call("ecs", "RegisterTaskDefinition", params: jobj(["family": .string("orders-api"), "taskRoleArn": .string(World.roleARN("orders-api-task")),
                                                                    "networkMode": .string("awsvpc"), "cpu": .string("1024"), "memory": .string("2048")]),
                     response: jobj(["taskDefinition": jobj(["taskDefinitionArn": .string("arn:aws:ecs:us-east-1:\(World.account):task-definition/orders-api:\(revision)"),
                                                             "revision": jnum(revision)])])),
                call("ecs", "UpdateService", params: jobj(["cluster": .string(cluster), "service": .string("orders-api"),
                                                           "taskDefinition": .string("orders-api:\(revision)")])),
            ]
            t = sequence(ci, from: t + 5, gap: 1...4, calls)
            let describe = call("ecs", "DescribeServices", params: jobj(["cluster": .string(cluster), "services": jstrs(["orders-api"])]))
            t = sequence(ci, from: t + 15, gap: 15...15, Array(repeating: describe, count: rng.int(in: 3...6)))
            ci.userAgent = Self.ciCLI + " command/s3.cp"
            var artifact = s3Object("PutObject", bucket: World.artifactsBucket, key: "orders-api/\(run)/build-manifest.json", bytesIn: rng.int(in: 2_000...9_000))
            artifact.time = t + 4
            emit(ci, artifact)
        }
    }

    /// A dashboard service's read-only IAM user polling CloudWatch while someone has the dashboard open.
    func grafana() {
        let caller = Caller(identity: .iamUser(name: World.grafanaUser, principalID: "AIDAQ3EXAMPLEGRAFANA1", accessKey: World.grafanaKey),
                            sourceIP: "192.0.2.77", userAgent: Self.grafanaAgent, tlsVersion: "TLSv1.2")
        var n = 0
        for (from, to) in [(World.at(13, 0, 10), World.at(14, 30)), (World.at(19, 30, 40), World.at(21, 0))] {
            var t = from
            while t < to {
                var c = call("monitoring", n % 6 == 0 ? "ListMetrics" : "GetMetricData",
                             params: n % 6 == 0 ? jobj(["namespace": .string("AWS/ECS")]) : jobj([
                                "startTime": .string(iamDate(t - 10_800)), "endTime": .string(iamDate(t)),
                             ]))
                c.time = t
                emit(caller, c)
                n += 1
                t += 300 + Int64(rng.int(in: -3...3))
            }
        }
    }

    /// AWS Config recording configuration every six hours (and reacting to IAM changes, see the attack).
    func awsConfig() {
        for region in ["us-east-1", "eu-west-1"] {
            var t = World.at(6, 25, 0) + (region == "us-east-1" ? 0 : 420)
            while t < World.end {
                let caller = configCaller(region, created: t - 30)
                var calls = ["DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeNetworkInterfaces",
                             "DescribeVolumes"].map { call("ec2", $0, region, params: jobj(["maxResults": jnum(1000)])) }
                calls.append(call("rds", "DescribeDBInstances", region))
                if region == "us-east-1" {
                    calls.append(call("iam", "ListRoles", params: jobj(["maxItems": jnum(100)])))
                    calls.append(call("iam", "GetAccountAuthorizationDetails", params: jobj(["filter": jstrs(["User", "Role", "Group", "LocalManagedPolicy"])])))
                }
                sequence(caller, from: t, gap: 0...3, calls)
                t += 6 * 3600 + Int64(rng.int(in: -60...60))
            }
        }
    }

    func configCaller(_ region: String, created: Int64) -> Caller {
        roleCaller("AWSServiceRoleForConfig", path: "aws-service-role/config.amazonaws.com/", session: "AWSConfig-Describe",
                   ip: "config.amazonaws.com", agent: "config.amazonaws.com", created: created, invokedBy: "config.amazonaws.com")
    }

    /// Trusted Advisor checks (recorded with `AWS Internal` as the source).
    func trustedAdvisor() {
        for t in [World.at(7, 10, 12), World.at(19, 10, 40)] {
            let caller = roleCaller("AWSServiceRoleForTrustedAdvisor", path: "aws-service-role/trustedadvisor.amazonaws.com/",
                                    session: "TrustedAdvisor_\(World.account)_\(rng.uuid())", ip: "AWS Internal",
                                    agent: "AWS Internal", created: t - 5, invokedBy: "AWS Internal")
            var calls: [APICall] = [call("s3", "ListBuckets", params: jobj(["Host": .string("s3.amazonaws.com")]))]
            for bucket in World.buckets.prefix(4) {
                calls.append(call("s3", "GetBucketAcl", params: jobj(["bucketName": .string(bucket), "Host": .string("s3.amazonaws.com"), "acl": .string("")])))
                calls.append(call("s3", "GetBucketPolicyStatus", params: jobj(["bucketName": .string(bucket), "Host": .string("s3.amazonaws.com"), "policyStatus": .string("")])))
            }
            calls.append(call("ec2", "DescribeSecurityGroups"))
            calls.append(call("iam", "ListUsers"))
            calls.append(call("iam", "GetAccountPasswordPolicy").denied("NoSuchEntityException", "The Password Policy with domain name 111122223333 cannot be found."))
            sequence(caller, from: t, gap: 0...2, calls)
        }
    }

    /// The orders service scaling out in the afternoon and back in at night.
    func autoScaling() {
        let caller = roleCaller("AWSServiceRoleForAutoScaling", path: "aws-service-role/autoscaling.amazonaws.com/", session: "AutoScaling",
                                ip: "autoscaling.amazonaws.com", agent: "autoscaling.amazonaws.com", created: World.at(13, 20),
                                invokedBy: "autoscaling.amazonaws.com")
        let newInstance = "i-07a8b9c0d1e2f3a45"
        var run = call("ec2", "RunInstances", params: jobj([
            "instancesSet": jobj(["items": .array([jobj(["minCount": jnum(1), "maxCount": jnum(1)])])]),
            "launchTemplate": jobj(["launchTemplateId": .string("lt-0a9b8c7d6e5f43210"), "version": .string("7")]),
            "subnetId": .string(World.privateSubnet), "clientToken": .string(rng.uuid()),
            "tagSpecificationSet": jobj(["items": .array([jobj(["resourceType": .string("instance"), "tags": .array([
                jobj(["key": .string("aws:autoscaling:groupName"), "value": .string("orders-app-asg")])])])])]),
        ]), response: jobj([
            "requestId": .string(rng.uuid()), "reservationId": .string("r-0" + rng.hex(16)), "ownerId": .string(World.account),
            "requesterId": .string("940372691376"),
            "instancesSet": jobj(["items": .array([jobj(["instanceId": .string(newInstance), "instanceType": .string("m6i.large"),
                                                         "instanceState": jobj(["code": jnum(0), "name": .string("pending")]),
                                                         "privateIpAddress": .string("10.20.1.23")])])]),
        ]))
        run.time = World.at(13, 20, 33)
        emit(caller, run)
        var stop = call("ec2", "TerminateInstances", params: jobj(["instancesSet": jobj(["items": .array([jobj(["instanceId": .string(newInstance)])])])]),
                        response: jobj(["requestId": .string(rng.uuid()), "instancesSet": jobj(["items": .array([jobj([
                            "instanceId": .string(newInstance),
                            "currentState": jobj(["code": jnum(32), "name": .string("shutting-down")]),
                            "previousState": jobj(["code": jnum(16), "name": .string("running")]),
                        ])])])]))
        stop.time = World.at(23, 41, 5)
        emit(caller, stop)
        // Nightly EBS snapshots by Data Lifecycle Manager.
        let dlm = roleCaller("AWSServiceRoleForEC2DataLifecycle", path: "aws-service-role/dlm.amazonaws.com/", session: "DLMSession",
                             ip: "dlm.amazonaws.com", agent: "dlm.amazonaws.com", created: World.at(5, 0, nextDay: true),
                             invokedBy: "dlm.amazonaws.com")
        for (k, volume) in ["vol-0a1b2c3d4e5f60789", "vol-0b2c3d4e5f6a7089a"].enumerated() {
            var snap = call("ec2", "CreateSnapshot", params: jobj(["volumeId": .string(volume), "description": .string("Created for policy: policy-0d1e2f3a4b5c6d7e8 schedule: Nightly")]),
                            response: jobj(["requestId": .string(rng.uuid()), "snapshotId": .string("snap-0" + rng.hex(16)),
                                            "volumeId": .string(volume), "status": .string("pending"), "ownerId": .string(World.account)]))
            snap.time = World.at(5, 0, 14 + k * 3, nextDay: true)
            emit(dlm, snap)
        }
    }

    // MARK: People

    func console(_ name: String, pid: String, ip: String, agent: String, created: Int64) -> Caller {
        Caller(identity: .consoleUser(name: name, principalID: pid, sessionKey: sessionKey(), created: created, mfa: true),
               sourceIP: ip, userAgent: agent, console: true)
    }

    /// Spreads `calls` over a console session starting at `start`.
    func consoleSession(_ caller: Caller, from start: Int64, _ calls: [APICall]) {
        sequence(caller, from: start, gap: 4...95, calls)
    }

    func priyaSessions() {
        let pid = "AIDAQ3EXAMPLEPRIYAN01"
        consoleLogin(World.at(13, 11, 40), user: World.priya, principalID: pid, ip: "192.0.2.41", userAgent: World.chromeMac, mfa: false, success: false)
        for (h, m, lookAtFindings) in [(13, 12, false), (19, 40, true)] {
            let login = World.at(h, m, rng.int(in: 0...40))
            consoleLogin(login, user: World.priya, principalID: pid, ip: "192.0.2.41", userAgent: World.chromeMac, mfa: true)
            let caller = console(World.priya, pid: pid, ip: "192.0.2.41", agent: World.chromeMac, created: login)
            var calls: [APICall] = [
                call("ce", "GetCostAndUsage", params: jobj(["granularity": .string("DAILY"), "metrics": jstrs(["UnblendedCost"])])),
                call("ec2", "DescribeInstances"), call("ec2", "DescribeInstanceStatus"), call("ec2", "DescribeSecurityGroups"),
                call("ec2", "DescribeVolumes"), call("ec2", "DescribeAddresses"),
                call("iam", "GetAccountSummary"), call("iam", "ListUsers"), call("iam", "ListRoles"),
                call("iam", "ListAttachedUserPolicies", params: jobj(["userName": .string(World.marcus)])),
                call("s3", "ListBuckets", params: jobj(["Host": .string("s3.amazonaws.com")])),
                call("s3", "GetBucketPolicy", params: jobj(["bucketName": .string(World.exportsBucket), "Host": .string("s3.amazonaws.com"), "policy": .string("")])),
                call("s3", "GetBucketPublicAccessBlock", params: jobj(["bucketName": .string(World.mediaBucket), "Host": .string("s3.amazonaws.com"), "publicAccessBlock": .string("")])),
                call("cloudtrail", "DescribeTrails"), call("cloudtrail", "GetTrailStatus", params: jobj(["name": .string(LeakedAccessKeyScenario.stoppedTrailARN)])),
                call("monitoring", "DescribeAlarms", params: jobj(["maxRecords": jnum(100)])),
                call("ec2", "DescribeInstances", "eu-west-1"), call("ec2", "DescribeSecurityGroups", "eu-west-1"),
            ]
            if lookAtFindings {
                calls += [
                    call("guardduty", "ListDetectors"),
                    call("guardduty", "ListFindings", params: jobj(["detectorId": .string(GuardDutyIDs.detectorUSE1), "maxResults": jnum(50)])),
                    call("guardduty", "GetFindingsStatistics", params: jobj(["detectorId": .string(GuardDutyIDs.detectorUSE1), "findingStatisticTypes": jstrs(["COUNT_BY_SEVERITY"])])),
                    call("guardduty", "ListFindings", params: jobj(["detectorId": .string(GuardDutyIDs.detectorUSE1), "maxResults": jnum(50)])),
                ]
            } else {
                calls += [call("ec2", "DescribeImages", params: jobj(["ownersSet": jobj(["items": .array([jobj(["owner": .string("self")])])])])),
                          call("iam", "GenerateCredentialReport"), call("iam", "GetCredentialReport")]
            }
            consoleSession(caller, from: login + 8, calls)
        }
    }

    func marcusSessions() {
        let pid = "AIDAQ3EXAMPLEMARCUS01"
        for (h, m, deploy) in [(14, 20, true), (20, 5, false)] {
            let login = World.at(h, m, rng.int(in: 0...40))
            consoleLogin(login, user: World.marcus, principalID: pid, ip: "192.0.2.57", userAgent: World.edgeWindows, mfa: true)
            let caller = console(World.marcus, pid: pid, ip: "192.0.2.57", agent: World.edgeWindows, created: login)
            let fn = jobj(["functionName": .string("media-thumbnailer")])
            var calls: [APICall] = [
                call("lambda", "ListFunctions20150331"), call("lambda", "GetFunction20150331v2", params: fn),
                call("logs", "DescribeLogGroups"),
                call("logs", "FilterLogEvents", params: jobj(["logGroupName": .string("/aws/lambda/media-thumbnailer"), "filterPattern": .string("ERROR")])),
                call("logs", "FilterLogEvents", params: jobj(["logGroupName": .string("/aws/lambda/media-thumbnailer"), "filterPattern": .string("Timeout")])),
                call("logs", "GetLogEvents", params: jobj(["logGroupName": .string("/aws/lambda/media-thumbnailer"), "logStreamName": .string("2026/03/10/[$LATEST]" + rng.hex(32))])),
                call("cloudformation", "DescribeStacks", params: jobj(["stackName": .string("media-pipeline")])),
            ]
            if deploy {
                calls += [
                    call("lambda", "UpdateFunctionCode20150331v2", params: jobj(["functionName": .string("media-thumbnailer"), "publish": .bool(true)]),
                         response: jobj(["functionName": .string("media-thumbnailer"), "version": .string("37"), "lastUpdateStatus": .string("InProgress")])),
                    call("lambda", "GetFunctionConfiguration20150331v2", params: fn),
                ]
                var denied = call("iam", "CreateRole", params: jobj(["roleName": .string("thumbnailer-experiment"), "assumeRolePolicyDocument": .string("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}")]))
                let (code, message) = Denial.iam(caller, "iam:CreateRole", resource: World.roleARN("thumbnailer-experiment"))
                denied = denied.denied(code, message)
                calls.append(denied)
            } else {
                calls += [call("ecs", "ListClusters"), call("ecs", "DescribeServices", params: jobj(["cluster": .string("orders-prod"), "services": jstrs(["orders-api"])]))]
            }
            consoleSession(caller, from: login + 12, calls)
        }
    }

    /// The developer's own, legitimate use of the key that later leaks: the AWS CLI from the office.
    func jordanWork() {
        let caller = Caller(identity: .iamUser(name: World.jordan, principalID: "AIDAQ3EXAMPLEJREYES7Q", accessKey: LeakedAccessKeyScenario.leakedAccessKeyID),
                            sourceIP: LeakedAccessKeyScenario.developerOfficeIP, userAgent: Self.cliVersion)
        for (h, m) in [(13, 31), (16, 22), (20, 12)] {
            var t = World.at(h, m, rng.int(in: 0...50))
            let commands: [(String, APICall)] = [
                ("sts.get-caller-identity", call("sts", "GetCallerIdentity")),
                ("s3.ls", call("s3", "ListBuckets", params: jobj(["Host": .string("s3.amazonaws.com")]))),
                ("s3.ls", s3Object("ListObjects", bucket: World.exportsBucket, key: "", params: ["prefix": .string("exports/2026/03/10/"), "delimiter": .string("/")])),
                ("ecs.describe-services", call("ecs", "DescribeServices", params: jobj(["cluster": .string("orders-prod"), "services": jstrs(["orders-api"])]))),
                ("ecs.list-tasks", call("ecs", "ListTasks", params: jobj(["cluster": .string("orders-prod")]))),
                ("logs.tail", call("logs", "FilterLogEvents", params: jobj(["logGroupName": .string("/ecs/orders-api"), "interleaved": .bool(true)]))),
                ("logs.tail", call("logs", "FilterLogEvents", params: jobj(["logGroupName": .string("/ecs/orders-api"), "interleaved": .bool(true)]))),
                ("ssm.get-parameter", call("ssm", "GetParameter", params: jobj(["name": .string("/orders/prod/feature-flags"), "withDecryption": .bool(false)]))),
                ("cloudformation.describe-stack-events", call("cloudformation", "DescribeStackEvents", params: jobj(["stackName": .string("orders-api-prod")]))),
                ("s3.cp", s3Object("GetObject", bucket: World.exportsBucket, key: "exports/2026/03/10/orders-1300.csv.gz", bytesOut: 412_337)),
            ]
            for _ in 0..<rng.int(in: 14...22) {
                let (command, c) = commands[WeightedPicker.zipf(count: commands.count, exponent: 0.6).pick(&rng)]
                var who = caller
                who.userAgent = Self.cliVersion + " command/" + command
                var timed = c
                timed.time = t
                emit(who, timed)
                t += Int64(rng.int(in: 5...240))
            }
        }
    }

    /// An SRE through IAM Identity Center (SSO) over the IPv6 VPN, including legitimate IAM changes and a
    /// snapshot shared with the company's disaster-recovery account.
    func elenaSessions() {
        let role = "AWSReservedSSO_AdministratorAccess_5f3e2a1b9c8d7e6f"
        let path = "aws-reserved/sso.amazonaws.com/"
        let login = World.at(15, 55, 31)
        var caller = roleCaller(role, path: path, session: World.elena, ip: World.vpnIPv6, agent: World.safariMac, created: login - 4)
        var signIn = APICall(login, "us-east-1", "signin", "ConsoleLogin", response: jobj(["ConsoleLogin": .string("Success")]))
        signIn.eventType = "AwsConsoleSignIn"
        signIn.omitRequestID = true
        signIn.readOnly = false
        signIn.additional = jobj(["MobileVersion": .string("No"), "MFAUsed": .string("No")])
        emit(caller, signIn)
        caller.console = true
        let newRole = "orders-reconciler-role"
        let calls: [APICall] = [
            call("rds", "DescribeDBInstances"), call("rds", "DescribeDBSnapshots", params: jobj(["dBInstanceIdentifier": .string("orders-db")])),
            call("ec2", "DescribeSnapshots", params: jobj(["ownersSet": jobj(["items": .array([jobj(["owner": .string("self")])])])])),
            call("monitoring", "DescribeAlarms"), call("monitoring", "GetMetricData"),
            call("iam", "CreateRole", params: jobj(["roleName": .string(newRole), "assumeRolePolicyDocument": .string("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}")]),
                 response: jobj(["role": jobj(["path": .string("/"), "roleName": .string(newRole), "roleId": .string("AROAQ3EXAMPLERECON12X"),
                                               "arn": .string(World.roleARN(newRole)), "createDate": .string(iamDate(login + 300))])])),
            call("iam", "AttachRolePolicy", params: jobj(["roleName": .string(newRole), "policyArn": .string("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")])),
            call("lambda", "CreateFunction20150331", params: jobj(["functionName": .string("orders-reconciler"), "runtime": .string("python3.12"),
                                                                   "role": .string(World.roleARN(newRole)), "handler": .string("app.handler")])),
        ]
        consoleSession(caller, from: login + 20, calls)
        let share = World.at(17, 35, 12)
        let shareCalls: [APICall] = [
            call("ec2", "DescribeSnapshotAttribute", params: jobj(["snapshotId": .string(World.drSnapshot), "attributeType": .string("CREATE_VOLUME_PERMISSION")])),
            call("ec2", "ModifySnapshotAttribute", params: jobj([
                "snapshotId": .string(World.drSnapshot),
                "createVolumePermission": jobj(["add": jobj(["items": .array([jobj(["userId": .string(LeakedAccessKeyScenario.disasterRecoveryAccountID)])])])]),
                "attributeType": .string("CREATE_VOLUME_PERMISSION"),
            ]), response: jobj(["requestId": .string(rng.uuid()), "_return": .bool(true)])),
            call("ec2", "DescribeSnapshotAttribute", params: jobj(["snapshotId": .string(World.drSnapshot), "attributeType": .string("CREATE_VOLUME_PERMISSION")])),
        ]
        sequence(caller, from: share, gap: 10...40, shareCalls)
    }

    /// An analyst running Athena queries; Athena reads S3 on her behalf.
    func samSessions() {
        let pid = "AIDAQ3EXAMPLESAMOKF01"
        let login = World.at(14, 40, 9)
        consoleLogin(login, user: World.sam, principalID: pid, ip: "192.0.2.52", userAgent: World.firefoxLinux, mfa: true)
        let caller = console(World.sam, pid: pid, ip: "192.0.2.52", agent: World.firefoxLinux, created: login)
        var t = login + 30
        sequence(caller, from: t, gap: 3...20, [call("glue", "GetDatabases"), call("glue", "GetTables", params: jobj(["databaseName": .string("orders")]))])
        t += 60
        for q in 0..<5 {
            let qid = rng.uuid()
            var start = call("athena", "StartQueryExecution", params: jobj([
                "queryString": .string(q % 2 == 0 ? "SELECT region, count(*) FROM orders.exports WHERE day = '2026-03-09' GROUP BY 1" : "SELECT * FROM orders.exports WHERE total > 5000 LIMIT 100"),
                "workGroup": .string("analysts"),
            ]), response: jobj(["queryExecutionId": .string(qid)]))
            start.time = t
            emit(caller, start)
            var via = caller
            via.sourceIP = "athena.amazonaws.com"
            via.userAgent = "athena.amazonaws.com"
            via.invokedBy = "athena.amazonaws.com"
            via.console = false
            for part in 0..<2 {
                var read = s3Object("GetObject", bucket: World.exportsBucket, key: "exports/2026/03/09/orders-\(10 + part * 6)00.csv.gz", bytesOut: rng.int(in: 300_000...800_000))
                read.time = t + Int64(2 + part)
                emit(via, read)
            }
            let poll = call("athena", "GetQueryExecution", params: jobj(["queryExecutionId": .string(qid)]))
            t = sequence(caller, from: t + 2, gap: 1...3, Array(repeating: poll, count: rng.int(in: 2...4)))
            var results = call("athena", "GetQueryResults", params: jobj(["queryExecutionId": .string(qid), "maxResults": jnum(100)]))
            results.time = t + 1
            emit(caller, results)
            t += Int64(rng.int(in: 90...600))
        }
    }
}
