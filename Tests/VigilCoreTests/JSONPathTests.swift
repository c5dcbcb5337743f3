import Testing
@testable import VigilCore

@Suite("JSONPath")
struct JSONPathTests {
    let record = Array(#"""
    {"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[
      {"fromPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"},{"cidrIp":"10.0.0.0/8"}]}},
      {"fromPort":443,"ipRanges":{"items":[{"cidrIp":"192.0.2.0/24"}]}}]}},
     "resources":[{"ARN":"arn:a"},{"ARN":"arn:b"}], "tags":{"aws:cfn":"x"}, "n": null}
    """#.utf8)

    @Test("reads indexed paths, fans out over arrays, and quotes dotted member names", arguments: [
        ("requestParameters.ipPermissions.items[0].ipRanges.items[0].cidrIp", ["0.0.0.0/0"]),
        ("requestParameters.ipPermissions.items[1].fromPort", ["443"]),
        ("requestParameters.ipPermissions.items.ipRanges.items.cidrIp", ["0.0.0.0/0", "10.0.0.0/8", "192.0.2.0/24"]),
        ("resources.ARN", ["arn:a", "arn:b"]),
        ("tags[\"aws:cfn\"]", ["x"]),
        ("requestParameters.missing", []),
        ("n", []),
        ("eventName", ["AuthorizeSecurityGroupIngress"]),
    ])
    func reads(path: String, expected: [String]) throws {
        let p = try #require(JSONPath(path))
        #expect(p.strings(inRecord: record) == expected)
    }

    @Test("rejects malformed paths", arguments: ["", "a..b", "a[x]", "a[1", ".a"])
    func rejects(path: String) {
        #expect(JSONPath(path) == nil)
    }
}
