import VigilCore

/// Reads OpenSSH server lines from a syslog auth log (`/var/log/auth.log`, `/var/log/secure`, journal exports) into
/// `.auth` events.
///
/// Line shapes: classic syslog `May  1 10:00:00 host sshd[1234]: message` (optionally preceded by a `<PRI>`) and
/// RFC 3339 `2024-05-01T10:00:00.123456+00:00 host sshd[1234]: message`. Programs `sshd`, `sshd-session`
/// (OpenSSH 9.8+) and `sshd-auth` are read, with or without `[pid]`; every other program's line, and every sshd
/// message not listed below, counts as ignored. A line whose timestamp cannot be parsed is an error.
///
/// Syslog timestamps carry no zone (UTC is assumed) and no year. The year is chosen as follows:
/// - the first syslog line gets `year` when it is given; otherwise the year of `referenceTime`, or the year before
///   when that would put the line more than a day after `referenceTime` (a December line read in January);
/// - on each later line, when the month moves backwards by two months or more (Dec → Jan) the year advances by one;
///   a step back of one month is taken as slightly out-of-order lines and keeps the year; a January → December step
///   is taken as a late line from the year before (that line only gets the previous year).
///
/// Recognised messages and their actions (outcome `.failure(code: action)` for failures, `.success` otherwise):
/// - `Accepted <method> for USER from IP port N …`: `AcceptedPassword`, `AcceptedPublickey`,
///   `AcceptedKeyboardInteractive`, `AcceptedGSSAPI`, `AcceptedHostbased`, `AcceptedOther` (success)
/// - `Failed <method> for [invalid user ]USER from IP port N …`: `FailedPassword`, `FailedPublickey`,
///   `FailedKeyboardInteractive`, `FailedNone`, `FailedGSSAPI`, `FailedHostbased`, `FailedOther` (failure)
/// - `Invalid user USER from IP [port N]`: `InvalidUser` (failure)
/// - `[error: ]maximum authentication attempts exceeded for [invalid user ]USER from IP port N …` and
///   `Disconnecting [invalid |authenticating ]user USER IP port N: Too many authentication failures`:
///   `MaxAuthTries` (failure)
/// - `pam_…: authentication failure; … rhost=H user=U` and `PAM N more authentication failures; …`:
///   `PAMAuthFailure` (failure)
/// - `Disconnected from [invalid |authenticating ]user USER IP port N [preauth]` and `Disconnected from IP port N`:
///   `Disconnected` (success)
/// - `Connection closed by [invalid |authenticating ]user USER IP port N [preauth]` and `Connection closed by IP port N`:
///   `ConnectionClosed`; the same with `Connection reset by`: `ConnectionReset` (success)
/// - `Received disconnect from IP port N:…`: `ReceivedDisconnect` (success)
///
/// rsyslog's `message repeated N times: [ … ]` is unwrapped and read as one line. User names are attacker
/// controlled and kept verbatim (read from the right, so a name containing ` from 1.2.3.4 port 1` cannot forge
/// the address); invalid UTF-8 becomes U+FFFD.
public struct SSHDAuthLogReader: Sendable {
    public let source: String
    private let fixedYear: Int?
    private let referenceTime: Timestamp
    /// The year in force for syslog lines, once the first one has been read.
    private var currentYear: Int?
    private var lastMonth = 0

    /// `year`: the year to assume for syslog timestamps that have none (`--year`); when nil it is inferred from `referenceTime` (file modification time, or now).
    public init(source: String, year: Int? = nil, referenceTime: Timestamp) {
        self.source = source
        self.fixedYear = year
        self.referenceTime = referenceTime
    }

    public mutating func read(_ chunk: UnsafeRawBufferPointer, firstLineNumber: Int, into batch: inout IngestBatch) {
        Lines.forEach(chunk, firstLineNumber: firstLineNumber) { line, number in
            readOneLine(line, lineNumber: number, into: &batch)
            return true
        }
    }

    /// True when the first non-blank line of the sample has a syslog or RFC 3339 prefix (`time host program:`) and
    /// some line of the sample is from sshd.
    public static func looksLike(_ sample: UnsafeRawBufferPointer) -> Bool {
        var first = true
        var sawSSHD = false
        var start = 0
        let count = sample.count
        while start < count {
            var end = start
            while end < count, sample[end] != 0x0A { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: sample[start..<end])
            start = end + 1
            if SSHDLine.isBlank(line) { continue }
            guard case .line(let prefix) = SSHDLine.parsePrefix(line) else {
                if first { return false }
                continue  // most likely a line cut short by the end of the sample
            }
            first = false
            if SSHDLine.isSSHD(line, prefix) { sawSSHD = true; break }
        }
        return sawSSHD
    }

