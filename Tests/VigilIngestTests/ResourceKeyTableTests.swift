import Testing
@testable import VigilIngest

@Suite("Resource key table")
struct ResourceKeyTableTests {
    static func contains(_ table: ResourceKeyTable, _ name: String) -> Bool {
        Array(name.utf8).withUnsafeBytes { table.contains($0.baseAddress!, $0.count) }
    }

    @Test("finds every name of the set and nothing else")
    func membership() {
        let names = ["name", "arn", "keyId", "instanceId", "dBClusterIdentifier", "resolverQueryLogConfigId", "bucketName"]
        let table = ResourceKeyTable(names)
        for name in names { #expect(Self.contains(table, name), "\(name)") }
        let misses = [
            "nam", "names", "Name", "arm", "keyIe", "KeyId",
            "instanceIe", "instanceid", "instance",               // same first word, another ending; a prefix
            "dBClusterIdentifies", "dBClusterIdentifie",          // a differing last byte; one short
            "resolverQueryLogConfigIx", "resolverQueryLogConfigIdx",
            "bucketNamf", "xucketName", "bucket_name", "",
        ]
        for miss in misses { #expect(!Self.contains(table, miss), "\(miss)") }
    }

    @Test("the CloudTrail table matches the CloudTrail resource keys")
    func cloudTrailKeys() {
        let table = CloudTrailRecord.resourceKeyTable
        for key in CloudTrailRecord.resourceKeys { #expect(Self.contains(table, key), "\(key)") }
        for key in CloudTrailRecord.resourceKeys where key.count > 1 {
            #expect(!Self.contains(table, String(key.dropLast()) + "#"), "\(key)")
            #expect(!Self.contains(table, "#" + String(key.dropFirst())), "\(key)")
        }
    }

    @Test("names longer than the table holds are refused, not read past")
    func tooLong() {
        let long = String(repeating: "a", count: 64)
        let table = ResourceKeyTable([long, "ok"])
        #expect(!Self.contains(table, long))
        #expect(Self.contains(table, "ok"))
    }
}
