/// An IPv4 or IPv6 address held as 128 bits (IPv4 as the low 32 bits with `isV4` set).
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public var isV4: Bool

    @inlinable
    public init(v4 value: UInt32) {
        high = 0
        low = UInt64(value)
        isV4 = true
    }

    public init(v6 high: UInt64, _ low: UInt64) {
        self.high = high
        self.low = low
        isV4 = false
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        if a.isV4 != b.isV4 { return a.isV4 }
        return (a.high, a.low) < (b.high, b.low)
    }

    public init?(_ text: String) {
        var copy = text
        guard let parsed = copy.withUTF8({ IPAddress.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail).
    public static func parse(_ b: UnsafeRawBufferPointer) -> IPAddress? {
        guard !b.isEmpty, b.count <= 45 else { return nil }
        // Most addresses in logs are plain dotted quads: read those in one pass (flow logs have two a line).
        if b.count <= 15, let v4 = quickV4(b) { return IPAddress(v4: v4) }
        var hasColon = false
        for c in b where c == UInt8(ascii: ":") { hasColon = true; break }
        if !hasColon { return parseV4(b, 0, b.count).map { IPAddress(v4: $0) } }
        return parseV6(b)
    }

    /// A dotted quad in its usual form (each part 0 to 255, no leading zeros), or nil for anything else, which
    /// ``parse(_:)`` then judges: it accepts exactly what that does, only sooner. Inlinable, so that a reader
    /// parsing millions of addresses (flow logs name two a line) pays no call for the common case.
    @inlinable @inline(__always)
    public static func quickV4(_ b: UnsafeRawBufferPointer) -> UInt32? {
        let n = b.count
        var i = 0
        var value: UInt32 = 0
        for part in 0..<4 {
            guard i < n else { return nil }
            var octet = UInt32(b[i] &- 48)
            guard octet < 10 else { return nil }
            i += 1
            if i < n, b[i] &- 48 < 10 {
                guard octet != 0 else { return nil }
                octet = octet * 10 + UInt32(b[i] &- 48)
                i += 1
                if i < n, b[i] &- 48 < 10 {
                    octet = octet * 10 + UInt32(b[i] &- 48)
                    i += 1
                    guard octet <= 255 else { return nil }
                }
            }
            value = value << 8 | octet
            if part < 3 {
                guard i < n, b[i] == UInt8(ascii: ".") else { return nil }
                i += 1
            }
        }
        return i == n ? value : nil
    }

    static func parseV4(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0
        var octet = 0, digits = 0, parts = 0
        var i = start
        while i <= end {
            let c: UInt8 = i < end ? b[i] : UInt8(ascii: ".")
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 4 else { return nil }
                value = value << 8 | UInt32(octet)
                parts += 1
                octet = 0
                digits = 0
            } else if c >= 48 && c <= 57 {
                guard digits < 3 else { return nil }
                if digits == 1 && octet == 0 { return nil }  // leading zero: ambiguous (octal) form
                octet = octet * 10 + Int(c - 48)
                guard octet <= 255 else { return nil }
                digits += 1
            } else {
                return nil
            }
            i += 1
        }
        return parts == 4 ? value : nil
    }

    static func parseV6(_ b: UnsafeRawBufferPointer) -> IPAddress? {
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0
        var gap = -1
        var i = 0
        let n = b.count
        if n >= 2, b[0] == UInt8(ascii: ":") {
            guard b[1] == UInt8(ascii: ":") else { return nil }
            gap = 0
            i = 2
            if i == n { return IPAddress(v6: 0, 0) }
        }
        while i < n {
            // An embedded IPv4 tail occupies the last two groups.
            var j = i
            var sawDot = false
            while j < n, b[j] != UInt8(ascii: ":") { if b[j] == UInt8(ascii: ".") { sawDot = true }; j += 1 }
            if sawDot {
                guard j == n, count <= 6, let v4 = parseV4(b, i, j) else { return nil }
                groups[count] = UInt16(v4 >> 16); groups[count + 1] = UInt16(v4 & 0xffff)
                count += 2
                i = n
                break
            }
            guard j > i, j - i <= 4, count < 8 else { return nil }
            var v: UInt16 = 0
            for k in i..<j {
                let c = b[k]
                let d: UInt16
                switch c {
                case 48...57: d = UInt16(c - 48)
                case 97...102: d = UInt16(c - 87)
                case 65...70: d = UInt16(c - 55)
                default: return nil
                }
                v = v << 4 | d
            }
            groups[count] = v
            count += 1
            i = j
            if i < n {
                i += 1  // the colon
                if i < n, b[i] == UInt8(ascii: ":") {
                    guard gap < 0 else { return nil }
                    gap = count
                    i += 1
                } else if i == n {
                    return nil  // trailing single colon
                }
            }
        }
        if gap >= 0 {
            guard count < 8 else { return nil }
            let tail = count - gap
            var expanded = [UInt16](repeating: 0, count: 8)
            for k in 0..<gap { expanded[k] = groups[k] }
            for k in 0..<tail { expanded[8 - tail + k] = groups[gap + k] }
            groups = expanded
        } else if count != 8 {
            return nil
        }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for k in 0..<4 { hi = hi << 16 | UInt64(groups[k]) }
        for k in 4..<8 { lo = lo << 16 | UInt64(groups[k]) }
        return IPAddress(v6: hi, lo)
    }

    public var description: String {
        if isV4 {
            // Built byte by byte: this runs once per flow record.
            let v = UInt32(truncatingIfNeeded: low)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(15)
            for shift in [24, 16, 8, 0] as [UInt32] {
                let octet = Int(v >> shift & 0xff)
                if octet >= 100 { bytes.append(UInt8(48 + octet / 100)) }
                if octet >= 10 { bytes.append(UInt8(48 + octet / 10 % 10)) }
                bytes.append(UInt8(48 + octet % 10))
                if shift != 0 { bytes.append(UInt8(ascii: ".")) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var groups = [UInt16]()
        for k in (0..<4).reversed() { groups.append(UInt16(truncatingIfNeeded: high >> (UInt64(k) * 16))) }
        for k in (0..<4).reversed() { groups.append(UInt16(truncatingIfNeeded: low >> (UInt64(k) * 16))) }
        // Longest run of two or more zero groups becomes "::" (RFC 5952).
        var bestStart = -1, bestLen = 1, runStart = -1
        for k in 0...8 {
            if k < 8, groups[k] == 0 {
                if runStart < 0 { runStart = k }
            } else if runStart >= 0 {
                if k - runStart > bestLen { bestStart = runStart; bestLen = k - runStart }
                runStart = -1
            }
        }
        func hex(_ g: UInt16) -> String { String(g, radix: 16) }
        if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
        let head = groups[..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLen)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }
}

/// An address block such as `203.0.113.0/24` or `2001:db8::/32`.
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
    public var network: IPAddress
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxLength = address.isV4 ? 32 : 128
        var length = maxLength
        if parts.count == 2 {
            guard let l = Int(parts[1]), (0...maxLength).contains(l) else { return nil }
            length = l
        }
        self.init(network: address, prefixLength: length)
    }

    public init(network: IPAddress, prefixLength: Int) {
        self.prefixLength = prefixLength
        self.network = CIDRBlock.mask(network, prefixLength)
    }

    static func mask(_ a: IPAddress, _ length: Int) -> IPAddress {
        var m = a
        if a.isV4 {
            let keep: UInt64 = length == 0 ? 0 : (0xffff_ffff << UInt64(32 - length)) & 0xffff_ffff
            m.low &= keep
        } else {
            let hiBits = min(length, 64), loBits = max(length - 64, 0)
            m.high &= hiBits == 0 ? 0 : ~UInt64(0) << UInt64(64 - hiBits)
            m.low &= loBits == 0 ? 0 : ~UInt64(0) << UInt64(64 - loBits)
        }
        return m
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isV4 == network.isV4 else { return false }
        return CIDRBlock.mask(address, prefixLength) == network
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
