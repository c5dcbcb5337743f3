import VigilCore

/// VPC flow logs and Route 53 Resolver query logs for the sample.
struct SampleNetwork {
    typealias S = LeakedAccessKeyScenario
    var rng: SeededGenerator

    init(seed: UInt64) { rng = SeededGenerator(seed: seed, stream: 2) }

    struct Flow {
        var eni: String
        var src: String
        var dst: String
        var srcPort: Int
        var dstPort: Int
        var proto = 6
        var packets: Int
        var bytes: Int
        var start: Int64
        var end: Int64
        var action = "ACCEPT"
        var status = "OK"
        var tcpFlags = 19
        var egress = true

        var isNoData: Bool { status != "OK" }
    }

    // MARK: Flow logs

    mutating func flow(_ eni: String, _ src: String, _ srcPort: Int, _ dst: String, _ dstPort: Int, at t: Int64,
                       packets: ClosedRange<Int>, bytesPerPacket: ClosedRange<Int> = 60...1400, action: String = "ACCEPT",
                       egress: Bool = true, proto: Int = 6) -> Flow {
        let p = rng.int(in: packets)
        let start = t - t % 60 + Int64(rng.int(in: 0...4))
        return Flow(eni: eni, src: src, dst: dst, srcPort: srcPort, dstPort: dstPort, proto: proto, packets: p,
                    bytes: p * rng.int(in: bytesPerPacket), start: start, end: start + Int64(rng.int(in: 55...60)),
                    action: action, tcpFlags: action == "REJECT" ? 2 : (proto == 6 ? 19 : 0), egress: egress)
    }

    /// A connection seen from one ENI: the outgoing record and the reply.
    mutating func pair(_ eni: String, _ local: String, _ localPort: Int, _ remote: String, _ remotePort: Int, at t: Int64,
                       packets: ClosedRange<Int>, inbound: Bool = false, replyBytes: ClosedRange<Int> = 60...1400) -> [Flow] {
        var out = flow(eni, local, localPort, remote, remotePort, at: t, packets: packets)
        var back = flow(eni, remote, remotePort, local, localPort, at: t, packets: packets, bytesPerPacket: replyBytes, egress: false)
        back.start = out.start
        back.end = out.end
        if inbound {
            out.tcpFlags = 18
            back.tcpFlags = 3
        }
        return inbound ? [back, out] : [out, back]
    }

    func ephemeral(_ rng: inout SeededGenerator) -> Int { rng.int(in: 32_768...60_999) }

