import VigilCore
import VigilStore

/// Turns stored events into table rows, JSON lines and CSV, sanitising everything that came from a log.
enum EventFormatter {
    /// A one-line summary's parts: who did what to what, and how it went.
    struct Summary {
        var time: String
        var kind: String
        var actor: String
        var action: String
        var target: String
        var outcome: String
        var source: String
    }

    static func summary(_ store: EventStore, _ id: EventStore.EventID) -> Summary {
        let kind = store.kind(of: id)
        var actor = store.value(.user, of: id) ?? store.value(.principal, of: id) ?? ""
        var action = store.value(.action, of: id) ?? ""
        var target = store.resources(of: id).first ?? ""
        var source = store.value(.sourceIP, of: id) ?? ""
        switch kind {
        case .flow:
            if let flow = store.flow(of: id) {
                source = flow.sourceAddress.map { "\($0)" + (flow.sourcePort.map { ":\($0)" } ?? "") } ?? source
                target = flow.destinationAddress.map { "\($0)" + (flow.destinationPort.map { ":\($0)" } ?? "") } ?? ""
                actor = store.resources(of: id).first ?? ""
                if let bytes = flow.bytes { action += " \(bytes)B" }
            }
        case .finding:
            if let finding = store.finding(of: id) { action = "[\(finding.severity)] " + finding.type }
        case .dns:
            if let dns = store.dns(of: id) { target = dns.queryName; action = "DNS " + action }
        case .auth, .cloudTrail:
            break
        }
        if actor.isEmpty { actor = "-" }
        let outcome = store.isSuccess(id) ? "ok" : (store.value(.errorCode, of: id) ?? "failed")
        return Summary(time: store.time(of: id).description, kind: kind.description, actor: actor, action: action,
                       target: target, outcome: outcome, source: source)
    }

    static func table(_ store: EventStore, _ ids: [EventStore.EventID], header: Bool = true) -> String {
        var table = TextTable(headers: ["time", "kind", "actor", "action", "target", "outcome", "source"])
        table.showsHeader = header
        table.maximumWidth = 40
        for id in ids {
            let s = summary(store, id)
            table.rows.append([s.time, s.kind, s.actor, s.action, s.target, s.outcome, s.source].map(TextSanitizer.sanitize))
        }
        return ids.isEmpty ? "" : table.render()
    }

    /// The raw record on one line for JSON kinds; a JSON object of parsed fields for text lines.
    static func jsonLine(_ store: EventStore, _ id: EventStore.EventID) -> String {
        let raw = store.rawBytes(of: id)
        if raw.first == UInt8(ascii: "{") {
            // Plain ASCII without control bytes is printed as recorded; anything else is re-serialised, which
            // escapes controls, bidi overrides and invisible characters (a log line must not drive the terminal).
            if raw.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: raw, as: UTF8.self) }
            if let value = try? JSONValue.parse(raw) { return value.serialized }
        }
        let event = store.event(id)
        var members: [(String, JSONValue)] = [
            ("time", .string(event.time.description)), ("kind", .string(event.kind.description)),
            ("service", .string(event.service)), ("action", .string(event.action)),
            ("outcome", .string(event.outcome.isSuccess ? "success" : "failure")),
        ]
        if let code = event.outcome.errorCode { members.append(("errorCode", .string(code))) }
        if let user = event.principal?.userName { members.append(("user", .string(user))) }
        if let ip = event.sourceIP { members.append(("sourceIP", .string(ip))) }
        if let account = event.account { members.append(("account", .string(account))) }
        if let region = event.region { members.append(("region", .string(region))) }
        if let flow = event.flow {
            if let a = flow.destinationAddress { members.append(("destinationIP", .string(a.description))) }
            if let p = flow.sourcePort { members.append(("sourcePort", .number(String(p)))) }
            if let p = flow.destinationPort { members.append(("destinationPort", .number(String(p)))) }
            if let p = flow.ipProtocol { members.append(("protocol", .number(String(p)))) }
            if let b = flow.bytes { members.append(("bytes", .number(String(b)))) }
            if let p = flow.packets { members.append(("packets", .number(String(p)))) }
        }
        if !event.resources.isEmpty { members.append(("resources", .array(event.resources.map { .string($0) }))) }
        members.append(("raw", .string(String(decoding: raw, as: UTF8.self))))
        return JSONValue.object(members).serialized
    }

    static let csvHeader = ["time", "kind", "service", "action", "outcome", "errorCode", "user", "principal", "accessKey",
                            "sourceIP", "region", "account", "resources", "userAgent", "recordID"]

    static func csv(_ store: EventStore, _ ids: [EventStore.EventID], header: Bool = true) -> String {
        var out = header ? csvHeader.joined(separator: ",") + "\r\n" : ""
        for id in ids {
            let row: [String] = [
                store.time(of: id).description, store.kind(of: id).description, store.value(.service, of: id) ?? "",
                store.value(.action, of: id) ?? "", store.isSuccess(id) ? "success" : "failure",
                store.value(.errorCode, of: id) ?? "", store.value(.user, of: id) ?? "",
                store.value(.principal, of: id) ?? "", store.value(.accessKey, of: id) ?? "",
                store.value(.sourceIP, of: id) ?? "", store.value(.region, of: id) ?? "",
                store.value(.account, of: id) ?? "", store.resources(of: id).joined(separator: " "),
                store.value(.userAgent, of: id) ?? "", store.recordID(of: id) ?? "",
            ]
            out += row.map(CSV.cell).joined(separator: ",") + "\r\n"
        }
        return out
    }
}

/// RFC 4180 cells with formula injection defused.
enum CSV {
    /// Quotes when needed, and prefixes `'` to values a spreadsheet would evaluate (`=`, `+`, `-`, `@`, tab, CR).
    /// Control characters are made visible so a cell cannot smuggle terminal escapes either.
    static func cell(_ value: String) -> String {
        var v = TextSanitizer.sanitize(value)
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) || first == "\u{FF1D}" || first == "\u{FF0B}" || first == "\u{FF0D}" || first == "\u{FF20}" {
            v = "'" + v
        }
        if v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || v.hasPrefix(" ") || v.hasSuffix(" ") {
            v = "\"" + v.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return v
    }
}
