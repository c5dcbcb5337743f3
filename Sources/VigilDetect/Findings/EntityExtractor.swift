import VigilCore
import VigilStore

/// Reads the entities an event names: its principal, access key, source address, account and resources.
enum EntityExtractor {
    static func entities(of id: EventStore.EventID, in store: EventStore) -> [Entity] {
        var out: [Entity] = []
        let kind = store.kind(of: id)
        if let p = store.value(.principal, of: id), !p.isEmpty {
            out.append(Entity(kind == .auth ? .user : .principal, kind == .auth ? (store.value(.user, of: id) ?? p) : p))
        } else if kind == .auth, let u = store.value(.user, of: id) {
            out.append(Entity(.user, u))
        }
        if let k = store.value(.accessKey, of: id), !k.isEmpty { out.append(Entity(.accessKey, k)) }
        if let ip = store.value(.sourceIP, of: id), IPAddress(ip) != nil { out.append(Entity(.sourceIP, ip)) }
        if kind == .flow, let flow = store.flow(of: id) {
            if let s = flow.sourceAddress { out.append(Entity(.sourceIP, s.description)) }
            if let d = flow.destinationAddress { out.append(Entity(.sourceIP, d.description)) }
            if let i = flow.instanceID { out.append(Entity(.instance, i)) }
        }
        if kind == .dns, let dns = store.dns(of: id) {
            out.append(Entity(.domain, dns.queryName))
            if let i = dns.instanceID { out.append(Entity(.instance, i)) }
        }
        if kind == .auth, let auth = store.auth(of: id) { out.append(Entity(.host, auth.host)) }
        if let a = store.value(.account, of: id), !a.isEmpty { out.append(Entity(.account, a)) }
        for r in store.resources(of: id).prefix(16) { out.append(Entity.classify(resource: r)) }
        var seen = Set<Entity>()
        return out.filter { seen.insert($0).inserted }
    }

    /// Notes the symbols ``entities(of:in:)`` reads for `id` in `met`; false when all of them were there
    /// already, so the event can name no entity that events noted before did not (flow, DNS and sshd events,
    /// whose details are not symbols, always answer true). A finding's evidence mostly repeats one principal,
    /// address, account and set of resources, and this spares spelling them out event after event.
    static func addsSymbols(_ id: EventStore.EventID, in store: EventStore, to met: inout Set<UInt64>) -> Bool {
        let kind = store.kind(of: id)
        guard kind == .cloudTrail || kind == .finding else { return true }
        let tag = UInt64(kind.rawValue) << 56
        func note(_ field: IndexedField, _ symbol: UInt32) -> Bool {
            symbol != 0 && met.insert(tag | UInt64(field.rawValue) << 32 | UInt64(symbol)).inserted
        }
        var added = false
        for field in [IndexedField.principal, .accessKey, .sourceIP, .account] where note(field, store.symbol(field, of: id)) {
            added = true
        }
        for r in store.resourceSymbols(of: id).prefix(16) where note(.resource, r) { added = true }
        return added
    }

    /// The default folding entity of an event: who or what acted.
    static func primary(of id: EventStore.EventID, in store: EventStore) -> Entity? {
        switch store.kind(of: id) {
        case .cloudTrail, .finding:
            if let p = store.value(.principal, of: id), !p.isEmpty { return Entity(.principal, p) }
            if let k = store.value(.accessKey, of: id) { return Entity(.accessKey, k) }
            if let ip = store.value(.sourceIP, of: id) { return Entity(.sourceIP, ip) }
            return store.resources(of: id).first.map(Entity.classify(resource:))
        case .flow:
            return store.flow(of: id)?.sourceAddress.map { Entity(.sourceIP, $0.description) }
        case .dns:
            if let ip = store.value(.sourceIP, of: id) { return Entity(.sourceIP, ip) }
            return store.dns(of: id)?.instanceID.map { Entity(.instance, $0) }
        case .auth:
            return store.value(.sourceIP, of: id).map { Entity(.sourceIP, $0) }
        }
    }
}
