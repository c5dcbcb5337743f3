/// The bastion's `/var/log/auth.log` (Ubuntu, classic syslog format, UTC clock).
struct SampleAuthLog {
    typealias S = LeakedAccessKeyScenario
    var rng: SeededGenerator
    var lines: [(time: Int64, order: Int, text: String)] = []
    var nextSession = 9

    init(seed: UInt64) { rng = SeededGenerator(seed: seed, stream: 3) }

    mutating func add(_ t: Int64, _ process: String, _ message: String) {
        lines.append((t, lines.count, "\(UTC.syslog(t)) \(S.bastionHostName) \(process): \(message)"))
    }

    /// Process ids grow with time, as on a real host.
    mutating func pid(_ t: Int64) -> Int {
        1200 + Int((t - World.start) / 37) + rng.int(in: 0...6)
    }

    static let uids = ["ubuntu": 1000, "priya": 1001, "elena": 1002, "jordan": 1003, "deploy": 1005]

    /// A complete interactive login and logout.
    mutating func session(_ user: String, from ip: String, port: Int, at t: Int64, minutes: Int, method: String, key: String? = nil,
                          commands: [(Int, String)] = []) {
        let sshd = "sshd[\(pid(t))]"
        let uid = Self.uids[user] ?? 1000
        let session = nextSession
        nextSession += 1
        if method == "publickey" {
            add(t, sshd, "Accepted publickey for \(user) from \(ip) port \(port) ssh2: \(key ?? "ED25519 SHA256:" + rng.alphanumeric(43))")
        } else {
            add(t, sshd, "Accepted password for \(user) from \(ip) port \(port) ssh2")
        }
        add(t, sshd, "pam_unix(sshd:session): session opened for user \(user)(uid=\(uid)) by (uid=0)")
        add(t, "systemd-logind[612]", "New session \(session) of user \(user).")
        for (offset, command) in commands {
            add(t + Int64(offset), "sudo", command)
        }
        let end = t + Int64(minutes * 60 + rng.int(in: 0...50))
        add(end, sshd, "Received disconnect from \(ip) port \(port):11: disconnected by user")
        add(end, sshd, "Disconnected from user \(user) \(ip) port \(port)")
        add(end, sshd, "pam_unix(sshd:session): session closed for user \(user)")
        add(end, "systemd-logind[612]", "Session \(session) logged out. Waiting for processes to exit.")
        add(end, "systemd-logind[612]", "Removed session \(session).")
    }

    static let guesses = ["admin", "test", "oracle", "postgres", "git", "user", "ftpuser", "pi", "jenkins", "ubnt", "support", "guest", "hadoop", "minecraft"]
    static let validGuesses = ["root", "ubuntu", "deploy"]

