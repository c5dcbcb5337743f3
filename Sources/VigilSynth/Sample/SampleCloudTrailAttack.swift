import VigilCore

/// The attack: the leaked key is verified, used to enumerate and escalate, then a backdoor user takes over.
extension SampleCloudTrail {
    typealias S = LeakedAccessKeyScenario

    func attack() {
        let leaked = Caller(identity: .iamUser(name: S.leakedUserName, principalID: "AIDAQ3EXAMPLEJREYES7Q", accessKey: S.leakedAccessKeyID),
                            sourceIP: S.attackerIP, userAgent: S.attackerUserAgent, tlsVersion: "TLSv1.2")

        // 1. A secret scanner verifies the key it found in a public repository.
        var scanner = leaked
        scanner.sourceIP = S.scannerIP
        scanner.userAgent = S.scannerUserAgent
        var verify = call("sts", "GetCallerIdentity")
        verify.time = S.keyFirstMisused.seconds
        emit(scanner, verify, pinned: true)

        // 2. The attacker's reconnaissance with the leaked key.
        let user = jobj(["userName": .string(S.leakedUserName)])
        var t = sequence(leaked, from: S.attackStart.seconds, gap: 2...9, [
            call("sts", "GetCallerIdentity"),
            call("iam", "GetUser"),
            call("iam", "ListAttachedUserPolicies", params: user),
            call("iam", "ListUserPolicies", params: user),
            call("iam", "ListGroupsForUser", params: user),
            call("iam", "GetUserPolicy", params: jobj(["userName": .string(S.leakedUserName), "policyName": .string("developer-iam-selfservice")])),
            call("iam", "ListAttachedGroupPolicies", params: jobj(["groupName": .string("developers")])),
            denied(call("iam", "GetAccountAuthorizationDetails"), Denial.iam(leaked, "iam:GetAccountAuthorizationDetails")),
            call("iam", "ListUsers"),
            call("iam", "ListRoles"),
            denied(call("organizations", "DescribeOrganization"), ("AccessDeniedException", "You don't have permissions to access this resource.")),
            denied(call("organizations", "ListAccounts"), ("AccessDeniedException", "You don't have permissions to access this resource.")),
            call("s3", "ListBuckets", params: jobj(["Host": .string("s3.amazonaws.com")])),
        ], pinned: true)
        // Bucket probing: the trail bucket is locked down, the Terraform state is not.
        t += 6
        var probe = s3Object("ListObjects", bucket: World.trailBucket, key: "", params: ["prefix": .string(""), "list-type": .string("2")])
        probe = denied(probe, ("AccessDenied", "Access Denied"))
        probe.time = t
        emit(leaked, probe, pinned: true)
        for (k, key) in ["prod/terraform.tfstate", "prod/network/terraform.tfstate"].enumerated() {
            var list = s3Object(k == 0 ? "ListObjects" : "GetObject", bucket: World.stateBucket, key: k == 0 ? "" : key,
                                bytesOut: k == 0 ? 1_914 : 88_412, params: k == 0 ? ["prefix": .string("prod/"), "list-type": .string("2")] : [:])
            list.time = t + Int64(4 + k * 5)
            emit(leaked, list, pinned: true)
        }
        var state = s3Object("GetObject", bucket: World.stateBucket, key: "prod/terraform.tfstate", bytesOut: 241_877)
        state.time = t + 15
        emit(leaked, state, pinned: true)
        t += 30

        // Sweep every region for instances.
        var describeRegions = call("ec2", "DescribeRegions", params: jobj(["regionSet": jobj([:]), "allRegions": .bool(false)]))
        describeRegions.time = t
        emit(leaked, describeRegions, pinned: true)
        t += 3
        for region in World.regions {
            var d = call("ec2", "DescribeInstances", region, params: jobj(["instancesSet": jobj([:]), "filterSet": jobj([:])]))
            d.time = t
            emit(leaked, d, pinned: true)
            t += Int64(rng.int(in: 1...3))
        }
        t = sequence(leaked, from: t + 4, gap: 2...8, [
            call("ec2", "DescribeSnapshots", params: jobj(["ownersSet": jobj(["items": .array([jobj(["owner": .string("self")])])])])),
            call("ec2", "DescribeVolumes"),
            call("ec2", "DescribeSecurityGroups"),
            call("rds", "DescribeDBInstances"),
            call("lambda", "ListFunctions20150331"),
            call("secretsmanager", "ListSecrets"),
            denied(call("secretsmanager", "GetSecretValue", params: jobj(["secretId": .string(World.paymentsSecret)])),
                   Denial.iam(leaked, "secretsmanager:GetSecretValue", resource: World.paymentsSecret, resourcePolicy: true)),
            denied(call("secretsmanager", "GetSecretValue", params: jobj(["secretId": .string(World.dbSecret)])),
                   Denial.iam(leaked, "secretsmanager:GetSecretValue", resource: World.dbSecret, resourcePolicy: true)),
            call("cloudtrail", "DescribeTrails"),
            call("guardduty", "ListDetectors"),
            denied(call("ec2", "GetConsoleOutput", params: jobj(["instanceId": .string(World.app1.id)])), Denial.ec2(leaked, "ec2:GetConsoleOutput")),
        ], pinned: true)

        // 3. Persistence: a new administrator with its own key and a console password.
        let backdoor = S.backdoorUserName
        sequence(leaked, from: S.backdoorUserCreated.seconds, gap: 1...1, [
            call("iam", "CreateUser", params: jobj(["userName": .string(backdoor), "tags": .array([jobj(["key": .string("owner"), "value": .string("platform-backup")])])]),
                 response: jobj(["user": jobj(["path": .string("/"), "userName": .string(backdoor), "userId": .string("AIDAQ3EXAMPLEBKSYNC9X"),
                                               "arn": .string(S.backdoorUserARN), "createDate": .string(iamDate(S.backdoorUserCreated.seconds)),
                                               "tags": .array([jobj(["key": .string("owner"), "value": .string("platform-backup")])])])])),
        ], pinned: true)
        var createKey = call("iam", "CreateAccessKey", params: jobj(["userName": .string(backdoor)]),
                             response: jobj(["accessKey": jobj(["userName": .string(backdoor), "accessKeyId": .string(S.backdoorAccessKeyID),
                                                                "status": .string("Active"), "createDate": .string(iamDate(S.backdoorKeyCreated.seconds))])]))
        createKey.time = S.backdoorKeyCreated.seconds
        emit(leaked, createKey, pinned: true)
        var attach = call("iam", "AttachUserPolicy", params: jobj(["userName": .string(backdoor), "policyArn": .string("arn:aws:iam::aws:policy/AdministratorAccess")]))
        attach.time = S.adminPolicyAttached.seconds
        emit(leaked, attach, pinned: true)
        var profile = call("iam", "CreateLoginProfile", params: jobj(["userName": .string(backdoor), "passwordResetRequired": .bool(false)]),
                           response: jobj(["loginProfile": jobj(["userName": .string(backdoor), "createDate": .string(iamDate(S.at(14, 46, 3))),
                                                                 "passwordResetRequired": .bool(false)])]))
        profile.time = S.at(14, 46, 3)
        emit(leaked, profile, pinned: true)
        var listKeys = call("iam", "ListAccessKeys", params: user)
        listKeys.time = S.at(14, 46, 40)
        emit(leaked, listKeys, pinned: true)

        // AWS Config notices the new IAM resources.
        sequence(configCaller("us-east-1", created: S.at(14, 47, 0)), from: S.at(14, 47, 31), gap: 0...2, [
            call("iam", "GetUser", params: jobj(["userName": .string(backdoor)])),
            call("iam", "ListAttachedUserPolicies", params: jobj(["userName": .string(backdoor)])),
            call("iam", "ListUserPolicies", params: jobj(["userName": .string(backdoor)])),
            call("iam", "ListGroupsForUser", params: jobj(["userName": .string(backdoor)])),
        ])

        // 4. The backdoor key takes over.
        let admin = Caller(identity: .iamUser(name: backdoor, principalID: "AIDAQ3EXAMPLEBKSYNC9X", accessKey: S.backdoorAccessKeyID),
                           sourceIP: S.attackerIP, userAgent: S.attackerUserAgent, tlsVersion: "TLSv1.2")
        sequence(admin, from: S.at(14, 48, 12), gap: 3...20, [
            call("sts", "GetCallerIdentity"),
            call("iam", "ListAttachedUserPolicies", params: jobj(["userName": .string(backdoor)])),
            call("ec2", "DescribeSnapshots", params: jobj(["ownersSet": jobj(["items": .array([jobj(["owner": .string("self")])])])])),
        ], pinned: true)
        // Exfiltration: share two snapshots with the attacker's account.
        for (k, snapshot) in S.exfiltratedSnapshotIDs.enumerated() {
            var share = call("ec2", "ModifySnapshotAttribute", params: jobj([
                "snapshotId": .string(snapshot),
                "createVolumePermission": jobj(["add": jobj(["items": .array([jobj(["userId": .string(S.attackerAccountID)])])])]),
                "attributeType": .string("CREATE_VOLUME_PERMISSION"),
            ]), response: jobj(["requestId": .string(rng.uuid()), "_return": .bool(true)]))
            share.time = S.snapshotShared.seconds + Int64(k * 25)
            emit(admin, share, pinned: true)
        }

        // The backdoor user's console session (no MFA).
        consoleLogin(S.backdoorConsoleLogin.seconds, user: backdoor, principalID: "AIDAQ3EXAMPLEBKSYNC9X", ip: S.attackerIP,
                     userAgent: World.firefoxLinux, mfa: false, pinned: true)
        let adminConsole = Caller(identity: .consoleUser(name: backdoor, principalID: "AIDAQ3EXAMPLEBKSYNC9X", sessionKey: sessionKey(),
                                                         created: S.backdoorConsoleLogin.seconds, mfa: false),
                                  sourceIP: S.attackerIP, userAgent: World.firefoxLinux, console: true)
        sequence(adminConsole, from: S.backdoorConsoleLogin.seconds + 14, gap: 10...50, [
            call("ce", "GetCostAndUsage", params: jobj(["granularity": .string("MONTHLY"), "metrics": jstrs(["UnblendedCost"])])),
            call("servicequotas", "ListServiceQuotas", S.miningRegion, params: jobj(["serviceCode": .string("ec2")])),
            call("ec2", "DescribeInstances", S.miningRegion),
        ], pinned: true)

        // 5. A GPU miner in a region the company never uses.
        let r = S.miningRegion
        var quota = call("servicequotas", "GetServiceQuota", r, params: jobj(["serviceCode": .string("ec2"), "quotaCode": .string("L-DB2E81BA")]))
        quota.time = S.at(15, 2, 30)
        emit(admin, quota, pinned: true)
        let sgItems = jobj(["items": .array([jobj(["groupId": .string(World.minerSG)])])])
        sequence(admin, from: S.at(15, 4, 12), gap: 20...45, [
            call("ec2", "DescribeImages", r, params: jobj(["filterSet": jobj(["items": .array([jobj(["name": .string("name"), "valueSet": jobj(["items": .array([jobj(["value": .string("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*")])])])])])])])),
            call("ec2", "ImportKeyPair", r, params: jobj(["keyName": .string("sync-key"), "publicKeyMaterial": .string("<sensitiveDataRemoved>")]),
                 response: jobj(["requestId": .string(rng.uuid()), "keyName": .string("sync-key"), "keyFingerprint": .string("SHA256:" + rng.alphanumeric(43)),
                                 "keyPairId": .string("key-0" + rng.hex(16))])),
            call("ec2", "CreateSecurityGroup", r, params: jobj(["groupName": .string("default-sync"), "groupDescription": .string("sync"), "vpcId": .string(World.minerVPC)]),
                 response: jobj(["requestId": .string(rng.uuid()), "_return": .bool(true), "groupId": .string(World.minerSG)])),
            call("ec2", "AuthorizeSecurityGroupIngress", r, params: jobj([
                "groupId": .string(World.minerSG),
                "ipPermissions": jobj(["items": .array([jobj(["ipProtocol": .string("tcp"), "fromPort": jnum(22), "toPort": jnum(22),
                                                              "ipRanges": jobj(["items": .array([jobj(["cidrIp": .string("0.0.0.0/0")])])])])])]),
            ]), response: jobj(["requestId": .string(rng.uuid()), "_return": .bool(true)])),
        ], pinned: true)
        func runInstances(_ type: String) -> APICall {
            call("ec2", "RunInstances", r, params: jobj([
                "instancesSet": jobj(["items": .array([jobj(["imageId": .string(World.minerAMI), "minCount": jnum(1), "maxCount": jnum(1), "keyName": .string("sync-key")])])]),
                "userData": .string("<sensitiveDataRemoved>"), "instanceType": .string(type), "blockDeviceMapping": jobj([:]),
                "monitoring": jobj(["enabled": .bool(false)]), "disableApiTermination": .bool(false), "disableApiStop": .bool(false),
                "clientToken": .string(rng.uuid()),
                "networkInterfaceSet": jobj(["items": .array([jobj(["deviceIndex": jnum(0), "associatePublicIpAddress": .bool(true),
                                                                    "subnetId": .string(World.minerSubnet), "groupSet": sgItems])])]),
            ]))
        }
        var tooBig = runInstances("p3.16xlarge").denied("Client.VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit of 64 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.")
        tooBig.time = S.at(15, 6, 58)
        emit(admin, tooBig, pinned: true)
        var launch = runInstances(S.miningInstanceType)
        launch.response = jobj([
            "requestId": .string(rng.uuid()), "reservationId": .string("r-0" + rng.hex(16)), "ownerId": .string(World.account), "groupSet": jobj([:]),
            "instancesSet": jobj(["items": .array([jobj([
                "instanceId": .string(S.miningInstanceID), "imageId": .string(World.minerAMI),
                "instanceState": jobj(["code": jnum(0), "name": .string("pending")]),
                "privateDnsName": .string("ip-172-31-18-44.ap-southeast-2.compute.internal"), "keyName": .string("sync-key"),
                "amiLaunchIndex": jnum(0), "productCodes": jobj([:]), "instanceType": .string(S.miningInstanceType),
                "launchTime": jnum(S.minerLaunched.milliseconds),
                "placement": jobj(["availabilityZone": .string("ap-southeast-2a"), "tenancy": .string("default")]),
                "monitoring": jobj(["state": .string("disabled")]), "subnetId": .string(World.minerSubnet), "vpcId": .string(World.minerVPC),
                "privateIpAddress": .string(S.miningInstancePrivateIP),
                "stateReason": jobj(["code": .string("pending"), "message": .string("pending")]),
                "architecture": .string("x86_64"), "rootDeviceType": .string("ebs"), "rootDeviceName": .string("/dev/sda1"),
                "blockDeviceMapping": jobj([:]), "virtualizationType": .string("hvm"), "hypervisor": .string("xen"),
                "groupSet": jobj(["items": .array([jobj(["groupId": .string(World.minerSG), "groupName": .string("default-sync")])])]),
                "networkInterfaceSet": jobj(["items": .array([jobj([
                    "networkInterfaceId": .string(World.minerENI), "subnetId": .string(World.minerSubnet), "vpcId": .string(World.minerVPC),
                    "ownerId": .string(World.account), "status": .string("in-use"), "privateIpAddress": .string(S.miningInstancePrivateIP),
                    "sourceDestCheck": .bool(true), "interfaceType": .string("interface"),
                ])])]),
                "ebsOptimized": .bool(true), "enaSupport": .bool(true), "cpuOptions": jobj(["coreCount": jnum(24), "threadsPerCore": jnum(2)]),
            ])])]),
        ])
        launch.time = S.minerLaunched.seconds
        emit(admin, launch, pinned: true)
        sequence(admin, from: S.at(15, 8, 20), gap: 25...60, [
            call("ec2", "CreateTags", r, params: jobj([
                "resourcesSet": jobj(["items": .array([jobj(["resourceId": .string(S.miningInstanceID)])])]),
                "tagSet": jobj(["items": .array([jobj(["key": .string("Name"), "value": .string("backup-sync-worker")])])]),
            ]), response: jobj(["requestId": .string(rng.uuid()), "_return": .bool(true)])),
            call("ec2", "DescribeInstances", r, params: jobj(["instancesSet": jobj(["items": .array([jobj(["instanceId": .string(S.miningInstanceID)])])])])),
            call("ec2", "DescribeInstanceStatus", r),
        ], pinned: true)

        // 6. Logging is switched off; an automated guard switches it back on.
        var stop = call("cloudtrail", "StopLogging", params: jobj(["name": .string(S.stoppedTrailARN)]))
        stop.time = S.loggingStopped.seconds
        stop.resources = [jobj(["accountId": .string(World.account), "type": .string("AWS::CloudTrail::Trail"), "ARN": .string(S.stoppedTrailARN)])]
        emit(admin, stop, pinned: true)
        let guardRole = roleCaller("trail-guardian-remediation", session: "trail-guardian", ip: World.lambdaIPs[1], agent: Self.lambdaBoto,
                                   created: S.loggingRestarted.seconds - 3)
        serviceAssumeRole(S.loggingRestarted.seconds - 3, service: "lambda.amazonaws.com", role: "trail-guardian-remediation",
                          session: "trail-guardian", expiresIn: 43_200)
        var start = call("cloudtrail", "StartLogging", params: jobj(["name": .string(S.stoppedTrailARN)]))
        start.time = S.loggingRestarted.seconds
        start.resources = stop.resources
        emit(guardRole, start, pinned: true)
        sequence(admin, from: S.at(15, 27, 10), gap: 4...12, [
            call("cloudtrail", "DescribeTrails"),
            call("cloudtrail", "GetTrailStatus", params: jobj(["name": .string(S.stoppedTrailARN)])),
            call("ec2", "DescribeInstanceStatus", r),
        ], pinned: true)

        // 7. The next morning, from another address: is the miner still running?
        var back = admin
        back.sourceIP = S.attackerReturnIP
        sequence(back, from: S.attackerReturn.seconds, gap: 5...30, [
            call("sts", "GetCallerIdentity"),
            call("ec2", "DescribeInstances", r, params: jobj(["instancesSet": jobj(["items": .array([jobj(["instanceId": .string(S.miningInstanceID)])])])])),
            call("ec2", "DescribeInstanceStatus", r),
            call("iam", "ListAccessKeys", params: jobj(["userName": .string(backdoor)])),
            call("iam", "ListUsers"),
        ], pinned: true)
    }

    private func denied(_ c: APICall, _ denial: (String, String)) -> APICall { c.denied(denial.0, denial.1) }
}
