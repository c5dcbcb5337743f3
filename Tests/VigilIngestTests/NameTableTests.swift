import Testing
@testable import VigilIngest

@Suite("Name table")
struct NameTableTests {
    static func index(_ table: NameTable, _ name: String) -> Int? {
        Array(name.utf8).withUnsafeBytes { table.index($0.baseAddress!, $0.count) }
    }

    @Test("finds every name at its place in the list, and nothing else")
    func membership() {
        let names = ["name", "arn", "keyId", "instanceId", "dBClusterIdentifier", "resolverQueryLogConfigId", "bucketName", "eventID"]
        let table = NameTable(names)
        for (place, name) in names.enumerated() { #expect(Self.index(table, name) == place, "\(name)") }
        let misses = [
            "nam", "names", "Name", "arm", "keyIe", "KeyId", "eventId",
            "instanceIe", "instanceid", "instance",               // same first word, another ending; a prefix
            "dBClusterIdentifies", "dBClusterIdentifie",          // a differing last byte; one short
            "resolverQueryLogConfigIx", "resolverQueryLogConfigIdx",
            "bucketNamf", "xucketName", "bucket_name",
        ]
        for miss in misses { #expect(Self.index(table, miss) == nil, "\(miss)") }
        #expect(Array("name".utf8).withUnsafeBytes { table.index($0.baseAddress!, 0) } == nil)
    }

    @Test("the resource key table finds every resource key and no near miss")
    func resourceKeys() {
        let table = CloudTrailRecord.resourceKeyTable
        for key in CloudTrailRecord.resourceKeys {
            #expect(Self.index(table, key) != nil, "\(key)")
            #expect(Self.index(table, String(key.dropLast()) + "#") == nil, "\(key)")
            #expect(Self.index(table, "#" + String(key.dropFirst())) == nil, "\(key)")
        }
    }

    @Test("names longer than the table holds are refused, not read past")
    func tooLong() {
        let long = String(repeating: "a", count: 64)
        let table = NameTable([long, "ok"])
        #expect(Self.index(table, long) == nil)
        #expect(Self.index(table, "ok") == 1)
    }
}
