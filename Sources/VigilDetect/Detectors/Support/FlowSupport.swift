import VigilCore
import VigilStore

/// Finds the instance behind a flow record without building strings per record.
///
/// The store keeps a flow's interface, instance, VPC and subnet ids as its resources, interface first. The
/// interface's symbol is read per record (an array index); the instance it belongs to is looked up once per
/// interface and remembered. Formats without an `instance-id` column (the version-2 default) give no instance.
/// Bounded: at most `capacity` interfaces are remembered; the cache is emptied when full (it only saves work).
struct FlowInstanceResolver {
    private var instanceByResource: [UInt32: String?] = [:]
    let capacity: Int

    init(capacity: Int = 65_536) { self.capacity = capacity }

    /// The flow's instance id, if its record names one.
    mutating func instanceID(of id: EventStore.EventID, in store: EventStore) -> String? {
        let first = store.symbol(.resource, of: id)
        guard first != 0 else { return nil }
        if let known = instanceByResource[first] { return known }
        let found = store.resources(of: id).first(where: FlowEntities.isInstanceID)
        if instanceByResource.count >= capacity { instanceByResource.removeAll(keepingCapacity: true) }
        instanceByResource[first] = .some(found)
        return found
    }
}

/// Small facts about flow records the network detectors share.
enum FlowEntities {
    /// Whether a flow record is most likely the reply half of a connection (server port → client port).
    ///
    /// Flow logs record each direction separately and carry no "initiator" bit (TCP flags are OR-ed over the
    /// aggregation window, so SYN appears on both sides). Clients use ephemeral ports (≥ 1024, usually ≥ 32768) and
    /// servers listen on lower ones, so a record going from the lower port to a higher unprivileged one is taken as
    /// a reply. A scan of high ports from a lower source port is missed by this; that trade is what keeps busy
    /// servers answering many clients from looking like scanners.
    @inline(__always)
    static func isLikelyReply(sourcePort: Int, destinationPort: Int) -> Bool {
        sourcePort < destinationPort && destinationPort >= 1024
    }

    /// `i-` followed by 8 or 17 hexadecimal digits.
    static func isInstanceID(_ text: String) -> Bool {
        let u = text.utf8
        guard u.count == 10 || u.count == 19, u.starts(with: "i-".utf8) else { return false }
        return u.dropFirst(2).allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// The entity to fold a local endpoint's findings on: its instance when known, else its address.
    static func local(instance: String?, address: IPAddress) -> Entity {
        if let instance { return Entity(.instance, instance) }
        return Entity(.sourceIP, address.description)
    }

    /// `i-0abc (10.0.0.5)` or `10.0.0.5`.
    static func describe(instance: String?, address: IPAddress) -> String {
        if let instance { return "\(instance) (\(address))" }
        return address.description
    }
}

/// Wording helpers for summaries (no Foundation: these run only when a detector reports).
enum DetectorText {
    /// `512 B`, `3.4 KB`, `1.2 GB` (decimal units, as AWS bills them).
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var value = n
        var unit = 0
        var remainder: Int64 = 0
        while value >= 1000 && unit < units.count - 1 {
            remainder = value % 1000
            value /= 1000
            unit += 1
        }
        if unit == 0 || value >= 100 { return "\(value) \(units[unit])" }
        return "\(value).\(remainder / 100) \(units[unit])"
    }

    /// `90 s`, `10 min`, `24 h`, `7 d`.
    static func duration(milliseconds ms: Int64) -> String {
        let s = ms / 1000
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86_400) d"
    }

    /// `HH:MM:SS` of a time (UTC), for summaries that already name the day elsewhere.
    static func clock(_ ms: Int64) -> String {
        let text = Timestamp(milliseconds: ms).iso8601()
        guard let t = text.firstIndex(of: "T") else { return text }
        return String(text[text.index(after: t)...].prefix(8))
    }
}

/// Durations in milliseconds of event time, the unit detectors keep times in.
enum Millis {
    static let second: Int64 = 1000
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
}
