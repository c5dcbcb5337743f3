import VigilCore

/// Something a finding is about: a principal, an access key, an address, an instance, a bucket…
public struct Entity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case principal, accessKey = "access-key", sourceIP = "ip", account, instance, bucket, snapshot, image,
             securityGroup = "security-group", volume, role, user, host, domain, resource, group

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var kind: Kind
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public static func < (a: Entity, b: Entity) -> Bool { (a.kind, a.value) < (b.kind, b.value) }

    public var description: String { "\(kind.rawValue):\(value)" }

    /// Classifies a resource identifier by its AWS shape (`i-…`, `snap-…`, `arn:aws:s3:::…`).
    public static func classify(resource: String) -> Entity {
        let prefixes: [(String, Kind)] = [("i-", .instance), ("snap-", .snapshot), ("ami-", .image), ("sg-", .securityGroup),
                                          ("vol-", .volume), ("AKIA", .accessKey), ("ASIA", .accessKey)]
        if IPAddress(resource) != nil { return Entity(.sourceIP, resource) }
        for (prefix, kind) in prefixes where resource.hasPrefix(prefix) { return Entity(kind, resource) }
        if resource.hasPrefix("arn:aws:s3:::") {
            let name = resource.dropFirst("arn:aws:s3:::".count).split(separator: "/").first.map(String.init) ?? resource
            return Entity(.bucket, name)
        }
        if resource.hasPrefix("arn:"), resource.contains(":role/") { return Entity(.role, resource) }
        if resource.hasPrefix("arn:"), resource.contains(":user/") { return Entity(.principal, resource) }
        return Entity(.resource, resource)
    }
}
