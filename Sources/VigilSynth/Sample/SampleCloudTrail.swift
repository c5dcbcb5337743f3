import VigilCore

/// One recorded CloudTrail event, serialised.
struct TrailEntry {
    var time: Int64
    var region: String
    var eventID: String
    var json: [UInt8]
    /// Made by the attacker or the remediation: kept even while the trail is stopped.
    var pinned: Bool
}

/// Builds the sample's CloudTrail records and writes them in the S3 delivery layout.
final class SampleCloudTrail {
    var rng: SeededGenerator
    var entries: [TrailEntry] = []
    /// The S3 bucket the trail delivers to.
    static let bucket = World.trailBucket
    static let trailName = "management-events"

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed, stream: 1)
    }

    // MARK: Records

    /// A call with its time filled in later by ``sequence(_:from:gap:_:)``.
    func call(_ service: String, _ name: String, _ region: String = "us-east-1",
              params: JSONValue = .null, response: JSONValue = .null) -> APICall {
        APICall(0, region, service, name, params: params, response: response)
    }

    /// Records `call` made by `caller`; returns the event id.
    @discardableResult
    func emit(_ caller: Caller, _ call: APICall, pinned: Bool = false) -> String {
        let eventID = rng.uuid()
        var m: [(String, JSONValue)] = []
        m.reserveCapacity(24)
        m.append(("eventVersion", .string(call.eventVersion)))
        m.append(("userIdentity", caller.identityJSON()))
        m.append(("eventTime", .string(UTC.iso(call.time))))
        m.append(("eventSource", .string(call.eventSource)))
        m.append(("eventName", .string(call.name)))
        m.append(("awsRegion", .string(call.region)))
        m.append(("sourceIPAddress", .string(caller.sourceIP)))
        m.append(("userAgent", .string(caller.userAgent)))
        if let code = call.errorCode { m.append(("errorCode", .string(code))) }
        if let message = call.errorMessage { m.append(("errorMessage", .string(message))) }
        m.append(("requestParameters", call.params))
        m.append(("responseElements", call.response))
        if let additional = call.additional { m.append(("additionalEventData", additional)) }
        if !call.omitRequestID {
            let requestID = call.service == "s3" ? rng.hex(16).uppercased() : rng.uuid()
            m.append(("requestID", .string(requestID)))
        }
        m.append(("eventID", .string(eventID)))
        m.append(("readOnly", .bool(call.isReadOnly)))
        if let resources = call.resources { m.append(("resources", .array(resources))) }
        m.append(("eventType", .string(call.eventType)))
        m.append(("managementEvent", .bool(!call.dataEvent)))
        m.append(("recipientAccountId", .string(World.account)))
        if case .service = caller.identity, call.name.hasPrefix("AssumeRole") {
            m.append(("sharedEventID", .string(rng.uuid())))
        }
        if let endpoint = caller.vpcEndpoint {
            m.append(("vpcEndpointId", .string(endpoint)))
            m.append(("vpcEndpointAccountId", .string(World.account)))
        }
        m.append(("eventCategory", .string(call.dataEvent ? "Data" : "Management")))
        if !caller.isService {
            let cipher = caller.tlsVersion == "TLSv1.3" ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256"
            m.append(("tlsDetails", jobj(["tlsVersion": .string(caller.tlsVersion), "cipherSuite": .string(cipher),
                                          "clientProvidedHostHeader": .string(call.host ?? call.defaultHost)])))
        }
        if caller.console && call.eventType == "AwsApiCall" {
            m.append(("sessionCredentialFromConsole", .string("true")))
        }
        let json = Array(JSONValue.object(m).serialized.utf8)
        entries.append(TrailEntry(time: call.time, region: call.region, eventID: eventID, json: json, pinned: pinned))
        return eventID
    }

    /// Records `calls` one after another from `start`, `gap` seconds apart (drawn); returns the last time.
    @discardableResult
    func sequence(_ caller: Caller, from start: Int64, gap: ClosedRange<Int>, _ calls: [APICall], pinned: Bool = false) -> Int64 {
        var t = start
        for (i, var c) in calls.enumerated() {
            if i > 0 { t += Int64(rng.int(in: gap)) }
            c.time = t
            emit(caller, c, pinned: pinned)
        }
        return t
    }

    // MARK: Common shapes

    func sessionKey() -> String { "ASIA" + rng.keyChars(16) }

    func roleID() -> String { "AROA" + rng.keyChars(17) }

    func s3Object(_ name: String, bucket: String, key: String, region: String = "us-east-1", bytesOut: Int = 0,
                  bytesIn: Int = 0, params extra: KeyValuePairs<String, JSONValue?> = [:], response: JSONValue = .null) -> APICall {
        var params: [(String, JSONValue)] = [("bucketName", .string(bucket)), ("Host", .string("\(bucket).s3.\(region).amazonaws.com"))]
        if !key.isEmpty { params.append(("key", .string(key))) }
        for (k, v) in extra { if let v { params.append((k, v)) } }
        var c = APICall(0, region, "s3", name, params: .object(params), response: response)
        c.dataEvent = true
        c.eventVersion = "1.10"
        c.host = "\(bucket).s3.\(region).amazonaws.com"
        c.additional = jobj([
            "SignatureVersion": .string("SigV4"), "CipherSuite": .string("TLS_AES_128_GCM_SHA256"),
            "bytesTransferredIn": jnum(bytesIn), "AuthenticationMethod": .string("AuthHeader"),
            "x-amz-id-2": .string(rng.alphanumeric(56) + "/" + rng.alphanumeric(19) + "="),
            "bytesTransferredOut": jnum(bytesOut),
        ])
        var resources: [JSONValue] = []
        if !key.isEmpty {
            resources.append(jobj(["type": .string("AWS::S3::Object"), "ARN": .string("arn:aws:s3:::\(bucket)/\(key)")]))
        }
        resources.append(jobj(["accountId": .string(World.account), "type": .string("AWS::S3::Bucket"),
                               "ARN": .string("arn:aws:s3:::\(bucket)")]))
        c.resources = resources
        return c
    }

    func roleResource(_ arn: String) -> [JSONValue] {
        [jobj(["accountId": .string(World.account), "type": .string("AWS::IAM::Role"), "ARN": .string(arn)])]
    }

    func kmsResource(_ arn: String) -> [JSONValue] {
        [jobj(["accountId": .string(World.account), "type": .string("AWS::KMS::Key"), "ARN": .string(arn)])]
    }

    /// `sts:AssumeRole` made by an AWS service for a role (instance profiles, Lambda, ECS tasks).
    @discardableResult
    func serviceAssumeRole(_ time: Int64, service: String, role: String, session: String, region: String = "us-east-1",
                           expiresIn: Int64 = 21_600) -> String {
        let arn = World.roleARN(role)
        var c = APICall(time, region, "sts", "AssumeRole",
                        params: jobj(["roleArn": .string(arn), "roleSessionName": .string(session)]),
                        response: jobj(["credentials": jobj([
                            "accessKeyId": .string(sessionKey()),
                            "sessionToken": .string("IQoJb3JpZ2luX2VjE" + rng.alphanumeric(48)),
                            "expiration": .string(iamDate(time + expiresIn)),
                        ])]))
        c.resources = roleResource(arn)
        c.readOnly = true
        c.eventVersion = "1.08"
        return emit(Caller(identity: .service(service), sourceIP: service, userAgent: service), c)
    }

    func consoleLogin(_ time: Int64, user: String, principalID: String, ip: String, userAgent: String, mfa: Bool,
                      success: Bool = true, pinned: Bool = false) {
        var c = APICall(time, "us-east-1", "signin", "ConsoleLogin",
                        response: jobj(["ConsoleLogin": .string(success ? "Success" : "Failure")]))
        c.eventType = "AwsConsoleSignIn"
        c.omitRequestID = true
        c.readOnly = false
        var extra: [(String, JSONValue)] = [
            ("LoginTo", .string("https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_\(rng.hex(16))")),
            ("MobileVersion", .string("No")),
        ]
        if mfa { extra.append(("MFAIdentifier", .string("arn:aws:iam::\(World.account):mfa/\(user)"))) }
        extra.append(("MFAUsed", .string(mfa ? "Yes" : "No")))
        c.additional = .object(extra)
        if !success { c.errorMessage = "Failed authentication" }
        let caller = Caller(identity: .signIn(name: user, principalID: principalID, failed: !success), sourceIP: ip, userAgent: userAgent)
        emit(caller, c, pinned: pinned)
    }

    // MARK: Writing

    struct DeliveredFile {
        var region: String
        var written: Int64
        var path: String
        var records: [Int]
    }

    /// Writes every entry to `root/AWSLogs/…` as 5-minute delivery files, plus one digest file.
    func write(to root: String, trailStopped: ClosedRange<Int64>) throws -> (files: Int, records: Int) {
        // Drop what a stopped trail would not have recorded.
        let kept = entries.indices.filter { i in
            let e = entries[i]
            return e.pinned || !(e.time > trailStopped.lowerBound && e.time < trailStopped.upperBound)
        }
        struct Key: Hashable, Comparable {
            var region: String
            var window: Int64
            static func < (a: Key, b: Key) -> Bool { (a.region, a.window) < (b.region, b.window) }
        }
        var groups: [Key: [Int]] = [:]
        for i in kept {
            let e = entries[i]
            var window = (e.time / 300 + 1) * 300
            if rng.chance(0.02) { window += 300 }  // late delivery: lands in the next file
            groups[Key(region: e.region, window: window), default: []].append(i)
        }
        var keys = groups.keys.sorted()
        // A few records delivered twice, in two consecutive files (CloudTrail's at-least-once delivery).
        var duplicated = 0
        var k = 0
        while duplicated < 8 && k < keys.count {
            let key = keys[k]
            let next = Key(region: key.region, window: key.window + 300)
            if key.region == "us-east-1", key.window >= World.at(9, 0), rng.chance(0.08), let first = groups[key]?.first {
                groups[next, default: []].append(first)
                duplicated += 1
            }
            k += 1
        }
        keys = groups.keys.sorted()

        var files: [DeliveredFile] = []
        var records = 0
        for key in keys {
            var members = groups[key] ?? []
            rng.shuffle(&members)
            let written = key.window + Int64(rng.int(in: 20...290))
            let name = "\(World.account)_CloudTrail_\(key.region)_\(UTC.compactMinute(written))_\(rng.alphanumeric(16)).json.gz"
            let path = "AWSLogs/\(World.account)/CloudTrail/\(key.region)/\(UTC.slashDate(written))/\(name)"
            var doc: [UInt8] = []
            doc.append("{\"Records\":[")
            for (n, i) in members.enumerated() {
                if n > 0 { doc.append(UInt8(ascii: ",")) }
                doc.append(contentsOf: entries[i].json)
            }
            doc.append("]}")
            try FileOutput.write(GzipWriter.compress(doc, level: 9), to: FileOutput.join(root, path))
            files.append(DeliveredFile(region: key.region, written: written, path: path, records: members))
            records += members.count
        }
        try writeDigest(to: root, files: files)
        return (files.count, records)
    }

    /// One hourly digest for us-east-1, listing that hour's log files; readers skip digests.
    private func writeDigest(to root: String, files: [DeliveredFile]) throws {
        let start = World.at(14, 0), end = World.at(15, 0)
        let listed = files.filter { $0.region == "us-east-1" && $0.written >= start && $0.written < end }
        let digestTime = end + 312
        let name = "\(World.account)_CloudTrail-Digest_us-east-1_\(Self.trailName)_us-east-1_\(UTC.compactMinute(digestTime).dropLast())\(digestTime % 60 < 10 ? "0" : "")\(digestTime % 60)Z.json.gz"
        let path = "AWSLogs/\(World.account)/CloudTrail-Digest/us-east-1/\(UTC.slashDate(digestTime))/\(name)"
        let previous = "AWSLogs/\(World.account)/CloudTrail-Digest/us-east-1/\(UTC.slashDate(start))/\(World.account)_CloudTrail-Digest_us-east-1_\(Self.trailName)_us-east-1_\(UTC.compactMinute(start + 312).dropLast())12Z.json.gz"
        var logFiles: [JSONValue] = []
        var oldest = Int64.max, newest = Int64.min
        for f in listed {
            let times = f.records.map { entries[$0].time }
            let lo = times.min() ?? f.written, hi = times.max() ?? f.written
            oldest = min(oldest, lo)
            newest = max(newest, hi)
            logFiles.append(jobj([
                "s3Bucket": .string(Self.bucket), "s3Object": .string(f.path),
                "hashValue": .string(rng.hex(64)), "hashAlgorithm": .string("SHA-256"),
                "newestEventTime": .string(UTC.iso(hi)), "oldestEventTime": .string(UTC.iso(lo)),
            ]))
        }
        let digest = jobj([
            "awsAccountId": .string(World.account),
            "digestStartTime": .string(UTC.iso(start)),
            "digestEndTime": .string(UTC.iso(end)),
            "digestS3Bucket": .string(Self.bucket),
            "digestS3Object": .string(path),
            "digestPublicKeyFingerprint": .string(rng.hex(32)),
            "digestSignatureAlgorithm": .string("SHA256withRSA"),
            "newestEventTime": .string(UTC.iso(newest == Int64.min ? end : newest)),
            "oldestEventTime": .string(UTC.iso(oldest == Int64.max ? start : oldest)),
            "previousDigestS3Bucket": .string(Self.bucket),
            "previousDigestS3Object": .string(previous),
            "previousDigestHashValue": .string(rng.hex(64)),
            "previousDigestHashAlgorithm": .string("SHA-256"),
            "previousDigestSignature": .string(rng.hex(512)),
            "logFiles": .array(logFiles),
        ])
        try FileOutput.write(GzipWriter.compress(Array(digest.serialized.utf8), level: 9), to: FileOutput.join(root, path))
    }
}
