import VigilCore
import VigilIngest
import VigilStore

/// Renders what an ingestion run read.
enum IngestReport {
    static func text(_ r: LoadResult, stats: Bool) -> String {
        let store = r.store
        var out = ""
        let stored = r.files.reduce(0) { $0 + $1.storedBytes }
        let decoded = r.files.reduce(0) { $0 + $1.decodedBytes }
        out += "Read \(Console.count(r.files.count)) files (\(Console.bytes(stored)) on disk, \(Console.bytes(decoded)) decoded) in \(Console.fixed(r.seconds, 2)) s\n"
        out += "Stored \(Console.count(store.count)) events"
        if store.duplicatesDropped > 0 { out += " (\(Console.count(store.duplicatesDropped)) duplicates dropped)" }
        if r.skippedRecords > 0 { out += "; \(Console.count(r.skippedRecords)) records skipped" }
        if r.errorCount > 0 { out += "; \(Console.count(r.errorCount)) errors" }
        out += "\n"
        let ids = store.idsInTimeOrder()
        if let first = ids.first, let last = ids.last {
            out += "Span \(store.time(of: first)) → \(store.time(of: last))\n"
        }
        out += "\n"
        var kinds = TextTable(headers: ["kind", "events"], rightAligned: [1])
        let counts = Dictionary(uniqueKeysWithValues: store.valueCounts(.kind).map { ($0.value, $0.count) })
        for kind in EventKind.allCases where (counts[kind.description] ?? 0) > 0 {
            kinds.rows.append([kind.description, Console.count(counts[kind.description]!)])
        }
        out += kinds.render() + "\n"
        var files = TextTable(headers: ["file", "format", "events", "skipped", "errors"], rightAligned: [2, 3, 4])
        files.maximumWidth = 90
        for f in r.files {
            var format = f.format.rawValue
            if let inner = f.innerFormat { format += " → " + inner.rawValue }
            if f.compressed { format += " (gzip)" }
            files.rows.append([TextSanitizer.sanitize(f.path), format, Console.count(f.events), Console.count(f.skipped), Console.count(f.errors)])
        }
        out += files.render()
        if stats { out += "\n" + statistics(store) }
        return out
    }

    static func statistics(_ store: EventStore) -> String {
        var out = ""
        let fields: [IndexedField] = [.service, .action, .user, .accessKey, .sourceIP, .region, .account, .errorCode, .resource]
        for field in fields {
            let top = store.valueCounts(field).prefix(5)
            guard !top.isEmpty else { continue }
            out += "Top \(field): " + top.map { "\(TextSanitizer.sanitize($0.value)) (\(Console.count($0.count)))" }.joined(separator: ", ") + "\n"
        }
        let ids = store.idsInTimeOrder()
        if let first = ids.first, let last = ids.last, store.time(of: last) > store.time(of: first) {
            let histogram = store.histogram(ids: ids, buckets: 48)
            out += "\nEvents over time (\(histogram.bucketSeconds) s per bar):\n" + Sparkline.render(histogram.counts) + "\n"
        }
        let memory = store.memoryFootprint
        out += "\nMemory: raw records \(Console.bytes(memory.raw)), indexes and columns \(Console.bytes(memory.index))"
        if store.count > 0 { out += " (\(memory.index / store.rowCount) bytes per event)" }
        out += "\n"
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
            ("kinds", .object(kinds)),
        ]
        let ids = store.idsInTimeOrder()
        if let first = ids.first, let last = ids.last {
            members.append(("first", .string(store.time(of: first).description)))
            members.append(("last", .string(store.time(of: last).description)))
        }
        if stats {
            let memory = store.memoryFootprint
            members.append(("memory", .object([("rawBytes", .number(String(memory.raw))), ("indexBytes", .number(String(memory.index)))])))
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
