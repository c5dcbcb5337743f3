import VigilCore
import VigilStore

/// The event a rule is being evaluated on, with lazily read fields.
///
/// One context is reused for every event of a scan (``reset(id:raw:)``), so evaluating a rule allocates only
/// when it reads the raw record.
final class EventContext {
    let store: EventStore
    let intel: ThreatIntel?
    private(set) var id: EventStore.EventID = 0
    private(set) var kind: EventKind = .cloudTrail
    private var raw: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The record's top-level object, found when a rule first reads the record (most matches never do).
    private var root: JSONRef? {
        if !rootFound {
            rootFound = true
            foundRoot = raw.first == UInt8(ascii: "{") ? JSONPath.storedRecordRoot(raw) : nil
            scanPosition = foundRoot.map { $0.start + 1 }
        }
        return foundRoot
    }
    private var rootFound = false
    private var foundRoot: JSONRef?
    private var flowCache: FlowFields??
    private var authCache: AuthFields??
    private var foldedText: [UInt8]?
    /// Whether any of the caches above holds something: most events are decided on columns alone, and clearing
    /// three optionals holding strings and arrays on every reset cost more than the columns' tests.
    private var cachesUsed = false
    /// The record's top-level members (key and value) scanned so far. Reads scan only as far as the member they
    /// need and remember what they passed, so `userIdentity` near the start never costs a skip over
    /// `responseElements`, and nothing is skipped twice.
    private var topLevel: [(key: JSONRef, value: JSONRef)] = []
    /// Where the scan of top-level members stopped; nil once the object's end was reached.
    private var scanPosition: Int?

    init(store: EventStore, intel: ThreatIntel?) {
        self.store = store
        self.intel = intel
    }

    /// Points the context at another event; `raw` must stay valid until the next reset.
    func reset(id: EventStore.EventID, raw: UnsafeRawBufferPointer) {
        reset(id: id, kind: store.kind(of: id), raw: raw)
    }

    /// ``reset(id:raw:)`` for a caller that has read the event's kind already.
    @inline(__always)
    func reset(id: EventStore.EventID, kind: EventKind, raw: UnsafeRawBufferPointer) {
        self.id = id
        self.kind = kind
        self.raw = raw
        rootFound = false
        if cachesUsed {
            flowCache = nil
            authCache = nil
            foldedText = nil
            cachesUsed = false
        }
        if !topLevel.isEmpty { topLevel.removeAll(keepingCapacity: true) }
        scanPosition = nil
    }

    /// The JSON values a path reaches, through the top-level members.
    func refs(_ path: FieldPath) -> [JSONRef] {
        guard let root, let first = path.members.first else { return [] }
        for (key, value) in topLevel where FieldPath.keyMatches(raw, key, first) {
            return path.values(in: raw, from: value, step: 1)
        }
        // Not among the members passed so far: read on until it turns up or the object ends.
        while var i = scanPosition {
            JSONScanner.skipWhitespace(raw, &i)
            guard i < root.end, raw[i] == UInt8(ascii: "\""), let key = try? JSONScanner.scanString(raw, &i) else {
                scanPosition = nil
                break
            }
            JSONScanner.skipWhitespace(raw, &i)
            i += 1  // ':'
            guard let value = JSONScanner.skipValue(raw, &i) else {
                scanPosition = nil
                break
            }
            topLevel.append((key, value))
            JSONScanner.skipWhitespace(raw, &i)
            scanPosition = i < root.end && raw[i] == UInt8(ascii: ",") ? i + 1 : nil
            if FieldPath.keyMatches(raw, key, first) { return path.values(in: raw, from: value, step: 1) }
        }
        return []
    }

    /// The record's bytes folded to lower case, for keyword searches.
    var foldedRecordText: [UInt8] {
        if let foldedText { return foldedText }
        let text = foldCase(Array(raw))
        foldedText = text
        cachesUsed = true
        return text
    }

    /// The values of a field: empty when absent, nil entries for JSON null.
    func values(_ accessor: FieldAccessor) -> [String?] {
        switch accessor {
        case .column(let field):
            return store.value(field, of: id).map { [$0] } ?? []
        case .principalARN:
            if let v = store.value(.principal, of: id), v.hasPrefix("arn:") { return [v] }
            return rawValues(Self.arnPath)
        case .identityType:
            if let v = store.value(.principalType, of: id), v != Principal.IdentityType.unknown.rawValue { return [v] }
            return rawValues(Self.identityTypePath)
        case .errorCode:
            return store.value(.errorCode, of: id).map { [$0] } ?? []
        case .attribute(let attribute):
            switch store.attribute(attribute, inSet: store.attributeSet(of: id)) {
            case .unknown: return rawValues(Self.attributePaths[attribute.rawValue])
            case .absent: return []
            case .symbol(let s): return [store.symbols[s]]
            }
        case .raw(let path):
            return rawValues(path)
        case .flow(let field):
            return flowValue(field).map { [$0] } ?? []
        case .auth(let field):
            return authValue(field).map { [$0] } ?? []
        }
    }

