import Testing
@testable import VigilCore

@Suite("Timestamps")
struct TimestampTests {
    @Test("parses ISO 8601 forms to UTC milliseconds", arguments: [
        ("2024-05-01T10:00:00Z", Int64(1_714_557_600_000)),
        ("2024-05-01T10:00:00.123Z", 1_714_557_600_123),
        ("2024-05-01T10:00:00.123456+00:00", 1_714_557_600_123),
        ("2024-05-01T12:00:00+02:00", 1_714_557_600_000),
        ("2024-05-01T05:30:00-0430", 1_714_557_600_000),
        ("2024-05-01 10:00:00", 1_714_557_600_000),
        ("2024-05-01T10:00Z", 1_714_557_600_000),
        ("2024-05-01", 1_714_521_600_000),
        ("1969-12-31T23:59:59Z", -1000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
    ])
    func parses(text: String, millis: Int64) {
        #expect(ISO8601Parser.parse(text)?.milliseconds == millis)
    }

    @Test("rejects invalid times", arguments: ["2023-02-29T00:00:00Z", "2024-13-01", "2024-05-01T25:00:00Z", "2024-5-1", "yesterday", "2024-05-01T10:00:00Zjunk", ""])
    func rejects(text: String) {
        #expect(ISO8601Parser.parse(text) == nil)
    }

    @Test("formats back to ISO 8601, including before 1970")
    func formats() {
        #expect(Timestamp(milliseconds: 1_714_557_600_123).description == "2024-05-01T10:00:00.123Z")
        #expect(Timestamp(seconds: 1_714_557_600).description == "2024-05-01T10:00:00Z")
        #expect(Timestamp(milliseconds: -1).description == "1969-12-31T23:59:59.999Z")
        for days in stride(from: Int64(-800_000), to: 800_000, by: 7919) {
            let (y, m, d) = CivilDate.fromDays(days)
            #expect(CivilDate.days(year: y, month: m, day: d) == days)
        }
    }
}