    /// The production VPC in us-east-1, exported from CloudWatch Logs: v2 default format, no header, one stream per ENI.
    mutating func productionFlows() -> [Flow] {
        var flows: [Flow] = []
        let db = "10.20.2.30", github = "198.51.100.15", payments = "198.51.100.30"
        // Application traffic, sampled every ~15 minutes by day and hourly at night.
        var t = World.start + 40
        while t < World.end {
            for app in [World.app1, World.app2] {
                flows += pair(app.eni, app.privateIP, ephemeral(&rng), db, 5432, at: t, packets: 20...400, replyBytes: 100...1400)
                flows += pair(app.eni, app.privateIP, 8080, "10.20.0.100", ephemeral(&rng), at: t + 7, packets: 10...300, inbound: true)
                if rng.chance(0.5) {
                    flows += pair(app.eni, app.privateIP, ephemeral(&rng), payments, 443, at: t + 19, packets: 8...40)
                }
            }
            flows += pair(World.worker.eni, World.worker.privateIP, ephemeral(&rng), db, 5432, at: t + 31, packets: 50...900)
            if rng.chance(0.2) {
                flows += pair(World.worker.eni, World.worker.privateIP, ephemeral(&rng), github, 443, at: t + 33, packets: 10...60)
            }
            let hour = UTC.fields(t).hour
            t += (12...23).contains(hour) ? 900 + Int64(rng.int(in: -30...30)) : 3600
        }
        // Admins on the bastion (IPv4 office and IPv6 VPN) and its hops to the app servers.
        for (who, at, minutes) in [("192.0.2.41", World.at(9, 14, 2), 6), (World.vpnIPv6, World.at(16, 41, 30), 9), ("192.0.2.41", World.at(19, 55, 10), 4)] {
            let local = who.contains(":") ? "2001:db8:20::10" : S.bastionPrivateIP
            let port = ephemeral(&rng)
            for m in 0..<minutes {
                flows += pair(World.bastion.eni, local, 22, who, port, at: at + Int64(m * 60), packets: 30...200, inbound: true)
            }
            flows += pair(World.bastion.eni, S.bastionPrivateIP, ephemeral(&rng), World.app1.privateIP, 22, at: at + 90, packets: 40...300)
        }
        // Internet background: a port scan (REJECTed except 22) and stray probes.
        for (n, port) in [23, 3389, 445, 22, 5900, 8080, 1433, 6379].enumerated() {
            let at = World.at(9, 33, 40) + Int64(n * 55)
            if port == 22 {
                flows += pair(World.bastion.eni, S.bastionPrivateIP, 22, "198.51.100.77", ephemeral(&rng), at: at, packets: 2...4, inbound: true)
            } else {
                flows.append(flow(World.bastion.eni, "198.51.100.77", ephemeral(&rng), S.bastionPrivateIP, port, at: at, packets: 1...2,
                                  bytesPerPacket: 40...44, action: "REJECT", egress: false))
            }
        }
        for _ in 0..<30 {
            let at = World.start + Int64(rng.int(in: 0...86_000))
            let scanner = "198.51.100.\(rng.int(in: 90...130))"
            flows.append(flow(World.bastion.eni, scanner, ephemeral(&rng), S.bastionPrivateIP, rng.pick([23, 445, 3389, 5060, 8443, 2375]), at: at,
                              packets: 1...1, bytesPerPacket: 40...44, action: "REJECT", egress: false))
        }
        // The brute force: one TCP connection per few guesses, from two addresses.
        for (ip, from, to, connections) in [(S.bruteForceIP, S.bruteForceStart.seconds, S.sshPasswordAccepted.seconds, 44),
                                            (S.secondBruteForceIP, World.at(16, 30, 4), World.at(16, 41, 0), 18)] {
            for k in 0..<connections {
                let at = from + (to - from) * Int64(k) / Int64(connections)
                flows += pair(World.bastion.eni, S.bastionPrivateIP, 22, ip, bruteForcePort(ip: ip, k), at: at, packets: 14...26, inbound: true, replyBytes: 80...200)
            }
        }
        // The intruder's session as deploy, and its look around the VPC.
        let sessionPort = bruteForcePort(ip: S.bruteForceIP, 44)
        for m in 0..<13 {
            flows += pair(World.bastion.eni, S.bastionPrivateIP, 22, S.bruteForceIP, sessionPort, at: S.sshPasswordAccepted.seconds + Int64(m * 60),
                          packets: 20...160, inbound: true)
        }
        flows += pair(World.bastion.eni, S.bastionPrivateIP, ephemeral(&rng), "198.51.100.16", 443, at: World.at(16, 16, 20), packets: 300...900, replyBytes: 1200...1400)
        for (n, host) in (1...24).enumerated() {
            let at = World.at(16, 19, 5) + Int64(n * 4)
            let dst = "10.20.1.\(host)"
            if dst == World.app1.privateIP || dst == World.app2.privateIP {
                flows += pair(World.bastion.eni, S.bastionPrivateIP, ephemeral(&rng), dst, 22, at: at, packets: 8...14)
            } else {
                flows.append(flow(World.bastion.eni, S.bastionPrivateIP, ephemeral(&rng), dst, 22, at: at, packets: 2...3, bytesPerPacket: 60...60))
            }
        }
        for port in [5432, 3306, 6379] {
            flows.append(flow(World.bastion.eni, S.bastionPrivateIP, ephemeral(&rng), db, port, at: World.at(16, 21, 30), packets: 1...2,
                              bytesPerPacket: 60...60, action: "REJECT"))
        }
        // The intruder comes back at night.
        for m in 0..<6 {
            flows += pair(World.bastion.eni, S.bastionPrivateIP, 22, S.bruteForceIP, 51_066, at: World.at(2, 40, 31, nextDay: true) + Int64(m * 60),
                          packets: 20...120, inbound: true)
        }
        // An idle ENI reports NODATA; one capture window was skipped.
        let idle = "eni-0f8e9dab0c1d2e3f4"
        let quiet = World.at(11, 0)
        flows.append(Flow(eni: idle, src: "-", dst: "-", srcPort: 0, dstPort: 0, packets: 0, bytes: 0, start: quiet, end: quiet + 60,
                          action: "-", status: "NODATA"))
        flows.append(Flow(eni: World.worker.eni, src: "-", dst: "-", srcPort: 0, dstPort: 0, packets: 0, bytes: 0, start: World.at(3, 12, nextDay: true),
                          end: World.at(3, 12, nextDay: true) + 60, action: "-", status: "SKIPDATA"))
        // CloudWatch Logs keeps one stream per ENI; the export concatenates them.
        var ordered = flows.enumerated().map { ($0.offset, $0.element) }
        ordered.sort { a, b in (a.1.eni, a.1.start, a.0) < (b.1.eni, b.1.start, b.0) }
        return ordered.map(\.1)
    }

