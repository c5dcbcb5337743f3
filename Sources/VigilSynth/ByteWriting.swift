import VigilCore

/// Appending text to byte buffers, for writers that build large outputs without per-field `String`s.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `s` as a JSON string literal (quotes included), escaping as ``JSONValue/writeString(_:into:)`` does.
    mutating func appendJSONString(_ s: String) {
        var s = s
        s.withUTF8 { appendJSONString($0) }
    }

    mutating func appendJSONString(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        var clean = true
        for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0x7F || b == 0xE2 {
            clean = false
            break
        }
        if clean {
            append(contentsOf: utf8)
        } else {
            var escaped = ""
            JSONValue.writeString(String(decoding: utf8, as: UTF8.self), into: &escaped)
            escaped.utf8.dropFirst().dropLast().forEach { append($0) }
        }
        append(UInt8(ascii: "\""))
    }

    /// Appends a non-negative decimal integer.
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(-value)
            return
        }
        if value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var divisor = 10
        while divisor <= value / 10 { divisor &*= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(ascii: "0") &+ UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `value` with at least `width` digits, zero padded.
    @inline(__always)
    mutating func appendPadded(_ value: Int, width: Int) {
        var w = 1, p = 10
        while p <= value { w += 1; p &*= 10 }
        if w < width { for _ in 0..<(width - w) { append(UInt8(ascii: "0")) } }
        appendDecimal(value)
    }
}

/// UTC calendar arithmetic for writers.
enum UTC {
    /// Seconds since the epoch at midnight UTC of a date.
    static func midnight(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        CivilDate.days(year: year, month: month, day: day) * 86_400
    }

    /// `(year, month, day, hour, minute, second)` for epoch seconds.
    static func fields(_ seconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rem = Int(seconds - days * 86_400)
        let (y, m, d) = CivilDate.fromDays(days)
        return (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    /// `2026-03-10T14:03:11Z` (`.mmm` appended before `Z` when `millis` is given).
    static func iso(_ seconds: Int64, millis: Int? = nil) -> String {
        var out: [UInt8] = []
        appendISO(seconds, millis: millis, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendISO(_ seconds: Int64, millis: Int? = nil, to out: inout [UInt8]) {
        let f = fields(seconds)
        out.appendPadded(f.year, width: 4); out.append(UInt8(ascii: "-"))
        out.appendPadded(f.month, width: 2); out.append(UInt8(ascii: "-"))
        out.appendPadded(f.day, width: 2); out.append(UInt8(ascii: "T"))
        out.appendPadded(f.hour, width: 2); out.append(UInt8(ascii: ":"))
        out.appendPadded(f.minute, width: 2); out.append(UInt8(ascii: ":"))
        out.appendPadded(f.second, width: 2)
        if let millis {
            out.append(UInt8(ascii: "."))
            out.appendPadded(millis, width: 3)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// `YYYY/MM/DD` as used in S3 key prefixes.
    static func slashDate(_ seconds: Int64) -> String {
        let f = fields(seconds)
        var out: [UInt8] = []
        out.appendPadded(f.year, width: 4); out.append(UInt8(ascii: "/"))
        out.appendPadded(f.month, width: 2); out.append(UInt8(ascii: "/"))
        out.appendPadded(f.day, width: 2)
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYYMMDDTHHMMZ` as used in CloudTrail and flow log file names.
    static func compactMinute(_ seconds: Int64) -> String {
        let f = fields(seconds)
        var out: [UInt8] = []
        out.appendPadded(f.year, width: 4); out.appendPadded(f.month, width: 2); out.appendPadded(f.day, width: 2)
        out.append(UInt8(ascii: "T"))
        out.appendPadded(f.hour, width: 2); out.appendPadded(f.minute, width: 2)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The classic syslog stamp: `Mar 10 14:03:11`, `Mar  9 08:00:00` (day space padded, no year).
    static func syslog(_ seconds: Int64) -> String {
        let f = fields(seconds)
        var out: [UInt8] = Array(monthAbbreviations[f.month - 1].utf8)
        out.append(UInt8(ascii: " "))
        if f.day < 10 { out.append(UInt8(ascii: " ")) }
        out.appendDecimal(f.day)
        out.append(UInt8(ascii: " "))
        out.appendPadded(f.hour, width: 2); out.append(UInt8(ascii: ":"))
        out.appendPadded(f.minute, width: 2); out.append(UInt8(ascii: ":"))
        out.appendPadded(f.second, width: 2)
        return String(decoding: out, as: UTF8.self)
    }
}
