import VigilCore

/// How times are shown: UTC (the default, as logs are) or the machine's local time.
enum TimeMode: String, Hashable, Sendable {
    case utc, local

    var label: String { self == .utc ? "UTC" : "local" }
    var toggled: TimeMode { self == .utc ? .local : .utc }
}

/// Formats timestamps for the screen without Foundation: fixed-width, sortable, in UTC or shifted to local time.
struct TimeFormat: Sendable {
    var mode: TimeMode
    /// Seconds east of UTC at an instant (milliseconds since the epoch), for local time.
    var offset: @Sendable (Int64) -> Int

    private func parts(_ t: Timestamp) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int) {
        let shift = mode == .local ? Int64(offset(t.milliseconds)) : 0
        let secs = Timestamp(milliseconds: t.milliseconds + shift * 1000).seconds
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = Int(secs - days * 86_400)
        let (y, m, d) = CivilDate.fromDays(days)
        return (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// The year in four digits at least (`0042`), so that the column stays sortable and fixed-width.
    private static func four(_ v: Int) -> String {
        let text = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    /// `2026-03-10 14:44:02`.
    func full(_ t: Timestamp) -> String {
        let p = parts(t)
        return "\(Self.four(p.y))-\(Self.two(p.mo))-\(Self.two(p.d)) \(Self.two(p.h)):\(Self.two(p.mi)):\(Self.two(p.s))"
    }

    /// `03-10 14:44:02`, for table columns.
    func short(_ t: Timestamp) -> String {
        let p = parts(t)
        return "\(Self.two(p.mo))-\(Self.two(p.d)) \(Self.two(p.h)):\(Self.two(p.mi)):\(Self.two(p.s))"
    }

    /// `14:44`, for range labels.
    func clock(_ t: Timestamp) -> String {
        let p = parts(t)
        return "\(Self.two(p.h)):\(Self.two(p.mi))"
    }

    /// A duration in its largest sensible unit: `45s`, `12m`, `3h`, `2d`.
    static func duration(milliseconds ms: Int64) -> String {
        let s = max(0, ms / 1000)
        if s < 120 { return "\(s)s" }
        if s < 7200 { return "\(s / 60)m" }
        if s < 172_800 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }
}
