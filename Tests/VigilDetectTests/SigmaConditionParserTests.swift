import Testing
@testable import VigilDetect

@Suite("Sigma condition parser")
struct SigmaConditionParserTests {
    @Test("precedence: not binds tighter than and, and tighter than or")
    func precedence() throws {
        let (c, agg) = try SigmaConditionParser.parse("a or b and not c")
        #expect(agg == nil)
        #expect(c == .or([.search("a"), .and([.search("b"), .not(.search("c"))])]))
    }

    @Test("parentheses, 1 of, all of, them")
    func quantifiers() throws {
        #expect(try SigmaConditionParser.parse("(a or b) and 1 of filter_*").0 == .and([.or([.search("a"), .search("b")]), .oneOf("filter_*")]))
        #expect(try SigmaConditionParser.parse("all of them").0 == .allOf("*"))
        #expect(try SigmaConditionParser.parse("any of sel*").0 == .oneOf("sel*"))
        #expect(try SigmaConditionParser.parse("selection and not 1 of filter_main_*").0 == .and([.search("selection"), .not(.oneOf("filter_main_*"))]))
    }

    @Test("legacy aggregations are read")
    func legacy() throws {
        #expect(try SigmaConditionParser.parse("sel | count() > 50").1 == .count(field: nil, groupBy: nil, op: ">", value: 50))
        #expect(try SigmaConditionParser.parse("sel | count(eventName) by sourceIPAddress >= 5").1
                == .count(field: "eventName", groupBy: "sourceIPAddress", op: ">=", value: 5))
        #expect(try SigmaConditionParser.parse("s1 | near s2").1 == .near(.search("s2")))
    }

    @Test("errors say what and where", arguments: [
        ("a and", "condition ends too early"),
        ("(a or b", "missing ')'"),
        ("a b", "unexpected 'b'"),
        ("2 of x", "only '1 of' and 'all of'"),
        ("sel | max(x) > 3", "unsupported aggregation 'max'"),
        ("", "empty condition"),
    ])
    func errors(text: String, message: String) {
        #expect(throws: SigmaConditionParser.Failure.self) { try SigmaConditionParser.parse(text) }
        do { _ = try SigmaConditionParser.parse(text) } catch { #expect(error.message.contains(message), "\(error.message)") }
    }
}
