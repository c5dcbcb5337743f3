/// A DNS name as the DNS detectors read it: ASCII lower case, without the trailing dot, split into labels.
struct DomainName {
    /// The name's bytes, lower-cased, without a trailing dot.
    let bytes: [UInt8]
    /// Each label's byte range, left to right.
    let labels: [Range<Int>]

    init(_ text: String) {
        var b = [UInt8]()
        b.reserveCapacity(text.utf8.count)
        for c in text.utf8 { b.append(c >= 65 && c <= 90 ? c | 0x20 : c) }
        while b.last == UInt8(ascii: ".") { b.removeLast() }
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, c) in b.enumerated() where c == UInt8(ascii: ".") {
            if i > start { ranges.append(start..<i) }
            start = i + 1
        }
        if b.count > start { ranges.append(start..<b.count) }
        bytes = b
        labels = ranges
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    func label(_ k: Int) -> ArraySlice<UInt8> { bytes[labels[k]] }

    /// The index of the first label of the registrable domain (`example.co.uk` in `a.b.example.co.uk`).
    ///
    /// Without the public-suffix list this is an approximation: the last two labels, or three when the name ends
    /// in a two-letter country code under a common second level (`co`, `com`, `net`, `org`, `gov`, `edu`, `ac`…).
    var registrableStart: Int {
        let n = labels.count
        guard n > 2 else { return 0 }
        if labels[n - 1].count == 2, Self.secondLevels.contains(where: { $0.elementsEqual(label(n - 2)) }) {
            return n - 3
        }
        return n - 2
    }

    /// The registrable domain as text (`supportxmr.example`).
    var registrableDomain: String {
        guard !labels.isEmpty else { return "" }
        return String(decoding: bytes[labels[registrableStart].lowerBound...], as: UTF8.self)
    }

    /// The label that names the registrable domain (`supportxmr` in `pool.supportxmr.example`), if the name has
    /// at least two labels.
    var registrableLabel: ArraySlice<UInt8>? {
        labels.count >= 2 ? label(registrableStart) : nil
    }

    /// Whether the name is `suffix` or ends with `.suffix` (label-aligned).
    func hasSuffix(_ suffix: [UInt8]) -> Bool {
        guard bytes.count >= suffix.count, bytes[(bytes.count - suffix.count)...].elementsEqual(suffix) else { return false }
        return bytes.count == suffix.count || bytes[bytes.count - suffix.count - 1] == UInt8(ascii: ".")
    }

    /// FNV-1a of the bytes from `start` to the end (used to key names without keeping them).
    func hash(from start: Int = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h
    }

    private static let secondLevels: [[UInt8]] = ["co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "ltd", "plc", "gob", "mil"]
        .map { Array($0.utf8) }

    /// Provider and infrastructure domains whose names are machine-made by design (hashes, ids, reversed
    /// addresses) or whose lookups carry data on purpose (block lists, anti-virus reputation): the DGA and
    /// tunnelling checks skip them, since every one of their names would look random or unique.
    static let infrastructureSuffixes: [[UInt8]] = [
        // AWS
        "amazonaws.com", "amazonaws.com.cn", "aws", "aws.dev", "api.aws", "on.aws", "cloudfront.net", "awsstatic.com",
        "amazon.com", "a2z.com", "amazontrust.com", "awsglobalaccelerator.com", "elb.amazonaws.com",
        // CDNs and other clouds
        "akamai.net", "akamaiedge.net", "akamaihd.net", "akamaized.net", "akamaitechnologies.com", "akadns.net",
        "edgekey.net", "edgesuite.net", "azureedge.net", "azurefd.net", "windows.net", "trafficmanager.net",
        "cloudapp.net", "azure.com", "microsoft.com", "office.com", "googleapis.com", "googleusercontent.com",
        "gvt1.com", "gvt2.com", "gstatic.com", "google.com", "1e100.net", "fastly.net", "fastlylb.net",
        "cloudflare.net", "cloudflare.com", "cdn.cloudflare.net", "edgecastcdn.net", "llnwd.net",
        // Local and reverse zones
        "internal", "local", "localdomain", "localhost", "arpa", "home.arpa", "lan",
        // Lookups that encode data by design: DNS block lists and reputation services
        "spamhaus.org", "spamcop.net", "sorbs.net", "barracudacentral.org", "surbl.org", "uribl.com",
        "dnswl.org", "mailspike.net", "sophosxl.net", "mcafee.com", "trendmicro.com", "senderbase.org",
        "team-cymru.org", "cymru.com",
    ].map { Array($0.utf8) }

    /// Whether the name belongs to one of the ``infrastructureSuffixes``.
    var isInfrastructure: Bool {
        Self.infrastructureSuffixes.contains { hasSuffix($0) }
    }
}

/// Names and ports of cryptocurrency mining pools.
enum MiningIndicators {
    /// Stratum ports pools commonly listen on (3333 and 14444 above all). 8888 is left out of this list: it is
    /// just as often a development web server, so it only counts with DNS corroboration (``corroboratedPorts``).
    static let ports: [UInt16] = [3333, 4444, 5555, 5556, 7777, 9999, 14433, 14444, 45560, 45700]
    static let corroboratedPorts: [UInt16] = [8888]

    /// A bit per port, so a flow's port is checked with one load.
    private static let portBits: [UInt64] = bitmap(ports)
    private static let corroboratedPortBits: [UInt64] = bitmap(corroboratedPorts)

