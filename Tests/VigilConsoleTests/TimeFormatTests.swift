import Testing
@testable import VigilConsole
import VigilCore

/// Times on screen: fixed width and sortable at the edges of what the readers accept.
@Suite struct TimeFormatTests {
    let utc = TimeFormat(mode: .utc, offset: { _ in 0 })

    @Test("full times keep a four-digit year from the year 0 to 9999")
    func fourDigitYears() {
        #expect(utc.full(Timestamp(seconds: 1_773_153_842)) == "2026-03-10 14:44:02")
        #expect(utc.full(Timestamp(seconds: 0)) == "1970-01-01 00:00:00")
        #expect(utc.full(Timestamp(seconds: CivilDate.days(year: 42, month: 7, day: 1) * 86_400)) == "0042-07-01 00:00:00")
        #expect(utc.full(Timestamp(seconds: CivilDate.days(year: 0, month: 1, day: 1) * 86_400)) == "0000-01-01 00:00:00")
        #expect(utc.full(Timestamp(seconds: Timestamp.latestSeconds)) == "9999-12-31 23:59:59")
        #expect(utc.short(Timestamp(seconds: Timestamp.latestSeconds)) == "12-31 23:59:59")
    }
}