    /// One attacker connection with up to `tries` password guesses.
    mutating func bruteConnection(_ ip: String, port: Int, at t: Int64, user: String, tries: Int) {
        let sshd = "sshd[\(pid(t))]"
        let valid = Self.validGuesses.contains(user)
        var now = t
        if !valid { add(now, sshd, "Invalid user \(user) from \(ip) port \(port)") }
        for k in 0..<tries {
            now += Int64(rng.int(in: 1...4))
            if k == 0 {
                let tail = valid ? "  user=\(user)" : ""
                add(now, sshd, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=\(ip)\(tail)")
            }
            add(now, sshd, "Failed password for \(valid ? "" : "invalid user ")\(user) from \(ip) port \(port) ssh2")
        }
        now += Int64(rng.int(in: 0...2))
        if tries >= 6 {
            add(now, sshd, "error: maximum authentication attempts exceeded for \(valid ? "" : "invalid user ")\(user) from \(ip) port \(port) ssh2 [preauth]")
            add(now, sshd, "Disconnecting \(valid ? "authenticating" : "invalid") user \(user) \(ip) port \(port): Too many authentication failures [preauth]")
        } else {
            add(now, sshd, "Connection closed by \(valid ? "authenticating" : "invalid") user \(user) \(ip) port \(port) [preauth]")
        }
        if tries > 1 {
            add(now, sshd, "PAM \(tries - 1) more authentication failure\(tries > 2 ? "s" : ""); logname= uid=0 euid=0 tty=ssh ruser= rhost=\(ip)\(valid ? "  user=\(user)" : "")")
        }
    }

    mutating func build() {
        // Hourly cron.
        var t = World.start + 17 * 60 + 1
        while t < World.end {
            let cron = "CRON[\(pid(t))]"
            add(t, cron, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
            add(t + 1, cron, "pam_unix(cron:session): session closed for user root")
            t += 3600
        }
        // Administrators.
        session("priya", from: "192.0.2.41", port: 50_412, at: World.at(9, 14, 2), minutes: 6, method: "publickey",
                key: "ED25519 SHA256:q7Cw2xZ0mY8bT1nV4pK6rD3sF9hJ5lA2eG8uW0iO1yE",
                commands: [(95, "   priya : TTY=pts/0 ; PWD=/home/priya ; USER=root ; COMMAND=/usr/bin/apt-get upgrade -y")])
        session("elena", from: World.vpnIPv6, port: 61_230, at: World.at(16, 41, 30), minutes: 9, method: "publickey",
                key: "ECDSA SHA256:Zt4aN8cM1vB6xQ3wE7rT9yU2iO5pL0kJ4hG6fD8sA1q",
                commands: [(130, "   elena : TTY=pts/1 ; PWD=/home/elena ; USER=root ; COMMAND=/usr/bin/journalctl -u ssh --since today")])
        session("priya", from: "192.0.2.41", port: 50_987, at: World.at(19, 55, 10), minutes: 4, method: "publickey",
                key: "ED25519 SHA256:q7Cw2xZ0mY8bT1nV4pK6rD3sF9hJ5lA2eG8uW0iO1yE")
        session("jordan", from: "192.0.2.34", port: 49_877, at: World.at(13, 40, 18), minutes: 12, method: "publickey",
                key: "RSA SHA256:m3Nb5Vc7Xz9Lk1Jh3Gf5Ds7Aq9Wp2Oe4Ir6Ut8Yy0T")

        // Internet background noise.
        for _ in 0..<26 {
            let at = World.start + Int64(rng.int(in: 0...86_000))
            let ip = "198.51.100.\(rng.int(in: 90...130))"
            let port = rng.int(in: 32_768...60_999)
            let sshd = "sshd[\(pid(at))]"
            switch rng.below(4) {
            case 0: add(at, sshd, "Connection closed by \(ip) port \(port) [preauth]")
            case 1: add(at, sshd, "banner exchange: Connection from \(ip) port \(port): invalid format")
            case 2:
                let user = rng.pick(Self.guesses)
                add(at, sshd, "Invalid user \(user) from \(ip) port \(port)")
                add(at + 1, sshd, "Connection closed by invalid user \(user) \(ip) port \(port) [preauth]")
            default: add(at, sshd, "error: kex_exchange_identification: Connection closed by remote host")
            }
        }
        // The port scan that GuardDuty reported.
        add(World.at(9, 36, 25), "sshd[\(pid(World.at(9, 36, 25)))]", "Connection closed by 198.51.100.77 port 44121 [preauth]")

        // The brute force from 198.51.100.23, ending in a guessed password for deploy.
        let from = S.bruteForceStart.seconds, to = S.sshPasswordAccepted.seconds
        for k in 0..<44 {
            let at = from + (to - from) * Int64(k) / 44
            let user = k % 5 == 4 ? Self.validGuesses[(k / 5) % 3] : Self.guesses[k % Self.guesses.count]
            bruteConnection(S.bruteForceIP, port: 40_122 + k * 66, at: at, user: user, tries: k % 3 == 0 ? 6 : rng.int(in: 2...5))
        }
        session("deploy", from: S.bruteForceIP, port: 40_122 + 44 * 66, at: to, minutes: 12, method: "password",
                commands: [(61, "  deploy : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/deploy ; USER=root ; COMMAND=/bin/bash"),
                           (74, "  deploy : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/id")])
        // The second, unsuccessful wave.
        for k in 0..<18 {
            let at = World.at(16, 30, 4) + (World.at(16, 41, 0) - World.at(16, 30, 4)) * Int64(k) / 18
            bruteConnection(S.secondBruteForceIP, port: 52_214 + k * 66, at: at, user: k % 4 == 0 ? "root" : Self.guesses[(k * 7) % Self.guesses.count],
                            tries: k % 2 == 0 ? 6 : 3)
        }
        // The intruder returns at night with the guessed password.
        session("deploy", from: S.bruteForceIP, port: 51_066, at: World.at(2, 40, 31, nextDay: true), minutes: 5, method: "password")
    }

    mutating func write(to root: String) throws -> Int {
        build()
        lines.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        var out: [UInt8] = []
        for line in lines {
            out.append(line.text)
            out.append(UInt8(ascii: "\n"))
        }
        try FileOutput.write(out, to: FileOutput.join(root, "bastion/auth.log"))
        return lines.count
    }
}
