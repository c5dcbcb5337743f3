import VigilCore

enum GuardDutyIDs {
    static let detectorUSE1 = "4ab6c8d0e2f4a6b8c0d2e4f6a8b0c2d4"
    static let detectorAPSE2 = "7c9e1a3b5d7f9a1c3e5b7d9f1a3c5e7b"
}

/// GuardDuty findings for the incident (and two unrelated low-severity ones): a `get-findings` CLI output for
/// us-east-1 and a JSON-lines file of EventBridge events, which overlap on two findings (one of them updated).
struct SampleFindings {
    typealias S = LeakedAccessKeyScenario
    var rng: SeededGenerator

    init(seed: UInt64) { rng = SeededGenerator(seed: seed, stream: 4) }

    struct Finding {
        var type: String
        var region: String
        var severity: Int
        var created: Int64
        var createdMillis: Int
        var updated: Int64
        var updatedMillis: Int
        var firstSeen: Int64
        var lastSeen: Int64
        var count: Int
        var id: String
        var title: String
        var description: String
        var resource: JSONValue
        var action: JSONValue
        var resourceRole: String
        var additionalInfo: JSONValue

        var detector: String { region == "us-east-1" ? GuardDutyIDs.detectorUSE1 : GuardDutyIDs.detectorAPSE2 }

        /// The finding as the GuardDuty API returns it (camelCase), in EventBridge's member order.
        var camel: JSONValue {
            jobj([
                "schemaVersion": .string("2.0"),
                "accountId": .string(S.accountID),
                "region": .string(region),
                "partition": .string("aws"),
                "id": .string(id),
                "arn": .string("arn:aws:guardduty:\(region):\(S.accountID):detector/\(detector)/finding/\(id)"),
                "type": .string(type),
                "resource": resource,
                "service": jobj([
                    "serviceName": .string("guardduty"), "detectorId": .string(detector), "action": action,
                    "resourceRole": .string(resourceRole), "additionalInfo": additionalInfo,
                    "eventFirstSeen": .string(UTC.iso(firstSeen, millis: 0)), "eventLastSeen": .string(UTC.iso(lastSeen, millis: 0)),
                    "archived": .bool(false), "count": jnum(count),
                ]),
                "severity": jnum(severity),
                "createdAt": .string(UTC.iso(created, millis: createdMillis)),
                "updatedAt": .string(UTC.iso(updated, millis: updatedMillis)),
                "title": .string(title),
                "description": .string(description),
            ])
        }

        /// The finding as `aws guardduty get-findings` prints it: PascalCase, members in the shape's (alphabetical) order.
        var pascal: JSONValue {
            guard case .object(let members) = pascalCased(camel) else { return .null }
            var sorted = members.sorted { $0.0 < $1.0 }
            if let i = sorted.firstIndex(where: { $0.0 == "Severity" }) { sorted[i].1 = .number("\(severity).0") }
            return .object(sorted)
        }

        func updated(at time: Int64, millis: Int, lastSeen: Int64, count: Int) -> Finding {
            var copy = self
            copy.updated = time
            copy.updatedMillis = millis
            copy.lastSeen = lastSeen
            copy.count = count
            return copy
        }
    }

    static func remoteIP(_ ip: String, city: String, country: String, lat: Double, lon: Double, asn: String, org: String) -> JSONValue {
        jobj([
            "city": jobj(["cityName": .string(city)]), "country": jobj(["countryName": .string(country)]),
            "geoLocation": jobj(["lat": .number(String(lat)), "lon": .number(String(lon))]),
            "ipAddressV4": .string(ip),
            "organization": jobj(["asn": .string(asn), "asnOrg": .string(org), "isp": .string(org), "org": .string(org)]),
        ])
    }

    static let attackerGeo = remoteIP(S.attackerIP, city: "Amsterdam", country: "Netherlands", lat: 52.3759, lon: 4.8975, asn: "64500", org: "ExampleHost BV")
    static let bruteGeo = remoteIP(S.bruteForceIP, city: "Sao Paulo", country: "Brazil", lat: -23.5475, lon: -46.6361, asn: "64501", org: "Example Telecom SA")
    static let bruteGeo2 = remoteIP(S.secondBruteForceIP, city: "Hanoi", country: "Vietnam", lat: 21.0245, lon: 105.8412, asn: "64502", org: "Example Broadband JSC")
    static let poolGeo = remoteIP(S.miningPoolIP, city: "Frankfurt am Main", country: "Germany", lat: 50.1155, lon: 8.6842, asn: "64503", org: "Example Pool Hosting GmbH")
    static let probeGeo = remoteIP("198.51.100.77", city: "Singapore", country: "Singapore", lat: 1.2897, lon: 103.8501, asn: "64504", org: "Example Scanning Ltd")