    private mutating func readOneLine(_ line: UnsafeRawBufferPointer, lineNumber: Int, into batch: inout IngestBatch) {
        if SSHDLine.isBlank(line) { return }
        if SSHDLine.hasPrefix(line, 0, "-- ") {  // journalctl's "-- Boot …" / "-- No entries --"
            batch.ignoredRecords += 1
            return
        }
        let prefix: SSHDLine.Prefix
        switch SSHDLine.parsePrefix(line) {
        case .line(let p): prefix = p
        case .noProgram:
            batch.ignoredRecords += 1
            return
        case .badTimestamp(let message):
            batch.error(source, line: lineNumber, message)
            return
        }

        let time: Timestamp
        switch prefix.time {
        case .absolute(let t): time = t
        case .syslog(let month, let day, let secondsOfDay):
            let year = yearFor(month: month, day: day, secondsOfDay: secondsOfDay)
            guard day <= CivilDate.daysIn(month: month, year: year) else {
                batch.error(source, line: lineNumber, "date \(SSHDLine.monthNames[month - 1]) \(day) does not exist in \(year)")
                return
            }
            time = SSHDLine.timestamp(year: year, month: month, day: day, secondsOfDay: secondsOfDay)
        }

        guard SSHDLine.isSSHD(line, prefix),
              let message = SSHDLine.parseMessage(line, from: prefix.messageStart) else {
            batch.ignoredRecords += 1
            return
        }

        let host = String(decoding: UnsafeRawBufferPointer(rebasing: line[prefix.host]), as: UTF8.self)
        let process = String(decoding: UnsafeRawBufferPointer(rebasing: line[prefix.process]), as: UTF8.self)
        let principal = message.user.map { Principal(arn: nil, type: .hostUser, userName: $0) }
        batch.events.append(Event(
            time: time, kind: .auth, service: "sshd", action: message.action,
            outcome: message.failure ? .failure(code: message.action, message: nil) : .success,
            principal: principal, sourceIP: message.address, resources: [host],
            auth: AuthFields(method: message.method, host: host, process: process, pid: prefix.pid,
                             port: message.port, invalidUser: message.invalidUser),
            raw: [UInt8](line)))
    }

    /// The year for a syslog line (see the type's documentation), updating the rollover state.
    private mutating func yearFor(month: Int, day: Int, secondsOfDay: Int) -> Int {
        guard let year = currentYear else {
            var year: Int
            if let fixedYear {
                year = fixedYear
            } else {
                let days = referenceTime.seconds >= 0 ? referenceTime.seconds / 86_400 : (referenceTime.seconds - 86_399) / 86_400
                year = CivilDate.fromDays(days).year
                let day = min(day, CivilDate.daysIn(month: month, year: year))
                let candidate = SSHDLine.timestamp(year: year, month: month, day: day, secondsOfDay: secondsOfDay)
                if candidate.milliseconds > referenceTime.milliseconds + 86_400_000 { year -= 1 }
            }
            currentYear = year
            lastMonth = month
            return year
        }
        if month + 1 < lastMonth {
            currentYear = year + 1
            lastMonth = month
            return year + 1
        }
        if month == 12, lastMonth == 1 { return year - 1 }
        lastMonth = month
        return year
    }
}

/// Byte-level parsing of one auth log line.
enum SSHDLine {
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    enum Time {
        case absolute(Timestamp)
        case syslog(month: Int, day: Int, secondsOfDay: Int)
    }

    struct Prefix {
        var time: Time
        var host: Range<Int>
        var process: Range<Int>
        var pid: Int?
        /// Offset of the message after `program[pid]: `.
        var messageStart: Int
    }

    enum PrefixResult {
        case line(Prefix)
        /// A valid timestamp but no `host program:` after it.
        case noProgram
        case badTimestamp(String)
    }

    struct Message {
        var action: String
        var failure: Bool
        var user: String?
        var address: String?
        var port: Int?
        var method: String?
        var invalidUser = false
    }

    static func timestamp(year: Int, month: Int, day: Int, secondsOfDay: Int) -> Timestamp {
        Timestamp(seconds: CivilDate.days(year: year, month: month, day: day) * 86_400 + Int64(secondsOfDay))
    }

    static func isBlank(_ b: UnsafeRawBufferPointer) -> Bool {
        for c in b where c != 0x20 && c != 0x09 { return false }
        return true
    }