    private static func bitmap(_ ports: [UInt16]) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: 1024)
        for p in ports { bits[Int(p >> 6)] |= 1 << UInt64(p & 63) }
        return bits
    }

    @inline(__always)
    static func isMiningPort(_ port: Int) -> Bool {
        port >= 0 && port < 65536 && portBits[port >> 6] & (1 << UInt64(port & 63)) != 0
    }

    @inline(__always)
    static func needsCorroboration(_ port: Int) -> Bool {
        port >= 0 && port < 65536 && corroboratedPortBits[port >> 6] & (1 << UInt64(port & 63)) != 0
    }

    /// Pool and miner names distinctive enough to match anywhere in a DNS name.
    static let distinctiveFragments: [[UInt8]] = [
        "supportxmr", "nanopool", "minexmr", "moneroocean", "hashvault", "herominers", "ethermine", "nicehash",
        "minergate", "c3pool", "unmineable", "miningpoolhub", "xmrpool", "monerohash", "moneropool", "cryptonight",
        "coinhive", "coin-hive", "dwarfpool", "slushpool", "woolypooly", "prohashing", "2miners", "f2pool",
        "xmrig", "mining-pool", "miningpool", "cryptopool",
    ].map { Array($0.utf8) }

    /// Pool names too short or too word-like to match inside other words: they must be a whole label.
    static let wholeLabels: [[UInt8]] = [
        "xmr", "monero", "stratum", "hiveon", "flexpool", "antpool", "viabtc", "kryptex", "poolin", "zpool", "ethpool",
    ].map { Array($0.utf8) }

    /// Whether a DNS name looks like a mining pool's (`pool.supportxmr.com`, `xmr-eu1.nanopool.org`,
    /// `stratum-eu.antpool.com`).
    static func isMiningPool(_ name: DomainName) -> Bool {
        let b = name.bytes
        for fragment in distinctiveFragments where contains(b, fragment) { return true }
        for k in name.labels.indices {
            let label = name.label(k)
            for whole in wholeLabels where label.elementsEqual(whole) { return true }
            // xmr-eu1, xmr1, stratum-eu, stratum2
            if label.starts(with: "xmr".utf8), label.count > 3 {
                let next = label[label.startIndex + 3]
                if next == UInt8(ascii: "-") || (next >= 48 && next <= 57) { return true }
            }
            if label.starts(with: "stratum".utf8) { return true }
        }
        return false
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count
        guard haystack.count >= n else { return false }
        var i = 0
        while i + n <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + n)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

/// How machine-made a domain label looks, for the DGA check.
///
/// Features of the registrable label only (`xjwqkzhvbnmp` in `www.xjwqkzhvbnmp.com`): algorithmically generated
/// domains are registered names, while random-looking *sub*domains are the normal output of CDNs and cloud
/// services (and are the tunnelling check's business). A label is DGA-like when it is long (≥ 12 characters),
/// its character entropy is high (≥ 3.3 bits) and at least two of these hold: a run of ≥ 5 consonants, fewer than
/// 20% vowels among its letters (`y` counts as a vowel), or digits mixed through the letters (20–80% digits with
/// ≥ 3 letter/digit changes). English-like names and brand compounds (`harborlight`, `stackoverflow`,
/// `cloudflareinsights`) fail at least two of these; punycode (`xn--`) labels are skipped.
struct LabelShape {
    var length = 0
    var entropy = 0.0
    var longestConsonantRun = 0
    var vowelRatio = 0.0
    var digitRatio = 0.0
    var letterDigitChanges = 0

    static let minimumLength = 12
    static let minimumEntropy = 3.3

    init<C: Collection>(_ label: C) where C.Element == UInt8 {
        var counts = [Int](repeating: 0, count: 64)
        var letters = 0, vowels = 0, digits = 0, run = 0
        var previousWasDigit: Bool?
        for c in label {
            length += 1
            let isDigit = c >= 48 && c <= 57
            let isLetter = c >= 97 && c <= 122
            if isLetter {
                letters += 1
                counts[Int(c - 97)] += 1
                if Self.isVowel(c) {
                    vowels += 1
                    run = 0
                } else {
                    run += 1
                    longestConsonantRun = max(longestConsonantRun, run)
                }
            } else {
                run = 0
                if isDigit { digits += 1; counts[26 + Int(c - 48)] += 1 } else { counts[36] += 1 }
            }
            if isDigit || isLetter {
                if let previous = previousWasDigit, previous != isDigit { letterDigitChanges += 1 }
                previousWasDigit = isDigit
            }
        }
        guard length > 0 else { return }
        vowelRatio = letters == 0 ? 0 : Double(vowels) / Double(letters)
        digitRatio = Double(digits) / Double(length)
        var sum = 0.0
        for c in counts where c > 0 { sum += Double(c) * Self.log2(Double(c)) }
        entropy = Self.log2(Double(length)) - sum / Double(length)
    }

    var looksGenerated: Bool {
        guard length >= Self.minimumLength, entropy >= Self.minimumEntropy else { return false }
        var signals = 0
        if longestConsonantRun >= 5 { signals += 1 }
        if vowelRatio < 0.2 { signals += 1 }
        if digitRatio >= 0.2 && digitRatio <= 0.8 && letterDigitChanges >= 3 { signals += 1 }
        return signals >= 2
    }

    private static func isVowel(_ c: UInt8) -> Bool {
        c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 121
    }

    /// log2 without Foundation: the binary exponent plus ln(m)/ln 2 for the mantissa m in [1, 2), from the
    /// series ln(m) = 2·atanh((m−1)/(m+1)), which converges fast there (|z| ≤ 1/3).
    static func log2(_ x: Double) -> Double {
        guard x > 0 else { return -.infinity }
        let exponent = Double(x.exponent)
        let m = x.significand
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var term = z, sum = 0.0
        var k = 1.0
        while k < 40 {
            sum += term / k
            term *= z2
            k += 2
        }
        return exponent + 2 * sum / 0.693_147_180_559_945_3
    }
}
