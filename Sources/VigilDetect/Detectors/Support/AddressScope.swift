import VigilCore

/// Whether an address can appear on the public internet.
///
/// `IPAddress` has no such helper, and the detectors need one on every flow: "public" decides what counts as
/// egress, which addresses a mining pool or an outside caller can have, and which CloudTrail callers are inside a
/// VPC. Internal means: RFC 1918, loopback, link-local, carrier-grade NAT (100.64/10), "this network" (0/8),
/// IETF protocol assignments (192.0.0/24), benchmarking (198.18/15), multicast and the reserved 240/4 (with
/// broadcast); for IPv6 the unspecified and loopback addresses, link-local (fe80::/10), unique-local (fc00::/7),
/// multicast (ff00::/8), and IPv4-mapped addresses by their IPv4 part.
///
/// The documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) count as public on
/// purpose: Vigil's sample data and tests use them as "the internet".
enum AddressScope {
    @inline(__always)
    static func isInternal(_ address: IPAddress) -> Bool {
        if address.isV4 { return isInternalV4(UInt32(truncatingIfNeeded: address.low)) }
        let high = address.high, low = address.low
        if high == 0 {
            if low == 0 || low == 1 { return true }                      // :: and ::1
            if low >> 32 == 0xFFFF { return isInternalV4(UInt32(truncatingIfNeeded: low)) }  // ::ffff:a.b.c.d
            return false
        }
        if high >> 54 == 0x3FA { return true }  // fe80::/10
        if high >> 57 == 0x7E { return true }   // fc00::/7
        if high >> 56 == 0xFF { return true }   // ff00::/8
        return false
    }

    @inline(__always)
    static func isPublic(_ address: IPAddress) -> Bool { !isInternal(address) }

    @inline(__always)
    static func isInternalV4(_ v: UInt32) -> Bool {
        switch v >> 24 {
        case 0, 10, 127: return true
        case 224...255: return true                   // multicast, reserved, broadcast
        case 100: return v >> 22 == 0x191             // 100.64.0.0/10
        case 169: return v >> 16 == 0xA9FE            // 169.254.0.0/16
        case 172: return v >> 20 == 0xAC1            // 172.16.0.0/12
        case 192: return v >> 16 == 0xC0A8 || v >> 8 == 0xC00000  // 192.168.0.0/16, 192.0.0.0/24
        case 198: return v >> 17 == 0x6309            // 198.18.0.0/15
        default: return false
        }
    }
}
