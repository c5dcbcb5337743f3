import VigilCore

/// Threat-intelligence lists (IP addresses, CIDR blocks, domains) offered to rules and detectors.
///
/// Lists are plain text, one entry per line, `#` starting a comment; a list is named after its file without the
/// extension (`tor-exits.txt` is `tor-exits`). A domain entry matches itself and its subdomains. Rules use a list
/// with the `|intel` modifier (`sourceIPAddress|intel: tor-exits`, or `any` for every list).
public struct ThreatIntel: Sendable {
    public struct List: Sendable {
        public var name: String
        var addresses: Set<IPAddress> = []
        var blocks: [CIDRBlock] = []
        var domains: Set<String> = []
        public var count: Int { addresses.count + blocks.count + domains.count }
    }

    /// One line that was not an address, a block or a domain.
    public struct BadEntry: Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var text: String
        public var description: String { "\(file):\(line): not an IP address, CIDR block or domain: \(TextSanitizer.sanitize(text))" }
    }

    public private(set) var lists: [String: List] = [:]

    public init() {}

    /// Adds a list from text; returns the lines that could not be read.
    @discardableResult
    public mutating func add(name: String, text: String, file: String? = nil) -> [BadEntry] {
        var list = lists[name] ?? List(name: name)
        var bad: [BadEntry] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let entry = String(line).trimmingSpaces
            guard !entry.isEmpty else { continue }
            // Some feeds put extra columns after the address (`1.2.3.4 2024-01-01`): the first word counts.
            let word = String(entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).first ?? "")
            if word.contains("/"), let block = CIDRBlock(word) {
                list.blocks.append(block)
            } else if let address = IPAddress(word) {
                list.addresses.insert(address)
            } else if Self.isDomain(word) {
                list.domains.insert(Self.normaliseDomain(word))
            } else {
                bad.append(BadEntry(file: file ?? name, line: lineNumber, text: String(rawLine)))
            }
        }
        lists[name] = list
        return bad
    }

    public var isEmpty: Bool { lists.isEmpty }

    /// Whether `value` (an address or a domain name) is on list `name` (`any` or `*`: on any list).
    public func contains(_ value: String, list name: String) -> Bool {
        if name == "any" || name == "*" { return listName(containing: value) != nil }
        guard let list = lists[name] else { return false }
        return Self.contains(value, in: list)
    }

    /// The name of the first list holding `value`, if any.
    public func listName(containing value: String) -> String? {
        for name in lists.keys.sorted() where Self.contains(value, in: lists[name]!) { return name }
        return nil
    }

    /// The name of the first list holding `address`, if any.
    public func listName(containing address: IPAddress) -> String? {
        for name in lists.keys.sorted() {
            let list = lists[name]!
            if list.addresses.contains(address) || list.blocks.contains(where: { $0.contains(address) }) { return name }
        }
        return nil
    }

    private static func contains(_ value: String, in list: List) -> Bool {
        if let address = IPAddress(value) {
            return list.addresses.contains(address) || list.blocks.contains { $0.contains(address) }
        }
        guard !list.domains.isEmpty else { return false }
        var domain = normaliseDomain(value)
        while true {
            if list.domains.contains(domain) { return true }
            guard let dot = domain.firstIndex(of: ".") else { return false }
            domain = String(domain[domain.index(after: dot)...])
        }
    }

    static func normaliseDomain(_ text: String) -> String {
        var d = text.lowercased()
        while d.hasSuffix(".") { d.removeLast() }
        if d.hasPrefix("*.") { d.removeFirst(2) }
        return d
    }

    static func isDomain(_ text: String) -> Bool {
        let d = normaliseDomain(text)
        guard d.contains("."), d.utf8.count <= 253 else { return false }
        return d.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F
        }
    }
}
