import Testing
@testable import VigilIngest
import VigilCore

private func time(_ text: String) -> Timestamp { ISO8601Parser.parse(text)! }

private func readAuth(_ bytes: [UInt8], firstLine: Int = 1, reader: inout SSHDAuthLogReader) -> IngestBatch {
    var batch = IngestBatch()
    bytes.withUnsafeBytes { reader.read($0, firstLineNumber: firstLine, into: &batch) }
    return batch
}

private func readAuth(_ text: String, firstLine: Int = 1, reader: inout SSHDAuthLogReader) -> IngestBatch {
    readAuth(Array(text.utf8), firstLine: firstLine, reader: &reader)
}

/// Reads `text` with a reader whose reference time is 2024-05-10T00:00:00Z.
private func readAuth(_ text: String, year: Int? = nil, reference: String = "2024-05-10T00:00:00Z") -> IngestBatch {
    var reader = SSHDAuthLogReader(source: "auth.log", year: year, referenceTime: time(reference))
    return readAuth(text, reader: &reader)
}

private func looksLikeAuth(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBytes { SSHDAuthLogReader.looksLike($0) }
}

/// One sshd message and what it should become.
struct SSHDCase: Sendable, CustomTestStringConvertible {
    var message: String
    var action: String
    var failure: Bool
    var user: String?
    var address: String?
    var port: Int?
    var method: String?
    var invalidUser = false

    var testDescription: String { action + ": " + message }
}

