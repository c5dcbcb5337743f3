import Testing
import VigilCore
import VigilIngest
import VigilStore
@testable import VigilDetect

/// Rules on record attributes (`eventCategory`, `managementEvent`, the session issuer's type…) are decided from the
/// combination a bulk load captures per row; events appended one by one have none and read the record. Both must
/// give the same matches, whatever shape the member has.
@Suite("Record attributes")
struct RecordAttributeTests {
    static let records: [String] = [
        DetectFixtures.cloudTrail("ListBuckets", source: "s3.amazonaws.com",
                                  extra: #""eventCategory":"Management","managementEvent":true,"readOnly":true,"eventType":"AwsApiCall""#, id: "a1"),
        DetectFixtures.cloudTrail("GetObject", source: "s3.amazonaws.com",
                                  extra: #""eventCategory":"Data","managementEvent":false,"readOnly":true"#, id: "a2"),
        // Case variants, null, an empty string, an array: the record decides.
        DetectFixtures.cloudTrail("GetObject", source: "s3.amazonaws.com",
                                  extra: #""EventCategory":"Data","managementEvent":null,"readOnly":"""#, id: "a3"),
        DetectFixtures.cloudTrail("PutObject", source: "s3.amazonaws.com",
                                  extra: #""eventCategory":["Data","Management"],"sessionCredentialFromConsole":"true""#, id: "a4"),
        // Nested: the session issuer, invokedBy, MFA; and a record whose userIdentity is not an object.
        #"{"eventTime":"2026-03-02T10:00:01Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/r"},"attributes":{"mfaAuthenticated":"true"}}},"eventID":"a5"}"#,
        #"{"eventTime":"2026-03-02T10:00:02Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com","SessionContext":{"sessionIssuer":{"TYPE":"Role"}}},"eventID":"a6"}"#,
        #"{"eventTime":"2026-03-02T10:00:03Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","userIdentity":{"type":"AssumedRole","sessionContext":[{"sessionIssuer":{"type":"Role"}}]},"eventID":"a7"}"#,
        #"{"eventTime":"2026-03-02T10:00:04Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","userIdentity":"odd","eventID":"a8"}"#,
        #"{"eventTime":"2026-03-02T10:00:05Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventID":"a9"}"#,
        // An escaped name before sessionContext: the capture cannot tell, so the rule reads the record.
        #"{"eventTime":"2026-03-02T10:00:06Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","userIdentity":{"\u0074ype":"AssumedRole","sessionContext":{"sessionIssuer":{"type":"Role"},"attributes":{"mfaAuthenticated":"true"}}},"eventID":"a10"}"#,
    ]

    static let rules = """
    title: data events
    id: 00000000-0000-4000-8000-0000000000a1
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {eventCategory: Data}
        condition: selection
    level: low
    ---
    title: not management
    id: 00000000-0000-4000-8000-0000000000a2
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {managementEvent: false}
        condition: selection
    level: low
    ---
    title: management unknown or null
    id: 00000000-0000-4000-8000-0000000000a3
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {managementEvent: null}
        condition: selection
    level: low
    ---
    title: console sessions and empty read-only flags
    id: 00000000-0000-4000-8000-0000000000a4
    logsource: {product: aws, service: cloudtrail}
    detection:
        console: {sessionCredentialFromConsole: 'true'}
        empty: {readOnly: ''}
        condition: console or empty
    level: low
    ---
    title: role sessions
    id: 00000000-0000-4000-8000-0000000000a5
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {userIdentity.sessionContext.sessionIssuer.type: Role}
        condition: selection
    level: low
    ---
    title: invoked by a service, or MFA
    id: 00000000-0000-4000-8000-0000000000a6
    logsource: {product: aws, service: cloudtrail}
    detection:
        service: {userIdentity.invokedBy|exists: true}
        mfa: {userIdentity.sessionContext.attributes.mfaAuthenticated: 'true'}
        condition: service or mfa
    level: low
    ---
    title: no event type
    id: 00000000-0000-4000-8000-0000000000a7
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {eventType|exists: false}
        condition: selection
    level: low
    """

    /// (rule id, event id) of every match.
    static func matches(asEvents: Bool) -> [String] {
        let store = DetectFixtures.store(records, asEvents: asEvents)
        let set = DetectFixtures.rules(rules)
        let engine = DetectionEngine(store: store, rules: set, guardDutyFindings: false)
        engine.processAll()
        return engine.findings.flatMap { f in f.evidence.map { "\(f.ruleID) \(store.recordID(of: $0) ?? "?")" } }.sorted()
    }

    @Test("bulk-loaded rows capture the attributes; rules match exactly as on the records themselves")
    func sameMatches() throws {
        let bulk = Self.matches(asEvents: false)
        let events = Self.matches(asEvents: true)
        #expect(bulk == events)
        // The record decides the odd shapes: spot-check what the rules should see.
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a1 a2"))
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a1 a3"))  // `EventCategory` matches without case
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a1 a4"))  // an array holding "Data"
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a5 a6"))  // `SessionContext` / `TYPE`
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a5 a7"))  // through an array
        #expect(!bulk.contains("00000000-0000-4000-8000-0000000000a5 a8"))
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a3 a3"))
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a7 a9"))
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a5 a10"))  // escaped name first: read the record
        #expect(bulk.contains("00000000-0000-4000-8000-0000000000a6 a10"))
    }

    @Test("the captured combination says what the record holds")
    func captured() throws {
        let store = DetectFixtures.store(Self.records)
        func row(_ id: String) throws -> EventStore.EventID {
            try #require(store.idsInTimeOrder().first { store.recordID(of: $0) == id })
        }
        let a2 = store.attributeSet(of: try row("a2"))
        #expect(store.attribute(.eventCategory, inSet: a2) == .symbol(store.symbols.lookup("Data")!))
        #expect(store.attribute(.managementEvent, inSet: a2) == .symbol(store.symbols.lookup("false")!))
        #expect(store.attribute(.sessionCredentialFromConsole, inSet: a2) == .absent)
        let a3 = store.attributeSet(of: try row("a3"))
        #expect(store.attribute(.managementEvent, inSet: a3) == .unknown)  // null
        #expect(store.attribute(.readOnly, inSet: a3) == .unknown)         // empty string
        let a5 = store.attributeSet(of: try row("a5"))
        #expect(store.attribute(.sessionIssuerType, inSet: a5) == .symbol(store.symbols.lookup("Role")!))
        #expect(store.attribute(.invokedBy, inSet: a5) == .absent)
        let a9 = store.attributeSet(of: try row("a9"))
        #expect(store.attribute(.mfaAuthenticated, inSet: a9) == .absent)
        let appended = DetectFixtures.store(Self.records, asEvents: true)
        #expect(appended.idsInTimeOrder().allSatisfy { appended.attributeSet(of: $0) == 0 })
    }
}
