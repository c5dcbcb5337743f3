/// An instant in UTC, in milliseconds since the Unix epoch.
///
/// CloudTrail gives seconds; Route 53 and GuardDuty give milliseconds; flow logs give seconds.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public init(seconds: Int64) { self.milliseconds = seconds &* 1000 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    /// The last second of the year 9999 (`9999-12-31T23:59:59Z`), in seconds since the epoch: the latest time a
    /// reader accepts. ISO 8601 times cannot go past it; epoch numbers (flow logs) are checked against it, so that
    /// times, durations and windows computed from log values stay far from `Int64`'s limits.
    public static let latestSeconds: Int64 = 253_402_300_799

    public var seconds: Int64 { milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000 }

    /// ISO 8601 in UTC: `2024-05-01T10:00:00Z`, with `.mmm` when the milliseconds are not zero.
    public var description: String { iso8601() }

    public func iso8601(alwaysMilliseconds: Bool = false) -> String {
        let secs = seconds
        let ms = Int(milliseconds - secs * 1000)
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = Int(secs - days * 86_400)
        let (y, m, d) = CivilDate.fromDays(days)
        var s = ""
        s.reserveCapacity(24)
        func pad(_ v: Int, _ w: Int) {
            let t = String(v)
            if t.count < w { s += String(repeating: "0", count: w - t.count) }
            s += t
        }
        pad(y, 4); s += "-"; pad(m, 2); s += "-"; pad(d, 2); s += "T"
        pad(rem / 3600, 2); s += ":"; pad(rem / 60 % 60, 2); s += ":"; pad(rem % 60, 2)
        if ms != 0 || alwaysMilliseconds { s += "."; pad(ms, 3) }
        s += "Z"
        return s
    }
}

/// Conversions between proleptic Gregorian dates and days since 1970-01-01 (Howard Hinnant's algorithms).
public enum CivilDate {
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func fromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