@Suite("SSHDAuthLogReader")
struct SSHDAuthLogReaderTests {
    @Test("Accepted password: every event field")
    func acceptedPassword() throws {
        let line = "May  1 10:00:00 bastion sshd[1234]: Accepted password for alice from 203.0.113.5 port 52311 ssh2"
        let batch = readAuth(line + "\n")
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.ignoredRecords == 0)
        #expect(batch.events.count == 1)
        let event = try #require(batch.events.first)
        #expect(event.time == time("2024-05-01T10:00:00Z"))
        #expect(event.kind == .auth)
        #expect(event.service == "sshd")
        #expect(event.action == "AcceptedPassword")
        #expect(event.outcome == .success)
        #expect(event.principal == Principal(arn: nil, type: .hostUser, userName: "alice"))
        #expect(event.sourceIP == "203.0.113.5")
        #expect(event.resources == ["bastion"])
        #expect(event.region == nil)
        #expect(event.account == nil)
        #expect(event.eventID == nil)
        #expect(event.flow == nil)
        #expect(event.auth == AuthFields(method: "password", host: "bastion", process: "sshd", pid: 1234, port: 52311,
                                         invalidUser: false))
        #expect(event.raw == Array(line.utf8))
    }

    @Test("message shapes", arguments: [
        SSHDCase(message: "Accepted password for alice from 203.0.113.5 port 52311 ssh2", action: "AcceptedPassword",
                 failure: false, user: "alice", address: "203.0.113.5", port: 52311, method: "password"),
        SSHDCase(message: "Accepted publickey for deploy from 198.51.100.7 port 40022 ssh2: ED25519 SHA256:AbCdEf0123",
                 action: "AcceptedPublickey", failure: false, user: "deploy", address: "198.51.100.7", port: 40022,
                 method: "publickey"),
        SSHDCase(message: "Accepted keyboard-interactive/pam for bob from 2001:db8::5 port 6000 ssh2",
                 action: "AcceptedKeyboardInteractive", failure: false, user: "bob", address: "2001:db8::5", port: 6000,
                 method: "keyboard-interactive"),
        SSHDCase(message: "Accepted gssapi-with-mic for carol from 10.1.2.3 port 5000 ssh2", action: "AcceptedGSSAPI",
                 failure: false, user: "carol", address: "10.1.2.3", port: 5000, method: "gssapi-with-mic"),
        SSHDCase(message: "Failed password for root from 203.0.113.9 port 4444 ssh2", action: "FailedPassword",
                 failure: true, user: "root", address: "203.0.113.9", port: 4444, method: "password"),
        SSHDCase(message: "Failed password for invalid user admin from 203.0.113.9 port 4445 ssh2",
                 action: "FailedPassword", failure: true, user: "admin", address: "203.0.113.9", port: 4445,
                 method: "password", invalidUser: true),
        SSHDCase(message: "Failed publickey for git from 203.0.113.9 port 4446 ssh2: RSA SHA256:xyz",
                 action: "FailedPublickey", failure: true, user: "git", address: "203.0.113.9", port: 4446,
                 method: "publickey"),
        SSHDCase(message: "Failed none for invalid user test from 203.0.113.9 port 4447 ssh2", action: "FailedNone",
                 failure: true, user: "test", address: "203.0.113.9", port: 4447, method: "none", invalidUser: true),
        SSHDCase(message: "Invalid user oracle from 203.0.113.10 port 5555", action: "InvalidUser", failure: true,
                 user: "oracle", address: "203.0.113.10", port: 5555, invalidUser: true),
        SSHDCase(message: "Invalid user oracle from 203.0.113.10", action: "InvalidUser", failure: true,
                 user: "oracle", address: "203.0.113.10", invalidUser: true),
        SSHDCase(message: "Disconnected from invalid user oracle 203.0.113.10 port 5555 [preauth]",
                 action: "Disconnected", failure: false, user: "oracle", address: "203.0.113.10", port: 5555,
                 invalidUser: true),
        SSHDCase(message: "Disconnected from authenticating user root 203.0.113.11 port 5556 [preauth]",
                 action: "Disconnected", failure: false, user: "root", address: "203.0.113.11", port: 5556),
        SSHDCase(message: "Disconnected from user alice 203.0.113.5 port 52311", action: "Disconnected",
                 failure: false, user: "alice", address: "203.0.113.5", port: 52311),
        SSHDCase(message: "Disconnected from 203.0.113.12 port 5557 [preauth]", action: "Disconnected",
                 failure: false, address: "203.0.113.12", port: 5557),
        SSHDCase(message: "Connection closed by invalid user guest 203.0.113.13 port 5558 [preauth]",
                 action: "ConnectionClosed", failure: false, user: "guest", address: "203.0.113.13", port: 5558,
                 invalidUser: true),
        SSHDCase(message: "Connection closed by authenticating user root 2001:db8::14 port 5559 [preauth]",
                 action: "ConnectionClosed", failure: false, user: "root", address: "2001:db8::14", port: 5559),
        SSHDCase(message: "Connection closed by 203.0.113.15 port 5560 [preauth]", action: "ConnectionClosed",
                 failure: false, address: "203.0.113.15", port: 5560),
        SSHDCase(message: "Connection reset by 203.0.113.15 port 5561", action: "ConnectionReset",
                 failure: false, address: "203.0.113.15", port: 5561),
        SSHDCase(message: "Received disconnect from 203.0.113.16 port 5562:11: Bye Bye [preauth]",
                 action: "ReceivedDisconnect", failure: false, address: "203.0.113.16", port: 5562),
        SSHDCase(message: "Received disconnect from 203.0.113.16: 11: disconnected by user",
                 action: "ReceivedDisconnect", failure: false, address: "203.0.113.16"),
        SSHDCase(message: "error: maximum authentication attempts exceeded for root from 203.0.113.17 port 5563 ssh2 [preauth]",
                 action: "MaxAuthTries", failure: true, user: "root", address: "203.0.113.17", port: 5563),
        SSHDCase(message: "error: maximum authentication attempts exceeded for invalid user pi from 203.0.113.18 port 5564 ssh2 [preauth]",
                 action: "MaxAuthTries", failure: true, user: "pi", address: "203.0.113.18", port: 5564,
                 invalidUser: true),
        SSHDCase(message: "Disconnecting invalid user pi 203.0.113.18 port 5564: Too many authentication failures [preauth]",
                 action: "MaxAuthTries", failure: true, user: "pi", address: "203.0.113.18", port: 5564,
                 invalidUser: true),
        SSHDCase(message: "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.19  user=root",
                 action: "PAMAuthFailure", failure: true, user: "root", address: "203.0.113.19"),
        SSHDCase(message: "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.20",
                 action: "PAMAuthFailure", failure: true, address: "203.0.113.20"),
        SSHDCase(message: "message repeated 2 times: [ Failed password for root from 203.0.113.21 port 6000 ssh2]",
                 action: "FailedPassword", failure: true, user: "root", address: "203.0.113.21", port: 6000,
                 method: "password"),
    ])
    func messages(_ c: SSHDCase) throws {
        let line = "May  1 10:00:00 web-1 sshd[77]: " + c.message
        let batch = readAuth(line)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.ignoredRecords == 0)
        let event = try #require(batch.events.first)
        #expect(batch.events.count == 1)
        #expect(event.action == c.action)
        #expect(event.outcome == (c.failure ? .failure(code: c.action, message: nil) : .success))
        #expect(event.principal == c.user.map { Principal(arn: nil, type: .hostUser, userName: $0) })
        #expect(event.sourceIP == c.address)
        #expect(event.auth == AuthFields(method: c.method, host: "web-1", process: "sshd", pid: 77, port: c.port,
                                         invalidUser: c.invalidUser))
        #expect(event.resources == ["web-1"])
        #expect(event.raw == Array(line.utf8))
    }

    @Test("RFC 3339 timestamps, with zone offsets and microseconds")
    func rfc3339() throws {
        let text = """
        2024-05-01T10:00:00.123456+02:00 web-1 sshd[99]: Failed password for root from 203.0.113.9 port 22 ssh2
        2023-12-31T23:59:59Z web-2 sshd[100]: Invalid user bob from 203.0.113.10 port 23
        """
        let batch = readAuth(text)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.map(\.time) == [time("2024-05-01T08:00:00.123Z"), time("2023-12-31T23:59:59Z")])
        #expect(batch.events.map(\.resources) == [["web-1"], ["web-2"]])
        #expect(batch.events.map { $0.auth?.pid } == [99, 100])
    }

    @Test("sshd-session and sshd without a pid; a <PRI> prefix; CRLF")
    func processNames() throws {
        let text = "May 12 08:30:01 host-a sshd-session[4321]: Accepted publickey for ops from 10.0.0.8 port 50000 ssh2\r\n"
            + "<38>May 12 08:30:02 host-a sshd: Failed password for ops from 10.0.0.9 port 50001 ssh2\r\n"
        let batch = readAuth(text, reference: "2024-06-01T00:00:00Z")
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.count == 2)
        #expect(batch.events.map { $0.auth?.process } == ["sshd-session", "sshd"])
        #expect(batch.events.map { $0.auth?.pid } == [4321, nil])
        #expect(batch.events.map(\.time) == [time("2024-05-12T08:30:01Z"), time("2024-05-12T08:30:02Z")])
        #expect(batch.events[0].raw == Array("May 12 08:30:01 host-a sshd-session[4321]: Accepted publickey for ops from 10.0.0.8 port 50000 ssh2".utf8))
    }

    // MARK: Years

    private func times(_ lines: [String], year: Int? = nil, reference: String) -> [Timestamp] {
        let text = lines.map { "\($0) h sshd[1]: Connection closed by 203.0.113.1 port 1" }.joined(separator: "\n")
        return readAuth(text, year: year, reference: reference).events.map(\.time)
    }

    @Test("the year comes from the reference time")
    func yearFromReference() {
        #expect(times(["May  1 10:00:00"], reference: "2024-05-10T00:00:00Z") == [time("2024-05-01T10:00:00Z")])
        // Less than a day after the reference time: same year (clock skew, other time zones).
        #expect(times(["May 10 23:00:00"], reference: "2024-05-10T00:00:00Z") == [time("2024-05-10T23:00:00Z")])
    }

    @Test("a line more than a day after the reference time belongs to the year before")
    func futureRule() {
        #expect(times(["May 11 00:00:01"], reference: "2024-05-10T00:00:00Z") == [time("2023-05-11T00:00:01Z")])
        #expect(times(["Dec 30 12:00:00", "Dec 31 01:00:00"], reference: "2025-01-05T00:00:00Z")
            == [time("2024-12-30T12:00:00Z"), time("2024-12-31T01:00:00Z")])
    }

    @Test("December to January advances the year")
    func rollover() {
        #expect(times(["Dec 30 12:00:00", "Dec 31 23:59:59", "Jan  1 00:00:01", "Jan  2 08:00:00", "Feb  1 00:00:00"],
                      reference: "2025-02-05T00:00:00Z")
            == [time("2024-12-30T12:00:00Z"), time("2024-12-31T23:59:59Z"), time("2025-01-01T00:00:01Z"),
                time("2025-01-02T08:00:00Z"), time("2025-02-01T00:00:00Z")])
    }

    @Test("out-of-order lines: one month back and a late December line keep the year")
    func outOfOrder() {
        #expect(times(["May 31 23:59:59", "Jun  1 00:00:00", "May 31 23:59:58", "Jun  1 00:00:01"],
                      reference: "2024-06-02T00:00:00Z")
            == [time("2024-05-31T23:59:59Z"), time("2024-06-01T00:00:00Z"), time("2024-05-31T23:59:58Z"),
                time("2024-06-01T00:00:01Z")])
        #expect(times(["Dec 31 23:59:59", "Jan  1 00:00:00", "Dec 31 23:59:58", "Jan  1 00:00:01"],
                      reference: "2025-01-02T00:00:00Z")
            == [time("2024-12-31T23:59:59Z"), time("2025-01-01T00:00:00Z"), time("2024-12-31T23:59:58Z"),
                time("2025-01-01T00:00:01Z")])
    }

    @Test("--year overrides the reference time; rollover still applies")
    func fixedYear() {
        #expect(times(["May  1 10:00:00"], year: 2019, reference: "2024-05-10T00:00:00Z") == [time("2019-05-01T10:00:00Z")])
        // Even a line "in the future" of the reference time keeps the given year.
        #expect(times(["Dec  1 10:00:00"], year: 2024, reference: "2024-05-10T00:00:00Z") == [time("2024-12-01T10:00:00Z")])
        #expect(times(["Dec 31 10:00:00", "Jan  1 10:00:00"], year: 2019, reference: "2024-05-10T00:00:00Z")
            == [time("2019-12-31T10:00:00Z"), time("2020-01-01T10:00:00Z")])
    }

    @Test("the year carries across chunks")
    func yearAcrossChunks() {
        var reader = SSHDAuthLogReader(source: "auth.log", referenceTime: time("2025-01-10T00:00:00Z"))
        let first = readAuth("Dec 31 23:00:00 h sshd[1]: Connection closed by 203.0.113.1 port 1\n", reader: &reader)
        let second = readAuth("Jan  1 01:00:00 h sshd[1]: Connection closed by 203.0.113.1 port 1\n", firstLine: 2, reader: &reader)
        #expect(first.events.map(\.time) == [time("2024-12-31T23:00:00Z")])
        #expect(second.events.map(\.time) == [time("2025-01-01T01:00:00Z")])
    }

    @Test("February 29 only in leap years")
    func leapDay() {
        #expect(times(["Feb 29 12:00:00"], year: 2024, reference: "2024-05-10T00:00:00Z") == [time("2024-02-29T12:00:00Z")])
        let batch = readAuth("Feb 29 12:00:00 h sshd[1]: Connection closed by 203.0.113.1 port 1", year: 2023)
        #expect(batch.events.isEmpty)
        #expect(batch.diagnostics.map(\.message) == ["date Feb 29 does not exist in 2023"])
    }

    // MARK: Ignored, hostile and garbage lines

    @Test("other sshd messages and other programs are ignored, not errors")
    func ignored() {
        let text = """
        May  1 09:59:00 h CRON[10]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)
        May  1 09:59:01 h sshd[1]: Server listening on 0.0.0.0 port 22.
        May  1 10:00:00 h sshd[2]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)

        -- Boot 0123456789abcdef --
        May  1 10:00:01 h sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls
        May  1 10:00:02 h
        May  1 10:00:03 h sshd[2]: Accepted password for alice from 203.0.113.5 port 52311 ssh2
        """
        let batch = readAuth(text)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.ignoredRecords == 6)
        #expect(batch.skippedRecords == 0)
        #expect(batch.events.map(\.action) == ["AcceptedPassword"])
    }

    @Test("hostile user names are kept verbatim and cannot forge the address")
    func hostileUsers() throws {
        let escape = "\u{1b}]0;pwned\u{7}"
        let text = """
        May  1 10:00:00 h sshd[2]: Invalid user \(escape) from 203.0.113.66 port 1
        May  1 10:00:01 h sshd[2]: Invalid user x from 1.2.3.4 port 1 from 203.0.113.67 port 2222
        May  1 10:00:02 h sshd[2]: Failed password for invalid user  from 203.0.113.68 port 3 ssh2
        May  1 10:00:03 h sshd[2]: Disconnected from invalid user a b 9.9.9.9 port 9 203.0.113.69 port 4 [preauth]
        May  1 10:00:04 h sshd[2]: Failed password for invalid user \u{202e}toor from 203.0.113.70 port 5 ssh2
        """
        let batch = readAuth(text)
        #expect(batch.diagnostics.isEmpty)
        #expect(batch.events.map { $0.principal?.userName } == [escape, "x from 1.2.3.4 port 1", "", "a b 9.9.9.9 port 9", "\u{202e}toor"])
        #expect(batch.events.map(\.sourceIP) == ["203.0.113.66", "203.0.113.67", "203.0.113.68", "203.0.113.69", "203.0.113.70"])
        #expect(batch.events.map { $0.auth?.port } == [1, 2222, 3, 4, 5])
        #expect(batch.events.allSatisfy { $0.auth?.invalidUser == true })

        // Invalid UTF-8 and a very long name.
        var bytes = Array("May  1 10:00:00 h sshd[2]: Invalid user ".utf8) + [0xFF, 0xFE, 0x00, 0x41]
            + Array(" from 203.0.113.71 port 6".utf8)
        var reader = SSHDAuthLogReader(source: "auth.log", referenceTime: time("2024-05-10T00:00:00Z"))
        var result = readAuth(bytes, reader: &reader)
        let event = try #require(result.events.first)
        #expect(event.principal?.userName == "\u{FFFD}\u{FFFD}\u{0}A")
        #expect(event.raw == bytes)
        bytes = Array("May  1 10:00:00 h sshd[2]: Invalid user \(String(repeating: "A", count: 20_000)) from 203.0.113.72".utf8)
        result = readAuth(bytes, reader: &reader)
        #expect(result.events.first?.principal?.userName?.utf8.count == 20_000)
        #expect(result.events.first?.auth?.port == nil)
    }

    @Test("garbage lines are errors naming the line; reading goes on")
    func garbage() {
        let text = """
        hello world
        2024-13-45T00:00:00Z h sshd[1]: Accepted password for a from 203.0.113.1 port 1 ssh2
        May 32 10:00:00 h sshd[1]: Accepted password for a from 203.0.113.1 port 1 ssh2
        May  1 10:00
        Foo  1 10:00:00 h sshd[1]: Accepted password for a from 203.0.113.1 port 1 ssh2
        May  1 10:00:00 h sshd[1]: Accepted password for a from not-an-ip port 1 ssh2
        May  1 10:00:00 h sshd[1]: Accepted password for a from 203.0.113.1 port 1 ssh2
        """
        var reader = SSHDAuthLogReader(source: "auth.log", referenceTime: time("2024-05-10T00:00:00Z"))
        let batch = readAuth(text, firstLine: 40, reader: &reader)
        #expect(batch.events.count == 1)
        #expect(batch.ignoredRecords == 1)  // the unparsable Accepted message
        #expect(batch.diagnostics.map(\.line) == [40, 41, 42, 43, 44])
        #expect(batch.diagnostics.map(\.message) == [
            "line does not start with a syslog or RFC 3339 timestamp",
            "timestamp '2024-13-45T00:00:00Z' is not RFC 3339",
            "line does not start with a syslog or RFC 3339 timestamp",
            "line does not start with a syslog or RFC 3339 timestamp",
            "line does not start with a syslog or RFC 3339 timestamp",
        ])
        #expect(batch.skippedRecords == 5)
        var empty = SSHDAuthLogReader(source: "auth.log", referenceTime: time("2024-05-10T00:00:00Z"))
        var nothing = IngestBatch()
        empty.read(UnsafeRawBufferPointer(start: nil, count: 0), firstLineNumber: 1, into: &nothing)
        #expect(nothing.events.isEmpty && nothing.diagnostics.isEmpty && nothing.ignoredRecords == 0)
    }

    @Test("looksLike", arguments: [
        ("May  1 09:59:00 h CRON[10]: session opened\nMay  1 10:00:00 h sshd[1]: Server listening on :: port 22.\n", true),
        ("2024-05-01T10:00:00.123456+00:00 h sshd-session[5]: Accepted publickey for a from 10.0.0.1 port 1 ssh2\n", true),
        ("May  1 10:00:00 h sshd: Connection closed by 10.0.0.1 port 1", true),
        ("May  1 09:59:00 h CRON[10]: session opened\nMay  1 10:00:00 h systemd[1]: Started.\n", false),
        ("May  1 09:59:00 h CRON[10]: session opened\nMay  1 10:00:00 h ss", false),
        ("2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n", false),
        ("{\"Records\":[]}", false),
        ("hello sshd[1]: Accepted\n", false),
        ("", false),
    ])
    func looksLike(sample: String, expected: Bool) {
        #expect(looksLikeAuth(sample) == expected)
    }
}
