import Testing
@testable import VigilCore

@Suite("IP addresses")
struct IPAddressTests {
    @Test("parses and prints IPv4 and IPv6 canonically", arguments: [
        ("203.0.113.5", "203.0.113.5"),
        ("0.0.0.0", "0.0.0.0"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ])
    func roundTrips(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
    }

    @Test("rejects malformed addresses", arguments: ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "ec2.amazonaws.com", "AWS Internal", "", ":1", "1:"])
    func rejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("the quick dotted-quad reader accepts exactly what the full one does, with the same value")
    func quickV4AgreesWithFull() {
        let parts = ["0", "00", "1", "01", "9", "10", "99", "100", "199", "255", "256", "299", "999", "1000", "", "a", "1a", " 1"]
        var checked = 0
        for a in parts { for b in parts { for c in parts { for d in ["0", "01", "255", "256", "", "7x", "7.", "12"] {
            for text in ["\(a).\(b).\(c).\(d)", "\(a).\(b).\(c)", "\(a).\(b).\(c).\(d).1"] {
                let bytes = Array(text.utf8)
                bytes.withUnsafeBytes { raw in
                    let full = IPAddress.parseV4(raw, 0, raw.count)
                    if let quick = IPAddress.quickV4(raw) { #expect(quick == full, "\(text)") }
                    #expect(IPAddress.parse(raw) == full.map { IPAddress(v4: $0) }, "\(text)")
                }
                checked += 1
            }
        } } } }
        #expect(checked == parts.count * parts.count * parts.count * 8 * 3)
    }

    @Test("CIDR blocks contain exactly their addresses")
    func cidr() throws {
        let v4 = try #require(CIDRBlock("203.0.113.77/24"))
        #expect(v4.description == "203.0.113.0/24")
        #expect(v4.contains(IPAddress("203.0.113.255")!))
        #expect(!v4.contains(IPAddress("203.0.114.0")!))
        #expect(!v4.contains(IPAddress("2001:db8::1")!))
        let v6 = try #require(CIDRBlock("2001:db8::/32"))
        #expect(v6.contains(IPAddress("2001:db8:ffff::1")!))
        #expect(!v6.contains(IPAddress("2001:db9::1")!))
        #expect(CIDRBlock("0.0.0.0/0")!.contains(IPAddress("198.51.100.1")!))
        #expect(CIDRBlock("10.0.0.0/33") == nil)
        #expect(CIDRBlock("10.0.0.0/x") == nil)
        #expect(CIDRBlock("2001:db8::/64")!.contains(IPAddress("2001:db8::abcd")!))
        #expect(!CIDRBlock("2001:db8::/96")!.contains(IPAddress("2001:db8::1:0:0")!))
    }
}