    static func accessKey(_ key: String, _ pid: String, _ user: String) -> JSONValue {
        jobj(["accessKeyDetails": jobj(["accessKeyId": .string(key), "principalId": .string(pid), "userName": .string(user), "userType": .string("IAMUser")]),
              "resourceType": .string("AccessKey")])
    }

    static func instance(_ id: String, type: String, zone: String, privateIP: String, publicIP: String?, eni: String, subnet: String,
                         vpc: String, sg: (String, String), launched: Int64, image: String, tags: [(String, String)],
                         profile: String?) -> JSONValue {
        jobj([
            "instanceDetails": jobj([
                "availabilityZone": .string(zone), "imageDescription": .string("Canonical, Ubuntu, 22.04 LTS, amd64 jammy image"),
                "imageId": .string(image), "instanceId": .string(id), "instanceState": .string("running"), "instanceType": .string(type),
                "launchTime": .string(UTC.iso(launched, millis: 0)),
                "iamInstanceProfile": profile.map { jobj(["arn": .string("arn:aws:iam::\(S.accountID):instance-profile/\($0)"), "id": .string("AIPAQ3EXAMPLEPROFILE1")]) } ?? .null,
                "networkInterfaces": .array([jobj([
                    "ipv6Addresses": .array([]), "networkInterfaceId": .string(eni),
                    "privateDnsName": .string("ip-\(privateIP.replacing(".", with: "-")).\(zone.dropLast()).compute.internal"),
                    "privateIpAddress": .string(privateIP),
                    "privateIpAddresses": .array([jobj(["privateDnsName": .string("ip-\(privateIP.replacing(".", with: "-")).\(zone.dropLast()).compute.internal"),
                                                        "privateIpAddress": .string(privateIP)])]),
                    "publicDnsName": .string(publicIP.map { "ec2-\($0.replacing(".", with: "-")).\(zone.dropLast()).compute.amazonaws.com" } ?? ""),
                    "publicIp": publicIP.map { .string($0) } ?? .null,
                    "securityGroups": .array([jobj(["groupId": .string(sg.0), "groupName": .string(sg.1)])]),
                    "subnetId": .string(subnet), "vpcId": .string(vpc),
                ])]),
                "outpostArn": .null, "platform": .null, "productCodes": .array([]),
                "tags": .array(tags.map { jobj(["key": .string($0.0), "value": .string($0.1)]) }),
            ]),
            "resourceType": .string("Instance"),
        ])
    }

