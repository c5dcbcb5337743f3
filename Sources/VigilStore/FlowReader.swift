import VigilCore

/// Pointer access to what flow detectors read for every flow record: kind, time, outcome, the address symbols,
/// the interface and the flow's numbers.
///
/// Detectors look at millions of flows; reading each through the store's methods costs reference counting and
/// exclusivity checks that outweigh the work itself. A reader is made once for a run of events
/// (``EventStore/withFlowReader(_:)``) and reads the columns through pointers. Valid only inside that call, and
/// only while nobody writes to the store (many threads may read through one reader).
public struct FlowReader: @unchecked Sendable {
    let kinds: UnsafeBufferPointer<UInt8>
    let times: UnsafeBufferPointer<Int64>
    let flags: UnsafeBufferPointer<UInt8>
    let detailRows: UnsafeBufferPointer<UInt32>
    let rows: UnsafeBufferPointer<FlowRow>
    let sources: SymbolColumn.Reader
    let destinations: SymbolColumn.Reader
    let resourceStarts: UnsafeBufferPointer<UInt32>
    let resourceSymbols: UnsafeBufferPointer<UInt32>

    /// The event's kind.
    @inline(__always)
    public func kind(of id: EventStore.EventID) -> EventKind { EventKind(rawValue: kinds[Int(id)])! }

    /// Whether the event is a flow record.
    @inline(__always)
    public func isFlow(_ id: EventStore.EventID) -> Bool { kinds[Int(id)] == EventKind.flow.rawValue }

    /// The event's time, in milliseconds since 1970.
    @inline(__always)
    public func time(of id: EventStore.EventID) -> Int64 { times[Int(id)] }

    /// Whether the event succeeded (for a flow: it was not rejected).
    @inline(__always)
    public func isSuccess(_ id: EventStore.EventID) -> Bool { flags[Int(id)] & EventStore.Flag.success != 0 }

    /// The symbol of the source address (0 when absent).
    @inline(__always)
    public func sourceSymbol(of id: EventStore.EventID) -> UInt32 { sources[Int(id)] }

    /// The symbol of the destination address (0 when absent).
    @inline(__always)
    public func destinationSymbol(of id: EventStore.EventID) -> UInt32 { destinations[Int(id)] }

    /// The symbol of the event's first resource: for a flow, its interface id (0 when it has none).
    @inline(__always)
    public func firstResourceSymbol(of id: EventStore.EventID) -> UInt32 {
        let start = Int(resourceStarts[Int(id)])
        return start < Int(resourceStarts[Int(id) + 1]) ? resourceSymbols[start] : 0
    }

    /// A flow's numbers, addresses and codes; the event must be a flow (``isFlow(_:)``).
    @inline(__always)
    public func numbers(of id: EventStore.EventID) -> FlowRow { rows[Int(detailRows[Int(id)])] }
}

extension EventStore {
    /// Calls `body` with a ``FlowReader`` over the store as it is now. Only while nobody writes to the store.
    public func withFlowReader<R>(_ body: (FlowReader) throws -> R) rethrows -> R {
        try kind.withUnsafeBufferPointer { kinds in
            try time.withUnsafeBufferPointer { times in
                try flags.withUnsafeBufferPointer { flags in
                    try detailRow.withUnsafeBufferPointer { details in
                        try flows.withUnsafeBufferPointer { rows in
                            try resourceStart.withUnsafeBufferPointer { starts in
                                try resourceSymbols.withUnsafeBufferPointer { resources in
                                    try columns[IndexedField.sourceIP.rawValue].withReader { sources in
                                        try columns[IndexedField.destinationIP.rawValue].withReader { destinations in
                                            try body(FlowReader(kinds: kinds, times: times, flags: flags, detailRows: details,
                                                                rows: rows, sources: sources, destinations: destinations,
                                                                resourceStarts: starts, resourceSymbols: resources))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