    func bruteForcePort(ip: String, _ k: Int) -> Int {
        (ip == S.bruteForceIP ? 40_122 : 52_214) + k * 66
    }

    static func v2Line(_ f: Flow) -> String {
        if f.isNoData {
            return "2 \(S.accountID) \(f.eni) - - - - - - - \(f.start) \(f.end) - \(f.status)"
        }
        return "2 \(S.accountID) \(f.eni) \(f.src) \(f.dst) \(f.srcPort) \(f.dstPort) \(f.proto) \(f.packets) \(f.bytes) \(f.start) \(f.end) \(f.action) \(f.status)"
    }

    static let v5Header = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status region az-id flow-direction traffic-path"

    static func v5Line(_ f: Flow) -> String {
        if f.isNoData {
            return "5 \(World.minerVPC) \(World.minerSubnet) \(S.miningInstanceID) \(f.eni) \(S.accountID) - - - - - - - - - - \(f.start) \(f.end) - - \(f.status) \(S.miningRegion) apse2-az3 - -"
        }
        let direction = f.egress ? "egress" : "ingress"
        let path = f.egress && !f.dst.hasPrefix("172.31.") ? "8" : "-"
        return "5 \(World.minerVPC) \(World.minerSubnet) \(S.miningInstanceID) \(f.eni) \(S.accountID) IPv4 \(f.src) \(f.dst) \(f.srcPort) \(f.dstPort) \(f.src) \(f.dst) \(f.proto) \(f.bytes) \(f.packets) \(f.start) \(f.end) \(f.action) \(f.tcpFlags) \(f.status) \(S.miningRegion) apse2-az3 \(direction) \(path)"
    }

    /// The miner's first hour in ap-southeast-2's default VPC, as one S3-delivered v5 file.
    mutating func minerFlows() -> [Flow] {
        let eni = World.minerENI, me = S.miningInstancePrivateIP
        var flows: [Flow] = []
        flows.append(Flow(eni: eni, src: "-", dst: "-", srcPort: 0, dstPort: 0, packets: 0, bytes: 0, start: World.at(15, 8, 0),
                          end: World.at(15, 9, 0), action: "-", status: "NODATA"))
        // The attacker logs in over SSH to set the miner up.
        for m in 0..<22 {
            flows += pair(eni, me, 22, S.attackerIP, 51_822, at: World.at(15, 9, 10) + Int64(m * 60), packets: 12...90, inbound: true)
        }
        // Downloads from GitHub.
        flows += pair(eni, me, 41_206, "198.51.100.15", 443, at: World.at(15, 10, 2), packets: 20...40)
        flows += pair(eni, me, 41_208, "198.51.100.16", 443, at: World.at(15, 10, 3), packets: 900...2400, replyBytes: 1350...1400)
        // Mining: stratum to the pool on 3333, a failover pool on 4444, then the pool's TLS port 14444.
        var t = World.at(15, 12, 0)
        while t < World.at(16, 10, 0) {
            let f = UTC.fields(t)
            let minute = f.hour * 60 + f.minute
            if minute >= 15 * 60 + 25 && minute < 15 * 60 + 29 {
                flows += pair(eni, me, 46_030, S.failoverPoolIP, 4444, at: t, packets: 6...14, replyBytes: 90...400)
            } else if minute < 15 * 60 + 38 {
                flows += pair(eni, me, 45_812, S.miningPoolIP, 3333, at: t, packets: 6...16, replyBytes: 90...400)
            } else {
                flows += pair(eni, me, 45_990, S.miningPoolIP, 14_444, at: t, packets: 8...18, replyBytes: 120...500)
            }
            t += 60
        }
        // Internet noise against the new public address.
        for (n, port) in [3389, 23, 445, 22].enumerated() {
            let at = World.at(15, 40, 12) + Int64(n * 70)
            if port == 22 {
                flows += pair(eni, me, 22, "198.51.100.77", ephemeral(&rng), at: at, packets: 2...5, inbound: true)
            } else {
                flows.append(flow(eni, "198.51.100.77", ephemeral(&rng), me, port, at: at, packets: 1...1, bytesPerPacket: 40...44,
                                  action: "REJECT", egress: false))
            }
        }
        var ordered = flows.enumerated().map { ($0.offset, $0.element) }
        // Delivery batches by capture window; within a window the order is arbitrary.
        ordered.sort { a, b in (a.1.start / 300, a.0) < (b.1.start / 300, b.0) }
        var result = ordered.map(\.1)
        var i = 0
        while i < result.count {
            var j = i
            while j < result.count && result[j].start / 300 == result[i].start / 300 { j += 1 }
            var slice = Array(result[i..<j])
            rng.shuffle(&slice)
            result.replaceSubrange(i..<j, with: slice)
            i = j
        }
        return result
    }

