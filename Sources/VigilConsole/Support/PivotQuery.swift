import VigilDetect

/// Query-language terms for pivoting the timeline on a value: an entity, or a field of a record.
enum PivotQuery {
    /// A value written so the query language reads it literally: wildcard and grouping characters escaped,
    /// quoted when it holds spaces (see docs/query.md, "Values").
    static func literal(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains(where: { $0 == " " || $0 == "\t" })
        return needsQuotes ? quoted(value) : escaped(value)
    }

    /// The value in quotes, for free-text search.
    static func quoted(_ value: String) -> String { "\"" + escaped(value) + "\"" }

    private static func escaped(_ value: String) -> String {
        var out = ""
        for c in value {
            if "*?\\\"()".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func term(_ field: String, _ value: String) -> String { field + ":" + literal(value) }

    /// The term that finds an entity's events, or nil when the entity is not something events carry.
    static func term(for entity: Entity) -> String? {
        switch entity.kind {
        case .principal:
            return entity.value.hasPrefix("arn:") ? term("principal", entity.value) : term("user", entity.value)
        case .accessKey: return term("key", entity.value)
        case .sourceIP: return term("ip", entity.value)
        case .account: return term("account", entity.value)
        case .user: return term("user", entity.value)
        case .domain: return term("query", entity.value)
        case .role: return term("resource", entity.value)
        case .instance, .bucket, .snapshot, .image, .securityGroup, .volume, .resource, .host:
            return term("resource", entity.value)
        case .group:
            // Correlation groups look like `field=value,field=value`: one term per field, all required.
            let terms = groupFields(entity.value).map { term(path: $0.path.split(separator: ".").map(String.init), value: $0.value) }
            return terms.isEmpty ? nil : terms.joined(separator: " ")
        }
    }

    /// The `field=value` pairs of a correlation group key (a comma inside a value stays with it).
    static func groupFields(_ key: String) -> [(path: String, value: String)] {
        var pairs: [(String, String)] = []
        for piece in key.split(separator: ",", omittingEmptySubsequences: false) {
            if let eq = piece.firstIndex(of: "="), !piece[..<eq].contains(" ") {
                pairs.append((String(piece[..<eq]), String(piece[piece.index(after: eq)...])))
            } else if !pairs.isEmpty {
                pairs[pairs.count - 1].1 += "," + piece
            }
        }
        return pairs.filter { !$0.1.isEmpty }
    }

    /// The term for a JSON path and value from a record (paths with unusual key names fall back to free text).
    static func term(path: [String], value: String) -> String {
        let simple = path.allSatisfy { key in !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
        guard simple, !path.isEmpty else { return quoted(value) }
        return term(path.joined(separator: "."), value)
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    func stripping(_ set: String) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = lastIndex(where: { !set.contains($0) })!
        return String(self[first...last])
    }
}