    mutating func findings() -> (getFindings: [Finding], events: [Finding]) {
        let leakedKey = Self.accessKey(S.leakedAccessKeyID, "AIDAQ3EXAMPLEJREYES7Q", S.leakedUserName)
        let backdoorKey = Self.accessKey(S.backdoorAccessKeyID, "AIDAQ3EXAMPLEBKSYNC9X", S.backdoorUserName)
        let bastion = Self.instance(S.bastionInstanceID, type: "t3.small", zone: "us-east-1a", privateIP: S.bastionPrivateIP, publicIP: S.bastionPublicIP,
                                    eni: World.bastion.eni, subnet: World.publicSubnet, vpc: World.prodVPC, sg: ("sg-0b1c2d3e4f5a6b7c8", "bastion-ssh"),
                                    launched: World.at(9, 12, 40) - 41 * 86_400, image: "ami-0c7217cdde317cfec", tags: [("Name", "bastion"), ("env", "prod")],
                                    profile: "bastion-instance-role")
        let miner = Self.instance(S.miningInstanceID, type: S.miningInstanceType, zone: "ap-southeast-2a", privateIP: S.miningInstancePrivateIP,
                                  publicIP: S.miningInstancePublicIP, eni: World.minerENI, subnet: World.minerSubnet, vpc: World.minerVPC,
                                  sg: (World.minerSG, "default-sync"), launched: S.minerLaunched.seconds, image: World.minerAMI,
                                  tags: [("Name", "backup-sync-worker")], profile: nil)
        func apiCall(_ api: String, _ service: String) -> JSONValue {
            jobj(["actionType": .string("AWS_API_CALL"), "awsApiCallAction": jobj([
                "api": .string(api), "callerType": .string("Remote IP"), "remoteIpDetails": Self.attackerGeo,
                "serviceName": .string(service), "affectedResources": jobj([:]),
            ])])
        }
        func anomaly(_ apis: [String]) -> JSONValue {
            let unusual = "{\"unusual\":{\"hoursOfDay\":[14],\"userNames\":[\"\(S.leakedUserName)\"],\"isps\":[\"ExampleHost BV\"],\"asns\":[\"64500\"],\"apis\":[" + apis.map { "\"\($0)\"" }.joined(separator: ",") + "]},\"sample\":true}"
            return jobj(["value": .string(unusual), "type": .string("default")])
        }
        func inbound(_ remote: JSONValue, port: Int, name: String, remotePort: Int) -> JSONValue {
            jobj(["actionType": .string("NETWORK_CONNECTION"), "networkConnectionAction": jobj([
                "connectionDirection": .string("INBOUND"), "blocked": .bool(false), "protocol": .string("TCP"),
                "localPortDetails": jobj(["port": jnum(port), "portName": .string(name)]),
                "localIpDetails": jobj(["ipAddressV4": .string(S.bastionPrivateIP)]),
                "remoteIpDetails": remote, "remotePortDetails": jobj(["port": jnum(remotePort), "portName": .string("Unknown")]),
            ])])
        }
        let none = jobj(["value": .string("{}"), "type": .string("default")])

        let discovery = Finding(
            type: "Discovery:IAMUser/AnomalousBehavior", region: "us-east-1", severity: 2,
            created: S.at(14, 52, 33), createdMillis: 118, updated: S.at(14, 52, 33), updatedMillis: 118,
            firstSeen: S.at(14, 31, 15), lastSeen: S.at(14, 38, 50), count: 1, id: rng.hex(32),
            title: "The user \(S.leakedUserName) is invoking APIs commonly used in discovery tactics.",
            description: "APIs commonly used in Discovery tactics were invoked by user IAMUser : \(S.leakedUserName) under unusual circumstances. Such activity is not typically seen from this user.",
            resource: leakedKey, action: apiCall("ListRoles", "iam.amazonaws.com"), resourceRole: "TARGET",
            additionalInfo: anomaly(["ListRoles", "ListUsers", "GetAccountAuthorizationDetails", "DescribeInstances", "ListSecrets"]))
        let persistence = Finding(
            type: "Persistence:IAMUser/AnomalousBehavior", region: "us-east-1", severity: 5,
            created: S.at(14, 59, 10), createdMillis: 904, updated: S.at(14, 59, 10), updatedMillis: 904,
            firstSeen: S.backdoorUserCreated.seconds, lastSeen: S.at(14, 46, 3), count: 1, id: rng.hex(32),
            title: "The user \(S.leakedUserName) is invoking APIs commonly used in persistence tactics.",
            description: "APIs commonly used in Persistence tactics were invoked by user IAMUser : \(S.leakedUserName) under unusual circumstances. Such activity is not typically seen from this user.",
            resource: leakedKey, action: apiCall("CreateAccessKey", "iam.amazonaws.com"), resourceRole: "TARGET",
            additionalInfo: anomaly(["CreateUser", "CreateAccessKey", "AttachUserPolicy", "CreateLoginProfile"]))
        let stealth = Finding(
            type: "Stealth:IAMUser/CloudTrailLoggingDisabled", region: "us-east-1", severity: 2,
            created: S.at(15, 26, 2), createdMillis: 377, updated: S.at(15, 26, 2), updatedMillis: 377,
            firstSeen: S.loggingStopped.seconds, lastSeen: S.loggingStopped.seconds, count: 1, id: rng.hex(32),
            title: "AWS CloudTrail trail \(SampleCloudTrail.trailName) was disabled.",
            description: "AWS CloudTrail trail \(S.stoppedTrailARN) was disabled by IAMUser \(S.backdoorUserName) calling StopLogging under unusual circumstances. This can be attackers attempt to cover their tracks by eliminating any trace of activity performed while they accessed your account.",
            resource: backdoorKey, action: apiCall("StopLogging", "cloudtrail.amazonaws.com"), resourceRole: "TARGET", additionalInfo: none)
        let bruteForce = Finding(
            type: "UnauthorizedAccess:EC2/SSHBruteForce", region: "us-east-1", severity: 2,
            created: S.at(16, 3, 12), createdMillis: 540, updated: S.at(16, 3, 12), updatedMillis: 540,
            firstSeen: S.bruteForceStart.seconds, lastSeen: S.at(16, 2, 51), count: 14, id: rng.hex(32),
            title: "\(S.bruteForceIP) is performing SSH brute force attacks against \(S.bastionInstanceID).",
            description: "\(S.bruteForceIP) is performing SSH brute force attacks against \(S.bastionInstanceID). Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.",
            resource: bastion, action: inbound(Self.bruteGeo, port: 22, name: "SSH", remotePort: 40_188), resourceRole: "TARGET", additionalInfo: none)
        let bruteForce2 = Finding(
            type: "UnauthorizedAccess:EC2/SSHBruteForce", region: "us-east-1", severity: 2,
            created: S.at(16, 38, 27), createdMillis: 61, updated: S.at(16, 38, 27), updatedMillis: 61,
            firstSeen: S.at(16, 30, 4), lastSeen: S.at(16, 37, 58), count: 9, id: rng.hex(32),
            title: "\(S.secondBruteForceIP) is performing SSH brute force attacks against \(S.bastionInstanceID).",
            description: "\(S.secondBruteForceIP) is performing SSH brute force attacks against \(S.bastionInstanceID). Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.",
            resource: bastion, action: inbound(Self.bruteGeo2, port: 22, name: "SSH", remotePort: 52_214), resourceRole: "TARGET", additionalInfo: none)
        let probe = Finding(
            type: "Recon:EC2/PortProbeUnprotectedPort", region: "us-east-1", severity: 2,
            created: S.at(9, 41, 5), createdMillis: 233, updated: S.at(9, 41, 5), updatedMillis: 233,
            firstSeen: S.at(9, 33, 40), lastSeen: S.at(9, 40, 12), count: 3, id: rng.hex(32),
            title: "Unprotected port on EC2 instance \(S.bastionInstanceID) is being probed.",
            description: "EC2 instance has an unprotected port which is being probed by a known malicious host.",
            resource: bastion, action: jobj(["actionType": .string("PORT_PROBE"), "portProbeAction": jobj([
                "blocked": .bool(false),
                "portProbeDetails": .array([jobj(["localPortDetails": jobj(["port": jnum(22), "portName": .string("SSH")]),
                                                  "localIpDetails": jobj(["ipAddressV4": .string(S.bastionPrivateIP)]),
                                                  "remoteIpDetails": Self.probeGeo])]),
            ])]), resourceRole: "TARGET", additionalInfo: none)
        let dns = Finding(
            type: "CryptoCurrency:EC2/BitcoinTool.B!DNS", region: S.miningRegion, severity: 8,
            created: S.at(15, 24, 10), createdMillis: 512, updated: S.at(15, 24, 10), updatedMillis: 512,
            firstSeen: S.firstPoolLookup.seconds, lastSeen: S.at(15, 19, 30), count: 4, id: rng.hex(32),
            title: "Bitcoin-related domain name queried by EC2 instance \(S.miningInstanceID).",
            description: "EC2 instance \(S.miningInstanceID) is querying a domain name that is associated with Bitcoin-related activity.",
            resource: miner, action: jobj(["actionType": .string("DNS_REQUEST"), "dnsRequestAction": jobj([
                "domain": .string(S.miningPoolDomain), "protocol": .string("UDP"), "blocked": .bool(false),
                "domainWithSuffix": .string("supportxmr.example"),
            ])]), resourceRole: "ACTOR", additionalInfo: jobj(["value": .string("{\"threatListName\":\"ProofPoint\"}"), "type": .string("default")]))
        let pool = Finding(
            type: "CryptoCurrency:EC2/BitcoinTool.B", region: S.miningRegion, severity: 8,
            created: S.at(15, 31, 40), createdMillis: 7, updated: S.at(15, 31, 40), updatedMillis: 7,
            firstSeen: S.at(15, 12, 0), lastSeen: S.at(15, 29, 0), count: 18, id: rng.hex(32),
            title: "EC2 instance \(S.miningInstanceID) communicating with Bitcoin mining pools.",
            description: "EC2 instance \(S.miningInstanceID) is communicating with IP address \(S.miningPoolIP) on the Bitcoin network.",
            resource: miner, action: jobj(["actionType": .string("NETWORK_CONNECTION"), "networkConnectionAction": jobj([
                "connectionDirection": .string("OUTBOUND"), "blocked": .bool(false), "protocol": .string("TCP"),
                "localPortDetails": jobj(["port": jnum(45_812), "portName": .string("Unknown")]),
                "localIpDetails": jobj(["ipAddressV4": .string(S.miningInstancePrivateIP)]),
                "remoteIpDetails": Self.poolGeo, "remotePortDetails": jobj(["port": jnum(3333), "portName": .string("Unknown")]),
            ])]), resourceRole: "ACTOR", additionalInfo: jobj(["value": .string("{\"threatListName\":\"ProofPoint\"}"), "type": .string("default")]))

        // The CLI output was fetched the next morning: it has the latest versions of the us-east-1 findings.
        let bruteForceLater = bruteForce.updated(at: S.at(16, 18, 40), millis: 802, lastSeen: S.at(16, 12, 40), count: 37)
        let getFindings = [discovery, persistence, stealth, bruteForceLater, bruteForce2, probe]
        // EventBridge delivers each new finding and each update (updates aggregate at most every 6 hours by default;
        // this detector is set to 15 minutes).
        let events = [
            probe, discovery, persistence, dns, stealth, pool, bruteForce,
            dns.updated(at: S.at(15, 39, 12), millis: 455, lastSeen: S.at(15, 38, 2), count: 9),
            pool.updated(at: S.at(15, 46, 51), millis: 930, lastSeen: S.at(15, 45, 0), count: 41),
            bruteForceLater, bruteForce2,
            dns.updated(at: S.at(4, 1, 22, nextDay: true), millis: 118, lastSeen: S.at(3, 58, 40, nextDay: true), count: 57),
        ]
        return (getFindings, events)
    }