    // MARK: DNS

    struct Query {
        var time: Int64
        var vpc: String
        var region: String
        var name: String
        var type = "A"
        var rcode = "NOERROR"
        var answers: [(String, String)] = []
        var src: String
        var instance: String
    }

    static let resolved: [(String, [(String, String)])] = [
        ("secretsmanager.us-east-1.amazonaws.com.", [("192.0.2.161", "A")]),
        ("sts.us-east-1.amazonaws.com.", [("192.0.2.160", "A")]),
        ("harborlight-prod-orders-exports.s3.us-east-1.amazonaws.com.", [("s3-r-w.us-east-1.amazonaws.com.", "CNAME"), ("192.0.2.162", "A")]),
        ("orders-db.cluster-c9x8y7z6w5v4.us-east-1.rds.amazonaws.com.", [("10.20.2.30", "A")]),
        ("api.payments.example.net.", [("payments-edge.example.net.", "CNAME"), ("198.51.100.30", "A")]),
        ("logs.us-east-1.amazonaws.com.", [("192.0.2.164", "A")]),
        ("ssm.us-east-1.amazonaws.com.", [("10.20.1.200", "A")]),
        ("api.github.com.", [("198.51.100.15", "A")]),
    ]

    mutating func queries() -> [Query] {
        var out: [Query] = []
        let prod = World.prodVPC, r = "us-east-1"
        let hosts = [World.app1, World.app2, World.worker]
        var t = World.start + 17
        while t < World.end {
            let host = rng.pick(hosts)
            let k = WeightedPicker.zipf(count: Self.resolved.count, exponent: 0.8).pick(&rng)
            let (name, answers) = Self.resolved[k]
            out.append(Query(time: t, vpc: prod, region: r, name: name, answers: answers, src: host.privateIP, instance: host.id))
            if rng.chance(0.12) {
                // A search-domain expansion tried first.
                let expanded = String(name.dropLast()) + ".ec2.internal."
                out.append(Query(time: t, vpc: prod, region: r, name: expanded, rcode: "NXDOMAIN", src: host.privateIP, instance: host.id))
            }
            if rng.chance(0.06) {
                out.append(Query(time: t + 1, vpc: prod, region: r, name: name, type: "AAAA", answers: [], src: host.privateIP, instance: host.id))
            }
            let hour = UTC.fields(t).hour
            t += (12...23).contains(hour) ? Int64(rng.int(in: 60...300)) : Int64(rng.int(in: 600...1500))
        }
        // The bastion's own lookups: apt and time, and the intruder's after the break-in.
        for at in [World.at(6, 25, 3), World.at(18, 25, 3), World.at(6, 25, 3) + 86_400 - 60] where at < World.end {
            out.append(Query(time: at, vpc: prod, region: r, name: "archive.ubuntu.com.", answers: [("198.51.100.40", "A"), ("198.51.100.41", "A")],
                             src: S.bastionPrivateIP, instance: S.bastionInstanceID))
            out.append(Query(time: at, vpc: prod, region: r, name: "archive.ubuntu.com.", type: "AAAA", answers: [("2001:db8:91::15", "AAAA")],
                             src: S.bastionPrivateIP, instance: S.bastionInstanceID))
            out.append(Query(time: at + 2, vpc: prod, region: r, name: "ntp.ubuntu.com.", answers: [("198.51.100.45", "A")],
                             src: S.bastionPrivateIP, instance: S.bastionInstanceID))
        }
        for (offset, name, answers, rcode) in [
            (90, "ipinfo.example.org.", [("198.51.100.99", "A")], "NOERROR"),
            (180, "raw.githubusercontent.com.", [("198.51.100.16", "A")], "NOERROR"),
            (181, "raw.githubusercontent.com.", [("2001:db8:85::16", "AAAA")], "NOERROR"),
            (400, "orders-db.internal.harborlight.", [], "NXDOMAIN"),
            (405, "orders-db.cluster-c9x8y7z6w5v4.us-east-1.rds.amazonaws.com.", [("10.20.2.30", "A")], "NOERROR"),
        ] as [(Int64, String, [(String, String)], String)] {
            out.append(Query(time: S.sshPasswordAccepted.seconds + offset, vpc: prod, region: r, name: name,
                             type: answers.first?.1 == "AAAA" ? "AAAA" : "A", rcode: rcode, answers: answers,
                             src: S.bastionPrivateIP, instance: S.bastionInstanceID))
        }
        out.append(Query(time: S.sshPasswordAccepted.seconds + 95, vpc: prod, region: r, name: "23.100.51.198.in-addr.arpa.", type: "PTR",
                         rcode: "NXDOMAIN", src: S.bastionPrivateIP, instance: S.bastionInstanceID))
        return out
    }

