import Foundation
import Testing
@testable import VigilIngest
import VigilCore
@testable import VigilStore

/// Flow lines in the version-2 default format written the plain way keep no bytes: the store writes them back
/// from its columns. Every line, plain or not, must read back byte for byte, by every way raw records are read.
@Suite("Flow lines derived from columns")
struct FlowDerivedLineTests {
    static let good = FlowDefaultFormatTests.good

    static func line(_ fields: [String]) -> String { fields.joined(separator: " ") }

    static func with(_ changes: [Int: String]) -> [String] {
        var fields = good
        for (k, v) in changes { fields[k] = v }
        return fields
    }

    /// Lines the store may write back: each reads back as itself.
    static let plain: [String] = [
        line(good),
        line(with([12: "REJECT"])),
        line(with([5: "0", 6: "0", 7: "0", 8: "0", 9: "0"])),
        line(with([0: "255", 7: "255", 5: "65535", 6: "65535"])),
        line(with([8: "4294967295", 9: "999999999999999999"])),    // the largest packets that stay narrow; 18 digits
        line(with([3: "0.0.0.0", 4: "255.255.255.255"])),
        line(with([1: "~!@#$%^&*()_+{}|:<>?", 2: "x"])),             // any printable ASCII id
        line(with([1: "1\u{1B}[2J\u{1B}]0;pwned\u{07}", 2: "eni-\u{0}x"])),  // control bytes are ASCII too: kept as written
        line(with([2: "eni-" + String(repeating: "A", count: 200_000)])),      // too long for a line buffer on the stack
        line(with([10: "0", 11: "0"])),
        line(with([10: "253402300799", 11: "253402300799"])),     // the last second of the year 9999
        line(with([10: "1418530070", 11: "1418530010"])),         // an end before its start
        line(gap("NODATA")), line(gap("SKIPDATA")),
    ]

    /// A NODATA or SKIPDATA record: dashes for all but the version, ids and times.
    static func gap(_ status: String, changes: [Int: String] = [:]) -> [String] {
        var fields = ["2", "123456789010", "eni-1235b8ca123456789", "-", "-", "-", "-", "-", "-", "-", "1418530010", "1418530070",
                      "-", status]
        for (k, v) in changes { fields[k] = v }
        return fields
    }

    /// Lines that must keep their bytes (any spelling the values alone would not give back).
    static let awkward: [String] = [
        line(gap("NODATA", changes: [10: "01418530010"])), gap("NODATA").joined(separator: "  "), line(gap("SKIPDATA")) + " ",
        line(gap("NODATA", changes: [1: "acc\u{e9}nt"])), line(gap("NODATA", changes: [0: "300"])),
        line(with([5: "080"])), line(with([8: "020"])), line(with([10: "01418530010"])), line(with([0: "02"])),
        good.joined(separator: "  "), good.joined(separator: "\t"), " " + line(good), line(good) + " ",
        line(with([0: "256"])),                                   // a version past 255 is kept clamped
        line(with([7: "300"])),                                   // a protocol past 255 is left out
        line(with([8: "4294967296"])),                            // packets past 32 bits make the flow wide
        line(with([3: "2001:db8::1"])),                           // IPv6 makes it wide
        line(with([11: "1428530070"])),                           // an end months after the start: wide
        line(with([1: "acc\u{e9}nt"])), line(with([2: "eni-\u{202e}x"])),    // not ASCII
    ]