    mutating func write(to root: String) throws -> Int {
        let (cli, events) = findings()
        let document = jobj(["Findings": .array(cli.map(\.pascal))])
        try FileOutput.write(Array((prettyJSON(document) + "\n").utf8), to: FileOutput.join(root, "guardduty/get-findings-us-east-1.json"))
        var lines: [UInt8] = []
        for f in events {
            let event = jobj([
                "version": .string("0"), "id": .string(rng.uuid()), "detail-type": .string("GuardDuty Finding"),
                "source": .string("aws.guardduty"), "account": .string(S.accountID),
                "time": .string(UTC.iso(f.updated)), "region": .string(f.region), "resources": .array([]),
                "detail": f.camel,
            ])
            lines.append(event.serialized)
            lines.append(UInt8(ascii: "\n"))
        }
        try FileOutput.write(lines, to: FileOutput.join(root, "guardduty/eventbridge-findings.jsonl"))
        return cli.count + events.count
    }
}

/// camelCase keys → PascalCase, recursively (the CLI's spelling of GuardDuty's shapes).
func pascalCased(_ value: JSONValue) -> JSONValue {
    switch value {
    case .object(let members):
        return .object(members.map { key, v in (key.prefix(1).uppercased() + key.dropFirst(), pascalCased(v)) })
    case .array(let items):
        return .array(items.map(pascalCased))
    default:
        return value
    }
}

/// JSON text as the AWS CLI prints it (Python's `json.dumps(indent=4)`).
func prettyJSON(_ value: JSONValue, indent: Int = 0) -> String {
    let pad = String(repeating: " ", count: indent + 4), close = String(repeating: " ", count: indent)
    switch value {
    case .object(let members):
        if members.isEmpty { return "{}" }
        return "{\n" + members.map { pad + JSONValue.quoted($0.0) + ": " + prettyJSON($0.1, indent: indent + 4) }.joined(separator: ",\n") + "\n" + close + "}"
    case .array(let items):
        if items.isEmpty { return "[]" }
        return "[\n" + items.map { pad + prettyJSON($0, indent: indent + 4) }.joined(separator: ",\n") + "\n" + close + "]"
    default:
        return value.serialized
    }
}