    static func isSSHD(_ line: UnsafeRawBufferPointer, _ prefix: Prefix) -> Bool {
        let name = UnsafeRawBufferPointer(rebasing: line[prefix.process])
        return ByteSearch.equals(name, "sshd") || ByteSearch.equals(name, "sshd-session") || ByteSearch.equals(name, "sshd-auth")
    }

    // MARK: Byte helpers

    @inline(__always)
    static func hasPrefix(_ b: UnsafeRawBufferPointer, _ at: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard at >= 0, at + n <= b.count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where b[at + k] != p[k] { return false }
        return true
    }

    static func hasSuffix(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        return hi - lo >= n && hasPrefix(b, hi - n, literal)
    }

    /// The first index in `lo..<hi` where `literal` starts.
    static func firstIndex(of literal: StaticString, in b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Int? {
        let n = literal.utf8CodeUnitCount
        var i = lo
        while i + n <= hi {
            if hasPrefix(b, i, literal) { return i }
            i += 1
        }
        return nil
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// A decimal number filling `lo..<hi` (at most 9 digits).
    static func number(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Int? {
        guard hi > lo, hi - lo <= 9 else { return nil }
        var v = 0
        for i in lo..<hi {
            guard isDigit(b[i]) else { return nil }
            v = v * 10 + Int(b[i] - 48)
        }
        return v
    }

    static func string(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: b[lo..<max(lo, hi)]), as: UTF8.self)
    }

    static func isAddress(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Bool {
        hi > lo && IPAddress.parse(UnsafeRawBufferPointer(rebasing: b[lo..<hi])) != nil
    }

    // MARK: Prefix

    /// Parses `timestamp host program[pid]: `.
    static func parsePrefix(_ b: UnsafeRawBufferPointer) -> PrefixResult {
        let n = b.count
        var i = 0
        // An optional `<PRI>` as sent over the network.
        if n > 0, b[0] == UInt8(ascii: "<") {
            var j = 1
            while j < n, j < 5, isDigit(b[j]) { j += 1 }
            if j > 1, j < n, b[j] == UInt8(ascii: ">") { i = j + 1 }
        }
        let time: Time
        if i < n, isDigit(b[i]) {
            var j = i
            while j < n, b[j] != 0x20, b[j] != 0x09 { j += 1 }
            guard let t = ISO8601Parser.parse(UnsafeRawBufferPointer(rebasing: b[i..<j])) else {
                let shown = string(b, i, min(j, i + 40))
                return .badTimestamp("timestamp '\(shown)' is not RFC 3339")
            }
            time = .absolute(t)
            i = j
        } else {
            guard let (t, next) = syslogTime(b, i) else {
                return .badTimestamp("line does not start with a syslog or RFC 3339 timestamp")
            }
            time = t
            i = next
        }
        // host
        guard i < n, b[i] == 0x20 || b[i] == 0x09 else { return .noProgram }
        while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        let hostStart = i
        while i < n, b[i] != 0x20, b[i] != 0x09 { i += 1 }
        let host = hostStart..<i
        guard !host.isEmpty, i < n else { return .noProgram }
        while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        // program[pid]:
        let processStart = i
        while i < n, b[i] != UInt8(ascii: "["), b[i] != UInt8(ascii: ":"), b[i] != 0x20 { i += 1 }
        let process = processStart..<i
        guard !process.isEmpty, i < n else { return .noProgram }
        var pid: Int?
        if b[i] == UInt8(ascii: "[") {
            let pidStart = i + 1
            var j = pidStart
            while j < n, b[j] != UInt8(ascii: "]") { j += 1 }
            guard j < n else { return .noProgram }
            pid = number(b, pidStart, j)
            i = j + 1
        }
        guard i < n, b[i] == UInt8(ascii: ":") else { return .noProgram }
        i += 1
        if i < n, b[i] == 0x20 { i += 1 }
        return .line(Prefix(time: time, host: host, process: process, pid: pid, messageStart: i))
    }

    /// `Mmm dd HH:MM:SS` with the day space- or zero-padded; returns the offset just after the seconds.
    static func syslogTime(_ b: UnsafeRawBufferPointer, _ start: Int) -> (Time, Int)? {
        let n = b.count
        guard start + 3 <= n else { return nil }
        var month = 0
        for (k, name) in monthNames.enumerated() {
            var u = name.utf8.makeIterator()
            if b[start] == u.next(), b[start + 1] == u.next(), b[start + 2] == u.next() { month = k + 1; break }
        }
        guard month > 0 else { return nil }
        var i = start + 3
        guard i < n, b[i] == 0x20 else { return nil }
        while i < n, b[i] == 0x20 { i += 1 }
        let dayStart = i
        while i < n, isDigit(b[i]) { i += 1 }
        guard i - dayStart <= 2, let day = number(b, dayStart, i), day >= 1, day <= 31 else { return nil }
        guard i < n, b[i] == 0x20 else { return nil }
        i += 1
        guard i + 8 <= n, b[i + 2] == UInt8(ascii: ":"), b[i + 5] == UInt8(ascii: ":"),
              let h = number(b, i, i + 2), let m = number(b, i + 3, i + 5), let s = number(b, i + 6, i + 8),
              h < 24, m < 60, s < 61 else { return nil }
        i += 8
        // Some daemons add fractional seconds; drop them.
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, isDigit(b[i]) { i += 1 }
        }
        return (.syslog(month: month, day: day, secondsOfDay: h * 3600 + m * 60 + min(s, 59)), i)
    }

    // MARK: Messages

    static func parseMessage(_ b: UnsafeRawBufferPointer, from start: Int) -> Message? {
        var lo = start
        var hi = b.count
        // rsyslog: "message repeated 3 times: [ Failed password for … ]"
        if hasPrefix(b, lo, "message repeated "), let open = firstIndex(of: ": [", in: b, lo, hi),
           hasSuffix(b, lo, hi, "]") {
            lo = open + 3
            hi -= 1
            while lo < hi, b[lo] == 0x20 { lo += 1 }
            while hi > lo, b[hi - 1] == 0x20 { hi -= 1 }
        }
        if hasPrefix(b, lo, "error: ") { lo += 7 }
        // Drop a trailing " [preauth]".
        var end = hi
        if hasSuffix(b, lo, end, " [preauth]") { end -= 10 }

        if hasPrefix(b, lo, "Accepted ") || hasPrefix(b, lo, "Failed ") {
            let accepted = b[lo] == UInt8(ascii: "A")
            let methodStart = lo + (accepted ? 9 : 7)
            var i = methodStart
            while i < end, b[i] != 0x20 { i += 1 }
            var methodEnd = i
            // "keyboard-interactive/pam" → "keyboard-interactive"
            for k in methodStart..<i where b[k] == UInt8(ascii: "/") { methodEnd = k; break }
            guard methodEnd > methodStart, hasPrefix(b, i, " for ") else { return nil }
            let methodBytes = UnsafeRawBufferPointer(rebasing: b[methodStart..<methodEnd])
            let name: String
            if ByteSearch.equals(methodBytes, "password") { name = "Password" }
            else if ByteSearch.equals(methodBytes, "publickey") { name = "Publickey" }
            else if ByteSearch.equals(methodBytes, "keyboard-interactive") { name = "KeyboardInteractive" }
            else if ByteSearch.equals(methodBytes, "none") { name = "None" }
            else if ByteSearch.equals(methodBytes, "gssapi-with-mic") || ByteSearch.equals(methodBytes, "gssapi-keyex") { name = "GSSAPI" }
            else if ByteSearch.equals(methodBytes, "hostbased") { name = "Hostbased" }
            else { name = "Other" }
            guard var m = userFromAddress(b, i + 5, end, portRequired: true) else { return nil }
            m.action = (accepted ? "Accepted" : "Failed") + name
            m.failure = !accepted
            m.method = string(b, methodStart, methodEnd)
            return m
        }
        if hasPrefix(b, lo, "Invalid user ") {
            guard var m = userFromAddress(b, lo + 13, end, portRequired: false, allowInvalidPrefix: false) else { return nil }
            m.action = "InvalidUser"
            m.failure = true
            m.invalidUser = true
            return m
        }
        let maxTries: StaticString = "maximum authentication attempts exceeded for "
        if hasPrefix(b, lo, maxTries) {
            guard var m = userFromAddress(b, lo + maxTries.utf8CodeUnitCount, end, portRequired: true) else { return nil }
            m.action = "MaxAuthTries"
            m.failure = true
            return m
        }
        if hasPrefix(b, lo, "Disconnecting "),
           let tooMany = firstIndex(of: ": Too many authentication failures", in: b, lo, end) {
            guard var m = userAddressPort(b, lo + 14, tooMany) else { return nil }
            m.action = "MaxAuthTries"
            m.failure = true
            return m
        }
        if hasPrefix(b, lo, "Disconnected from ") {
            guard var m = userAddressPort(b, lo + 18, end) else { return nil }
            m.action = "Disconnected"
            return m
        }
        if hasPrefix(b, lo, "Connection closed by ") || hasPrefix(b, lo, "Connection reset by ") {
            let closed = hasPrefix(b, lo, "Connection closed by ")
            guard var m = userAddressPort(b, lo + (closed ? 21 : 20), end) else { return nil }
            m.action = closed ? "ConnectionClosed" : "ConnectionReset"
            return m
        }
        if hasPrefix(b, lo, "Received disconnect from ") {
            // "Received disconnect from IP port N:11: Bye Bye"
            let ipStart = lo + 25
            var i = ipStart
            while i < end, b[i] != 0x20, b[i] != UInt8(ascii: ":") || !hasPrefix(b, i, ": ") { i += 1 }
            guard isAddress(b, ipStart, i) else { return nil }
            var m = Message(action: "ReceivedDisconnect", failure: false, address: string(b, ipStart, i))
            if hasPrefix(b, i, " port ") {
                var j = i + 6
                let portStart = j
                while j < end, isDigit(b[j]) { j += 1 }
                m.port = number(b, portStart, j)
            }
            return m
        }
        if (hasPrefix(b, lo, "pam_") || hasPrefix(b, lo, "PAM ")),
           firstIndex(of: "authentication failure", in: b, lo, end) != nil {
            var m = Message(action: "PAMAuthFailure", failure: true)
            if let r = firstIndex(of: "rhost=", in: b, lo, end) {
                var j = r + 6
                while j < end, b[j] != 0x20 { j += 1 }
                if j > r + 6 { m.address = string(b, r + 6, j) }
            }
            if let u = firstIndex(of: " user=", in: b, lo, end), u + 6 < end {
                m.user = string(b, u + 6, end)
            }
            return m
        }
        return nil
    }

    /// `[invalid user ]USER from IP[ port N][ rest]` in `lo..<hi`, read from the right: the last ` from ` that is
    /// followed by an address (and a port, when required) ends the user name.
    static func userFromAddress(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int, portRequired: Bool,
                                allowInvalidPrefix: Bool = true) -> Message? {
        var invalid = false
        var userStart = lo
        if allowInvalidPrefix, hasPrefix(b, lo, "invalid user ") {
            invalid = true
            userStart = lo + 13
        }
        var f = hi - 6
        while f >= userStart - 1 {
            if f >= lo, hasPrefix(b, f, " from ") {
                let ipStart = f + 6
                var i = ipStart
                while i < hi, b[i] != 0x20 { i += 1 }
                if isAddress(b, ipStart, i) {
                    var port: Int?
                    if hasPrefix(b, i, " port ") {
                        var j = i + 6
                        while j < hi, isDigit(b[j]) { j += 1 }
                        if j == hi || b[j] == 0x20 || b[j] == UInt8(ascii: ":") { port = number(b, i + 6, j) }
                    }
                    if port != nil || (!portRequired && (i == hi || hasPrefix(b, i, " port "))) {
                        var m = Message(action: "", failure: false)
                        // An empty user is logged as "for invalid user  from …": the name ends before its own space.
                        m.user = f >= userStart ? string(b, userStart, f) : ""
                        m.address = string(b, ipStart, i)
                        m.port = port
                        m.invalidUser = invalid
                        return m
                    }
                }
            }
            f -= 1
        }
        return nil
    }

    /// `[invalid |authenticating ]user USER IP port N` or `IP port N` in `lo..<hi`.
    static func userAddressPort(_ b: UnsafeRawBufferPointer, _ lo: Int, _ hi: Int) -> Message? {
        // The port: digits at the end after " port ".
        var j = hi
        while j > lo, isDigit(b[j - 1]) { j -= 1 }
        guard j < hi, let port = number(b, j, hi), j - 6 >= lo, hasPrefix(b, j - 6, " port ") else { return nil }
        let ipEnd = j - 6
        var ipStart = ipEnd
        while ipStart > lo, b[ipStart - 1] != 0x20 { ipStart -= 1 }
        guard isAddress(b, ipStart, ipEnd) else { return nil }
        var m = Message(action: "", failure: false, address: string(b, ipStart, ipEnd), port: port)
        if ipStart == lo { return m }
        // What precedes the address ends with the space before it.
        let userEnd = ipStart - 1
        if hasPrefix(b, lo, "invalid user ") {
            m.invalidUser = true
            m.user = string(b, lo + 13, userEnd)
        } else if hasPrefix(b, lo, "authenticating user ") {
            m.user = string(b, lo + 20, userEnd)
        } else if hasPrefix(b, lo, "user ") {
            m.user = string(b, lo + 5, userEnd)
        } else {
            return nil
        }
        return m
    }
}
