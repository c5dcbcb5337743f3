import Testing
import VigilCore
import VigilStore
@testable import VigilDetect

/// The dispatcher leaves out rules that cannot match an event's kind, service, action, identity type and
/// outcome; the per-symbol memo remembers only what a symbol decides. Both must never change a result.
@Suite("Dispatch facts and the match memo")
struct DispatchFactsTests {
    static let rootRule = """
    title: Root acted
    id: t-root
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {userIdentity.type: Root}
        condition: selection
    """
    static let deniedRule = """
    title: Denied
    id: t-denied
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {errorCode: AccessDenied}
        condition: selection
    """
    static let noErrorRule = """
    title: Listed without error
    id: t-no-error
    logsource: {product: aws, service: cloudtrail}
    detection:
        selection: {eventName: ListUsers, errorCode: null}
        condition: selection
    """

    static func facts(type: String?, failed: Bool, action: String = "ListUsers") -> DispatchFacts {
        DispatchFacts(service: "iam.amazonaws.com", action: action, identityType: type, failed: failed)
    }

    @Test("the identity type and the outcome decide rules that read them, and only those")
    func mayMatch() throws {
        let root = try #require(DetectFixtures.rules(Self.rootRule).compiled.first)
        #expect(root.readsIdentityOrOutcome)
        #expect(!root.mayMatch(Self.facts(type: "IAMUser", failed: false)))
        #expect(root.mayMatch(Self.facts(type: "Root", failed: false)))
        // Unknown to the columns (read from the record): the rule must run.
        #expect(root.mayMatch(Self.facts(type: nil, failed: false)))

        let denied = try #require(DetectFixtures.rules(Self.deniedRule).compiled.first)
        #expect(!denied.mayMatch(Self.facts(type: "IAMUser", failed: false)))
        #expect(denied.mayMatch(Self.facts(type: "IAMUser", failed: true)))

        // `errorCode: null` holds for every success: the facts decide it the other way round.
        let noError = try #require(DetectFixtures.rules(Self.noErrorRule).compiled.first)
        #expect(noError.mayMatch(Self.facts(type: "IAMUser", failed: false)))
        #expect(!noError.mayMatch(Self.facts(type: "IAMUser", failed: false, action: "GetUser")))

        let byName = try #require(DetectFixtures.rules(DetectionEngineTests.createKey).compiled.first)
        #expect(!byName.readsIdentityOrOutcome)
    }

    static func record(_ name: String, minute: Int, identity: String, extra: String = "") -> String {
        """
        {"eventVersion":"1.08","eventTime":"2026-03-02T10:\(minute < 10 ? "0" : "")\(minute):00Z","eventSource":"iam.amazonaws.com",\
        "eventName":"\(name)","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.10","userAgent":"aws-cli/2.15.0",\
        "userIdentity":\(identity),"eventID":"id-\(minute)-\(name)"\(extra.isEmpty ? "" : "," + extra)}
        """
    }

    static let rootIdentity = #"{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}"#
    static let userIdentity = #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"}"#
    static let denied = #""errorCode":"AccessDenied","errorMessage":"no""#

    /// Findings (rule id → count) of `yaml` over `lines`, on one core and on all (small chunks), which must agree.
    static func counts(_ yaml: String, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) -> [String: Int] {
        let store = DetectFixtures.store(lines)
        let set = DetectFixtures.rules(yaml)
        var results: [[String: Int]] = []
        for threshold in [Int.max, 1] {
            let engine = DetectionEngine(store: store, rules: set, guardDutyFindings: false)
            engine.parallelThreshold = threshold
            engine.chunkSize = 2
            engine.processAll()
            results.append(Dictionary(engine.findings.map { ($0.ruleID, $0.count) }, uniquingKeysWith: +))
        }
        #expect(results[0] == results[1], "serial and parallel runs differ", sourceLocation: sourceLocation)
        return results[0]
    }

    @Test("rules on who acted and on failures still match the events they are about, interleaved with others")
    func engineDispatch() {
        let yaml = [Self.rootRule, Self.deniedRule, Self.noErrorRule].joined(separator: "\n---\n")
        var lines: [String] = []
        for minute in 0..<12 {
            switch minute % 4 {
            case 0: lines.append(Self.record("ListUsers", minute: minute, identity: Self.rootIdentity))
            case 1: lines.append(Self.record("ListUsers", minute: minute, identity: Self.userIdentity, extra: Self.denied))
            case 2: lines.append(Self.record("ListUsers", minute: minute, identity: Self.userIdentity))
            default: lines.append(Self.record("GetUser", minute: minute, identity: Self.rootIdentity, extra: Self.denied))
            }
        }
        let counts = Self.counts(yaml, lines)
        #expect(counts["t-root"] == 6)      // minutes 0, 3, 4, 7, 8, 11
        #expect(counts["t-denied"] == 6)    // minutes 1, 3, 5, 7, 9, 11
        #expect(counts["t-no-error"] == 6)  // ListUsers without an error: minutes 0, 2, 4, 6, 8, 10
    }

    @Test("a principal column without an ARN is not remembered per symbol: the record decides every time")
    func principalWithoutARN() {
        // Both records put `AIDAWEIRD` in the principal column: one as its (odd) ARN, one as the principal id of
        // a record without an ARN. Remembering the first answer for the symbol would get the other wrong.
        let withARN = #"{"type":"IAMUser","arn":"AIDAWEIRD","principalId":"AIDAWEIRD","accountId":"111122223333"}"#
        let withoutARN = #"{"type":"IAMUser","principalId":"AIDAWEIRD","accountId":"111122223333"}"#
        let rule = """
        title: Has an ARN
        id: t-arn
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection: {userIdentity.arn|contains: WEIRD}
            condition: selection
        """
        let lines = (0..<8).map { Self.record("ListUsers", minute: $0, identity: $0 % 2 == 0 ? withARN : withoutARN) }
        #expect(Self.counts(rule, lines)["t-arn"] == 4)
    }

    @Test("a keyword rule reads each event's own text, not the previous event's")
    func keywordAfterReset() {
        let rule = """
        title: Needle
        id: t-needle
        logsource: {product: aws, service: cloudtrail}
        detection:
            keywords: [needle-in-text]
            condition: keywords
        """
        let lines = (0..<9).map { minute in
            Self.record("ListUsers", minute: minute, identity: Self.userIdentity,
                        extra: minute % 3 == 1 ? #""requestParameters":{"note":"needle-in-text"}"# : "")
        }
        #expect(Self.counts(rule, lines)["t-needle"] == 3)
    }
}