    /// A store made the way a bulk load makes it, from one file's text.
    static func load(_ text: String, compressed: Bool = false) throws -> (EventStore, [String]) {
        let folder = NSTemporaryDirectory() + "vigil-derived-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/a.log", atomically: true, encoding: .utf8)
        let result = Ingestor.load(paths: [folder], options: IngestOptions(compressRawRecords: compressed))
        return (result.store, result.diagnostics.map(\.message))
    }

    /// Each event's raw record, read through `withRawBytes`, `rawBytes`, the pointer reader and `event(_:)`.
    static func rawRecords(_ store: EventStore) -> [[String]] {
        (0..<EventStore.EventID(store.rowCount)).map { id in
            var ways = [String(decoding: store.rawBytes(of: id), as: UTF8.self),
                        store.withRawBytes(of: id) { String(decoding: $0, as: UTF8.self) },
                        String(decoding: store.event(id).raw, as: UTF8.self)]
            store.withRawReader { reader in
                if let reader { ways.append(reader.withBytes(of: id) { String(decoding: $0, as: UTF8.self) }) }
            }
            return ways
        }
    }

    @Test("plain lines keep no bytes and read back byte for byte, every way")
    func plainLines() throws {
        let (store, diagnostics) = try Self.load(Self.plain.joined(separator: "\n") + "\n")
        #expect(diagnostics.isEmpty)
        #expect(store.rowCount == Self.plain.count)
        #expect(store.raw.storedBytes == 0, "a plain line's bytes were kept")
        let lines = Set(Self.plain)
        for ways in Self.rawRecords(store) {
            #expect(lines.contains(ways[0]), "\(ways[0])")
            #expect(Set(ways).count == 1, "\(ways)")
        }
    }

    @Test("lines the values would not spell the same way keep their bytes", arguments: awkward.indices)
    func awkwardLines(k: Int) throws {
        let text = Self.awkward[k]
        let (store, _) = try Self.load(text + "\n")
        try #require(store.rowCount == 1, "every awkward line is a valid record")
        let ways = Self.rawRecords(store)[0]
        #expect(ways.allSatisfy { $0 == text }, "\(ways)")
        #expect(store.raw.storedBytes == text.utf8.count)
    }

    @Test("a mix of plain and kept lines over many files reads back as the files have them, compressed or not",
          arguments: [false, true])
    func mixedLoad(compressed: Bool) throws {
        var lines: [String] = []
        for k in 0..<300 {
            let start = 1_418_530_000 + (k * 7919) % 600
            var fields = Self.with([5: String(1000 + k), 10: String(start), 11: String(start + 60)])
            if k % 5 == 0 { fields[9] = "0" + fields[9] }
            lines.append(k % 7 == 0 ? fields.joined(separator: "  ") : Self.line(fields))
        }
        let (store, diagnostics) = try Self.load(lines.joined(separator: "\n") + "\n", compressed: compressed)
        #expect(diagnostics.isEmpty)
        #expect(store.rowCount == lines.count)
        let read = Self.rawRecords(store).map { ways in
            #expect(Set(ways).count == 1, "\(ways)")
            return ways[0]
        }
        #expect(read.sorted() == lines.sorted())
        // The rows are in time order; each still has its own line.
        for id in 0..<EventStore.EventID(store.rowCount) {
            let fields = read[Int(id)].split(whereSeparator: { $0 == " " })
            #expect(Int64(fields[10]) == store.time(of: id).milliseconds / 1000)
        }
    }

    @Test("free text finds words of a derived line, across fields too")
    func freeText() throws {
        let (store, _) = try Self.load(Self.plain.joined(separator: "\n") + "\n")
        #expect(try store.search(Query("\"1418530010 1418530070 REJECT\"")).count == 1)
        let expected = Self.plain.filter { $0.contains("eni-1235b8ca123456789") }.count
        #expect(try store.search(Query("eni-1235b8ca123456789")).count == expected)
        #expect(try store.search(Query("\"20641 22 6\"")).count == Self.plain.filter { $0.contains("20641 22 6") }.count)
    }

    @Test("rows appended live and batches sorted by their reader keep their lines")
    func liveAndSorted() {
        let lines: [String] = (0..<50).map { (k: Int) -> String in
            let start = 1_418_530_100 - k
            let changes: [Int: String] = [10: String(start), 11: String(start + 100), 6: String(k)]
            return Self.line(Self.with(changes))
        }
        var batch = IngestBatch()
        batch.rows = EventRows()
        let text = lines.joined(separator: "\n")
        var reader = FlowLogReader(source: "f")
        var copy = text
        copy.withUTF8 { reader.read(UnsafeRawBufferPointer($0), firstLineNumber: 1, into: &batch) }
        var rows = batch.rows!
        #expect(rows.raw.storedBytes == 0)
        rows.sortByTime()
        let store = EventStore()
        store.append(rows)
        #expect(Self.rawRecords(store).map { $0[0] } == lines.reversed())
    }
}