    mutating func minerQueries() -> [Query] {
        var out: [Query] = []
        let vpc = World.minerVPC, r = S.miningRegion, me = S.miningInstancePrivateIP, id = S.miningInstanceID
        func q(_ t: Int64, _ name: String, _ answers: [(String, String)], type: String = "A") -> Query {
            Query(time: t, vpc: vpc, region: r, name: name, type: type, answers: answers, src: me, instance: id)
        }
        out.append(q(World.at(15, 8, 41), "ap-southeast-2.ec2.archive.ubuntu.com.", [("192.0.2.170", "A")]))
        out.append(q(World.at(15, 8, 41), "ap-southeast-2.ec2.archive.ubuntu.com.", [("2001:db8:92::17", "AAAA")], type: "AAAA"))
        out.append(q(World.at(15, 8, 44), "ntp.ubuntu.com.", [("198.51.100.45", "A")]))
        out.append(q(World.at(15, 10, 2), "github.com.", [("198.51.100.15", "A")]))
        out.append(q(World.at(15, 10, 3), "objects.githubusercontent.com.", [("198.51.100.16", "A")]))
        out.append(q(S.firstPoolLookup.seconds, S.miningPoolDomain + ".", [("198.51.100.142", "A")]))
        out.append(q(World.at(15, 25, 10), S.failoverPoolDomain + ".", [("198.51.100.143", "A")]))
        var t = World.at(15, 19, 30)
        while t < World.end {
            out.append(q(t, S.miningPoolDomain + ".", [("198.51.100.142", "A")]))
            t += Int64(rng.int(in: 420...1500))
        }
        return out
    }

    static func queryLine(_ q: Query, port: Int) -> String {
        let answers = q.answers.map { "{\"Rdata\":\(JSONValue.quoted($0.0)),\"Type\":\"\($0.1)\",\"Class\":\"IN\"}" }.joined(separator: ",")
        return "{\"version\":\"1.100000\",\"account_id\":\"\(S.accountID)\",\"region\":\"\(q.region)\",\"vpc_id\":\"\(q.vpc)\",\"query_timestamp\":\"\(UTC.iso(q.time))\",\"query_name\":\(JSONValue.quoted(q.name)),\"query_type\":\"\(q.type)\",\"query_class\":\"IN\",\"rcode\":\"\(q.rcode)\",\"answers\":[\(answers)],\"srcaddr\":\"\(q.src)\",\"srcport\":\"\(port)\",\"transport\":\"UDP\",\"srcids\":{\"instance\":\"\(q.instance)\"}}"
    }

    // MARK: Writing

    mutating func write(to root: String) throws -> (flows: Int, queries: Int) {
        let production = productionFlows()
        var text = production.map(Self.v2Line).joined(separator: "\n") + "\n"
        try FileOutput.write(Array(text.utf8), to: FileOutput.join(root, "cloudwatch-export/prod-vpc-flow-logs-us-east-1.log"))

        let miner = minerFlows()
        text = Self.v5Header + "\n" + miner.map(Self.v5Line).joined(separator: "\n") + "\n"
        let written = World.at(16, 10, 0)
        let flowPath = "AWSLogs/\(S.accountID)/vpcflowlogs/\(S.miningRegion)/\(UTC.slashDate(written))/\(S.accountID)_vpcflowlogs_\(S.miningRegion)_fl-0c9d8e7f6a5b4c3d2_\(UTC.compactMinute(written))_\(rng.hex(8)).log.gz"
        try FileOutput.write(GzipWriter.compress(Array(text.utf8), level: 9), to: FileOutput.join(root, flowPath))

        var total = 0
        for (file, list) in [("route53-resolver/\(World.prodVPC)-us-east-1.log", queries()),
                             ("route53-resolver/\(World.minerVPC)-\(S.miningRegion).log", minerQueries())] {
            let sorted = list.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            var lines: [UInt8] = []
            for query in sorted {
                lines.append(Self.queryLine(query, port: rng.int(in: 32_768...60_999)))
                lines.append(UInt8(ascii: "\n"))
            }
            try FileOutput.write(lines, to: FileOutput.join(root, file))
            total += sorted.count
        }
        return (production.count + miner.count, total)
    }
}
