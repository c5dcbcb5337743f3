import VigilCore
import VigilIngest
import VigilStore

/// Renders what an ingestion run read.
enum IngestReport {
    static func text(_ r: LoadResult, stats: Bool, listFiles: Bool) -> String {
        let store = r.store
        var out = ""
        let stored = r.files.reduce(0) { $0 + $1.storedBytes }
        let decoded = r.files.reduce(0) { $0 + $1.decodedBytes }
        out += "Read \(NumberFormat.count(r.files.count)) files (\(Console.bytes(stored)) on disk, \(Console.bytes(decoded)) decoded) in \(Console.fixed(r.seconds, 2)) s\n"
        out += "Stored \(NumberFormat.count(store.count)) events"
        if store.duplicatesDropped > 0 { out += " (\(NumberFormat.count(store.duplicatesDropped)) duplicates dropped)" }
        if r.skippedRecords > 0 { out += "; " + NumberFormat.plural(r.skippedRecords, "record") + " skipped" }
        if r.errorCount > 0 { out += "; " + NumberFormat.plural(r.errorCount, "error") }
        out += "\n"
        let ids = store.idsInTimeOrder()
        if let first = ids.first, let last = ids.last {
            out += "Span \(store.time(of: first)) → \(store.time(of: last))\n"
        }
        out += "\n"
        var kinds = TextTable(headers: ["kind", "events"], rightAligned: [1])
        let counts = Dictionary(uniqueKeysWithValues: store.valueCounts(.kind).map { ($0.value, $0.count) })
        for kind in EventKind.allCases where (counts[kind.description] ?? 0) > 0 {
            kinds.rows.append([kind.description, NumberFormat.count(counts[kind.description]!)])
        }
        out += kinds.render() + "\n"
        // Per format always; per file when asked or when a file had problems, so 2,000 S3 objects stay readable.
        var formats = TextTable(headers: ["format", "files", "events", "skipped", "errors"], rightAligned: [1, 2, 3, 4])
        var groups: [String: (files: Int, events: Int, skipped: Int, errors: Int)] = [:]
        var order: [String] = []
        for f in r.files {
            var format = f.format.rawValue
            if let inner = f.innerFormat { format += " → " + inner.rawValue }
            if f.compressed { format += " (gzip)" }
            if groups[format] == nil { order.append(format) }
            let g = groups[format] ?? (0, 0, 0, 0)
            groups[format] = (g.files + 1, g.events + f.events, g.skipped + f.skipped, g.errors + f.errors)
        }
        for format in order {
            let g = groups[format]!
            formats.rows.append([format, NumberFormat.count(g.files), NumberFormat.count(g.events), NumberFormat.count(g.skipped), NumberFormat.count(g.errors)])
        }
        out += formats.render()
        let listed = listFiles ? r.files : r.files.filter { $0.errors > 0 || $0.skipped > 0 || $0.format == .unknown }
        if !listed.isEmpty {
            var files = TextTable(headers: ["file", "format", "events", "skipped", "errors"], rightAligned: [2, 3, 4])
            files.maximumWidth = 100
            for f in listed {
                files.rows.append([TextSanitizer.sanitize(f.path), f.format.rawValue, NumberFormat.count(f.events),
                                   NumberFormat.count(f.skipped), NumberFormat.count(f.errors)])
            }
            out += "\n" + (listFiles ? "" : "Files with problems:\n") + files.render()
        }
        if stats { out += "\n" + statistics(store) }
        return out
    }

    static func statistics(_ store: EventStore) -> String {
        var out = ""
        let fields: [IndexedField] = [.service, .action, .user, .accessKey, .sourceIP, .region, .account, .errorCode, .resource]
        for field in fields {
            let top = store.valueCounts(field).prefix(5)
            guard !top.isEmpty else { continue }
            out += "Top \(field): " + top.map { "\(TextSanitizer.sanitize($0.value)) (\(NumberFormat.count($0.count)))" }.joined(separator: ", ") + "\n"
        }
        let ids = store.idsInTimeOrder()
        if let first = ids.first, let last = ids.last, store.time(of: last) > store.time(of: first) {
            let histogram = store.histogram(ids: ids, buckets: 48)
            out += "\nEvents over time (\(histogram.bucketSeconds) s per bar):\n" + Sparkline.render(histogram.counts) + "\n"
        }
        let memory = store.memoryFootprint
        out += "\nMemory: raw records \(Console.bytes(memory.raw)), indexes and columns \(Console.bytes(memory.index))"
        if store.count > 0 { out += " (\(memory.index / store.rowCount) bytes per event)" }
        let derived = store.derivedLineCount
        if derived > 0 { out += "\n  \(NumberFormat.plural(derived, "flow line")) rebuilt from the columns when read, not kept" }
        out += "\n"
        for part in store.memoryBreakdown where part.name != "raw records" && part.bytes > 0 {
            out += "  \(part.name): \(Console.bytes(part.bytes))"
            if store.rowCount > 0 { out += " (\(Console.fixed(Double(part.bytes) / Double(store.rowCount), 1)) B/event)" }
            out += "\n"
        }
        return out
    }

