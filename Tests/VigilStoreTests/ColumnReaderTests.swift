import Testing
import VigilCore
@testable import VigilStore

@Suite("ColumnReader")
struct ColumnReaderTests {
    @Test("reads what the store's methods read, for CloudTrail and flow rows alike")
    func agreesWithStore() {
        let call = Event(time: Timestamp(seconds: 20), kind: .cloudTrail, service: "iam.amazonaws.com", action: "CreateUser",
                         outcome: .failure(code: "AccessDenied", message: nil),
                         principal: Principal(arn: "arn:aws:iam::111122223333:user/alice", type: .iamUser, userName: "alice"),
                         accessKeyID: "AKIAEXAMPLE", sourceIP: "203.0.113.7", userAgent: "aws-cli/2", region: "eu-west-1",
                         account: "111122223333", resources: ["arn:aws:iam::111122223333:user/bob"], raw: Array("{}".utf8))
        let flow = Event(time: Timestamp(seconds: 10), kind: .flow, service: "vpc-flow-logs", action: "ACCEPT",
                         sourceIP: "10.0.0.1", resources: ["eni-1"],
                         flow: FlowFields(version: 2, sourceAddress: IPAddress("10.0.0.1"), destinationAddress: IPAddress("10.0.0.2"),
                                          sourcePort: 40_000, destinationPort: 22, bytes: 900, action: .accept),
                         raw: Array("flow".utf8))
        let store = EventStore.build([call, flow])
        let fields = IndexedField.allCases
        store.withColumnReader { reader in
            for id in store.idsInTimeOrder() {
                #expect(reader.kind(of: id) == store.kind(of: id))
                #expect(reader.time(of: id) == store.time(of: id).milliseconds)
                #expect(reader.isSuccess(id) == store.isSuccess(id))
                #expect(reader.firstResourceSymbol(of: id) == store.symbol(.resource, of: id))
                for field in fields { #expect(reader.symbol(field, of: id) == store.symbol(field, of: id), "\(field)") }
            }
            let ids = store.idsInTimeOrder()
            #expect(reader.isFlow(ids[0]) && !reader.isFlow(ids[1]))
            #expect(reader.identityType(of: ids[1]) == .iamUser && reader.identityType(of: ids[0]) == nil)
            #expect(reader.numbers(of: ids[0]).destinationPortValue == 22 && reader.numbers(of: ids[0]).bytesValue == 900)
            #expect(store.symbols[reader.symbol(.errorCode, of: ids[1])] == "AccessDenied" && reader.symbol(.errorCode, of: ids[0]) == 0)
            #expect(reader.symbol(.destinationPort, of: ids[0]) == 23)
            #expect(store.symbols[reader.destinationSymbol(of: ids[0])] == "10.0.0.2")
        }
    }
}
