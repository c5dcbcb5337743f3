import VigilCore

/// Stored events as CSV (formula-defused) and JSON lines: what `vigil query` prints and the console exports.
///
/// Everything that came from a log is sanitised (CSV) or escaped (JSON): an export opened in a terminal or a
/// spreadsheet cannot be driven by the log's author.
public enum EventExport {
    public static let csvHeader = ["time", "kind", "service", "action", "outcome", "errorCode", "user", "principal", "accessKey",
                            "sourceIP", "region", "account", "resources", "userAgent", "recordID"]

    /// A CSV table of the events (one row each, RFC 4180, formula-defused), with a header row unless told not to.
    public static func csv(_ store: EventStore, _ ids: some Sequence<EventStore.EventID>, header: Bool = true) -> String {
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
            out += row.map(csvCell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// An RFC 4180 cell that a spreadsheet will not run as a formula: values starting with `=`, `+`, `-`, `@`,
    /// a tab or a carriage return (or their full-width forms) get a leading `'`; controls are made visible.
    public static func csvCell(_ value: String) -> String {
        var v = TextSanitizer.sanitize(value)
        if let first = v.unicodeScalars.first,
           "=+-@\t\r".unicodeScalars.contains(first) || ["\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"].contains(first) {
            v = "'" + v
        }
        if v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || v.hasPrefix(" ") || v.hasSuffix(" ") {
            v = "\"" + v.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return v
    }

    /// `jsonLine` for each event, newline-terminated.
    public static func jsonLines(_ store: EventStore, _ ids: some Sequence<EventStore.EventID>) -> String {
        var out = ""
        for id in ids { out += jsonLine(store, id) + "\n" }
        return out
    }

    /// The raw record on one line for JSON kinds (re-serialised when it holds anything but plain ASCII, so
    /// control characters stay escaped); a JSON object of parsed fields for text lines.
    public static func jsonLine(_ store: EventStore, _ id: EventStore.EventID) -> String {
        let raw = store.rawBytes(of: id)
        if raw.first == UInt8(ascii: "{") {
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
}
