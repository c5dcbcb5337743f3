import Testing
@testable import VigilDetect

@Suite("Value patterns")
struct ValuePatternTests {
    @Test("Sigma wildcards", arguments: [
        ("*admin*", "SuperAdminRole", true), ("admin*", "administrator", true), ("*admin", "sysadmin", true),
        ("a?c", "abc", true), ("a?c", "ac", false), ("a*b*c", "axxbyyc", true), ("a*b*c", "axxbyy", false),
        ("\\*literal", "*literal", true), ("\\*literal", "xliteral", false), ("exact", "EXACT", true), ("exact", "exactly", false),
        ("*", "", true), ("", "", true), ("", "x", false), ("Ü*", "über", true),
    ])
    func wildcards(pattern: String, value: String, expected: Bool) {
        let p = ValuePattern.wildcard(pattern, cased: false)
        #expect(p.matches(foldCase(Array(value.utf8)), original: value, intel: nil) == expected)
    }

    @Test("cased keeps case")
    func cased() {
        let p = ValuePattern.wildcard("Admin*", cased: true)
        #expect(p.matches(Array("Administrator".utf8), original: "Administrator", intel: nil))
        #expect(!p.matches(Array("administrator".utf8), original: "administrator", intel: nil))
    }

    @Test("base64 and base64offset encode as Sigma defines")
    func base64() {
        #expect(Base64.encode(Array("ping".utf8)) == "cGluZw==")
        #expect(Base64.offsetVariants(Array("ping".utf8)) == ["cGluZ", "Bpbm", "waW5n"])
        // Every variant appears in the encoding of a text that contains the value at that offset.
        for prefix in ["", "x", "xy"] {
            let encoded = Base64.encode(Array((prefix + "ping pong").utf8))
            #expect(Base64.offsetVariants(Array("ping".utf8)).contains { encoded.contains($0) })
        }
    }

    @Test("windash variants")
    func windash() {
        #expect(RuleCompiler.windashVariants("-enc") == ["-enc", "/enc", "\u{2013}enc", "\u{2014}enc", "\u{2015}enc"])
        #expect(RuleCompiler.windashVariants("enc") == ["enc"])
    }

    @Test("timespans")
    func timespans() {
        #expect(Timespan.milliseconds("30s") == 30_000)
        #expect(Timespan.milliseconds("5m") == 300_000)
        #expect(Timespan.milliseconds("2d") == 172_800_000)
        #expect(Timespan.milliseconds("5x") == nil)
        #expect(Timespan.milliseconds("99999999999999999d") == nil)
    }

    @Test("ATT&CK tags")
    func attack() {
        let tags = AttackTags(tags: ["attack.defense_evasion", "attack.t1562.008", "attack.T1078", "attack.g0016", "cve.2021-1"])
        #expect(tags.tactics == ["defense-evasion"])
        #expect(tags.techniques == ["T1562.008", "T1078"])
    }
}