    private static let attributePaths = RecordAttribute.allCases.map { FieldPath($0.path) }
    private static let arnPath = FieldPath("userIdentity.arn")
    private static let identityTypePath = FieldPath("userIdentity.type")

    func rawValues(_ path: FieldPath) -> [String?] {
        guard root != nil else { return [] }
        var out: [String?] = []
        for ref in refs(path) {
            switch ref.kind {
            case .null: out.append(nil)
            case .object, .array:
                // A rule on a whole structure (`requestParameters|contains: ...`) sees its JSON text and each
                // value inside, decoded: a policy document held as a JSON string is searchable as written.
                out.append(JSONScanner.text(raw, ref))
                collectLeaves(ref, depth: 0, into: &out)
            default: out.append(JSONScanner.text(raw, ref))
            }
        }
        return out
    }

    private func collectLeaves(_ ref: JSONRef, depth: Int, into out: inout [String?]) {
        guard depth < 16, out.count < 512 else { return }
        var children: [JSONRef] = []
        if ref.kind == .object {
            JSONScanner.forEachMember(raw, ref) { _, value in children.append(value); return true }
        } else {
            JSONScanner.forEachElement(raw, ref) { value in children.append(value); return true }
        }
        for value in children {
            switch value.kind {
            case .object, .array: collectLeaves(value, depth: depth + 1, into: &out)
            case .null: break
            default: out.append(JSONScanner.text(raw, value))
            }
        }
    }

    /// The first value of a field as text, if any.
    func firstValue(_ accessor: FieldAccessor) -> String? {
        for case let v? in values(accessor) { return v }
        return nil
    }

    private var flow: FlowFields? {
        if let flowCache { return flowCache }
        let f = store.flow(of: id)
        flowCache = .some(f)
        cachesUsed = true
        return f
    }

    private var auth: AuthFields? {
        if let authCache { return authCache }
        let a = store.auth(of: id)
        authCache = .some(a)
        cachesUsed = true
        return a
    }

    private func flowValue(_ field: FieldAccessor.FlowField) -> String? {
        guard let f = flow else { return nil }
        switch field {
        case .version: return String(f.version)
        case .accountID: return store.value(.account, of: id)
        case .interfaceID: return f.interfaceID
        case .sourceAddress: return f.sourceAddress?.description
        case .destinationAddress: return f.destinationAddress?.description
        case .sourcePort: return f.sourcePort.map(String.init)
        case .destinationPort: return f.destinationPort.map(String.init)
        case .ipProtocol: return f.ipProtocol.map(String.init)
        case .packets: return f.packets.map(String.init)
        case .bytes: return f.bytes.map(String.init)
        case .start: return f.start.map { String($0.milliseconds / 1000) }
        case .end: return f.end.map { String($0.milliseconds / 1000) }
        case .action:
            switch f.action {
            case .accept: return "ACCEPT"
            case .reject: return "REJECT"
            case .none: return nil
            }
        case .logStatus:
            switch f.status {
            case .ok: return "OK"
            case .noData: return "NODATA"
            case .skipData: return "SKIPDATA"
            }
        case .vpcID: return f.vpcID
        case .subnetID: return f.subnetID
        case .instanceID: return f.instanceID
        case .tcpFlags: return f.tcpFlags.map(String.init)
        case .packetSourceAddress: return f.packetSourceAddress?.description
        case .packetDestinationAddress: return f.packetDestinationAddress?.description
        case .region: return store.value(.region, of: id)
        case .flowDirection:
            switch f.direction {
            case .ingress: return "ingress"
            case .egress: return "egress"
            case .unknown: return nil
            }
        }
    }

    private func authValue(_ field: FieldAccessor.AuthField) -> String? {
        guard let a = auth else { return nil }
        switch field {
        case .host: return a.host
        case .process: return a.process
        case .pid: return a.pid.map(String.init)
        case .port: return a.port.map(String.init)
        case .method: return a.method
        case .user: return store.value(.user, of: id)
        case .sourceAddress: return store.value(.sourceIP, of: id)
        case .action: return store.value(.action, of: id)
        case .invalidUser: return a.invalidUser ? "true" : "false"
        }
    }
}