    static func json(_ r: LoadResult, stats: Bool) -> String {
        let store = r.store
        var kinds: [(String, JSONValue)] = []
        for (value, count) in store.valueCounts(.kind) { kinds.append((value, .number(String(count)))) }
        let files: [JSONValue] = r.files.map { f in
            var members: [(String, JSONValue)] = [
                ("path", .string(f.path)), ("format", .string(f.format.rawValue)),
                ("compressed", .bool(f.compressed)), ("bytes", .number(String(f.storedBytes))),
                ("decodedBytes", .number(String(f.decodedBytes))), ("events", .number(String(f.events))),
                ("skipped", .number(String(f.skipped))), ("ignored", .number(String(f.ignored))),
                ("errors", .number(String(f.errors))), ("warnings", .number(String(f.warnings))),
            ]
            if let inner = f.innerFormat { members.insert(("innerFormat", .string(inner.rawValue)), at: 2) }
            return .object(members)
        }
        let problems: [JSONValue] = r.inputErrors.map { .object([("severity", .string("error")), ("file", .string($0.path)), ("message", .string($0.message))]) }
            + r.diagnostics.map { d in
                var m: [(String, JSONValue)] = [("severity", .string(d.severity.rawValue)), ("file", .string(d.source))]
                if let line = d.line { m.append(("line", .number(String(line)))) }
                if let record = d.record { m.append(("record", .number(String(record)))) }
                m.append(("message", .string(d.message)))
                return .object(m)
            }
        var members: [(String, JSONValue)] = [
            ("events", .number(String(store.count))),
            ("eventsRead", .number(String(r.eventsRead))),
            ("duplicates", .number(String(store.duplicatesDropped))),
            ("skipped", .number(String(r.skippedRecords))),
            ("errors", .number(String(r.errorCount))),
            ("seconds", .number(Console.fixed(r.seconds, 3))),
            ("phases", .object(r.phases.map { ($0.name, .number(Console.fixed($0.seconds, 3))) })),
            ("kinds", .object(kinds)),
            // The process's high-water resident memory so far (Linux; 0 elsewhere): what the load took.
            ("peakResidentBytes", .number(String(Memory.peakBytes()))),
        ]
        let ids = store.idsInTimeOrder()
        if let first = ids.first, let last = ids.last {
            members.append(("first", .string(store.time(of: first).description)))
            members.append(("last", .string(store.time(of: last).description)))
        }
        if stats {
            let memory = store.memoryFootprint
            members.append(("memory", .object([("rawBytes", .number(String(memory.raw))), ("indexBytes", .number(String(memory.index))),
                                               ("derivedLines", .number(String(store.derivedLineCount)))])))
            var top: [(String, JSONValue)] = []
            for field in [IndexedField.service, .action, .user, .accessKey, .sourceIP, .region, .account, .errorCode, .resource] {
                top.append((field.description, .array(store.valueCounts(field).prefix(10).map {
                    .object([("value", .string($0.value)), ("count", .number(String($0.count)))])
                })))
            }
            members.append(("top", .object(top)))
        }
        members.append(("files", .array(files)))
        members.append(("problems", .array(problems)))
        return JSONValue.object(members).serialized
    }
}

/// A one-line bar chart from block characters.
enum Sparkline {
    static func render(_ counts: [Int]) -> String {
        let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        guard let peak = counts.max(), peak > 0 else { return String(repeating: " ", count: counts.count) }
        return String(counts.map { c in c == 0 ? blocks[0] : blocks[max(1, Int((Double(c) / Double(peak) * 8).rounded(.up)))] })
    }
}
