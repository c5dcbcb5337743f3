import VigilCore

/// Pointer access to what detectors read for every event: kind, time, outcome, identity type, the single-valued
/// symbol columns, the first resource and a flow's numbers.
///
/// Detectors look at millions of events; reading each through the store's methods costs reference counting and
/// exclusivity checks that outweigh the work itself. A reader is made once for a run of events
/// (``EventStore/withColumnReader(_:)``) and reads the columns through pointers. Valid only inside that call, and
/// only while nobody writes to the store (many threads may read through one reader).
public struct ColumnReader: @unchecked Sendable {
    // Inlinable into the detection library: a call per read cost as much as the read.
    @usableFromInline unowned(unsafe) let store: EventStore
    @usableFromInline let kinds: UnsafeBufferPointer<UInt8>
    @usableFromInline let times: UnsafeBufferPointer<Int64>
    @usableFromInline let flags: UnsafeBufferPointer<UInt8>
    @usableFromInline let principalTypes: UnsafeBufferPointer<UInt8>
    @usableFromInline let detailRows: UnsafeBufferPointer<UInt32>
    @usableFromInline let flows: FlowTable.Reader
    // The flow columns detectors read one at a time, held apart from `flows` (see ``FlowTable/Reader``).
    @usableFromInline let flowInfo: UnsafeBufferPointer<UInt64>
    @usableFromInline let flowPorts: UnsafeBufferPointer<UInt32>
    @usableFromInline let flowBytes: UnsafeBufferPointer<Int64>
    @usableFromInline let flowDestinations: UnsafeBufferPointer<UInt32>
    @usableFromInline let flowWide: UnsafePointer<[UInt32: FlowRow]>
    /// One per indexed field, by raw value (empty for fields without a column).
    @usableFromInline let columns: UnsafeBufferPointer<SymbolColumn.Reader>
    @usableFromInline let resourceStarts: UnsafeBufferPointer<UInt32>
    @usableFromInline let resourceSymbols: UnsafeBufferPointer<UInt32>
    @usableFromInline let attributeSets: SymbolColumn.Reader
    /// The symbols' texts, for rebuilding flow lines (``withDerivedLine(of:_:)``).
    let symbolTexts: UnsafeBufferPointer<String>

    /// The event's kind.
    @inlinable @inline(__always)
    public func kind(of id: EventStore.EventID) -> EventKind { EventKind(rawValue: kinds[Int(id)])! }

    /// Whether the event is a flow record.
    @inlinable @inline(__always)
    public func isFlow(_ id: EventStore.EventID) -> Bool { kinds[Int(id)] == EventKind.flow.rawValue }

    /// The event's time, in milliseconds since 1970.
    @inlinable @inline(__always)
    public func time(of id: EventStore.EventID) -> Int64 { times[Int(id)] }

    /// Whether the event succeeded (for a flow: it was not rejected).
    @inlinable @inline(__always)
    public func isSuccess(_ id: EventStore.EventID) -> Bool { flags[Int(id)] & EventStore.Flag.success != 0 }

    /// The principal's identity type (nil when the event names none).
    @inlinable @inline(__always)
    public func identityType(of id: EventStore.EventID) -> Principal.IdentityType? {
        EventStore.type(code: principalTypes[Int(id)])
    }

    /// What ``EventStore/symbol(_:of:)`` gives: through a pointer for the fields with a column (`service`,
    /// `action`, `principal`, `user`, `accessKey`, `sourceIP`, `destinationIP`, `userAgent`, `region`, `account`),
    /// the kind and the identity type; from the store for the others. 0 when absent.
    @inlinable @inline(__always)
    public func symbol(_ field: IndexedField, of id: EventStore.EventID) -> UInt32 {
        switch field {
        case .kind: return UInt32(kinds[Int(id)]) + 1
        case .principalType: return UInt32(principalTypes[Int(id)])
        case .errorCode:
            // Only failures have one: most events answer without a dictionary lookup in the store.
            return flags[Int(id)] & EventStore.Flag.success != 0 ? 0 : store.symbol(field, of: id)
        case .sourcePort, .destinationPort, .resource: return store.symbol(field, of: id)
        default: return columns[field.rawValue][Int(id)]
        }
    }

    /// The symbol of the source address (0 when absent).
    @inlinable @inline(__always)
    public func sourceSymbol(of id: EventStore.EventID) -> UInt32 { columns[IndexedField.sourceIP.rawValue][Int(id)] }

    /// The symbol of the destination address (0 when absent).
    @inlinable @inline(__always)
    public func destinationSymbol(of id: EventStore.EventID) -> UInt32 { columns[IndexedField.destinationIP.rawValue][Int(id)] }

    /// The symbol of the event's first resource: for a flow, its interface id (0 when it has none).
    @inlinable @inline(__always)
    public func firstResourceSymbol(of id: EventStore.EventID) -> UInt32 {
        let start = Int(resourceStarts[Int(id)])
        return start < Int(resourceStarts[Int(id) + 1]) ? resourceSymbols[start] : 0
    }

    /// The row's combination of record attributes (what ``EventStore/attributeSet(of:)`` gives).
    @inlinable @inline(__always)
    public func attributeSet(of id: EventStore.EventID) -> UInt32 { attributeSets[Int(id)] }

    /// A flow's numbers, addresses and codes; the event must be a flow (``isFlow(_:)``).
    @inlinable @inline(__always)
    public func numbers(of id: EventStore.EventID) -> FlowRow { flows.row(Int(detailRows[Int(id)])) }

    /// A flow's source and destination ports (nil when absent), read from their column alone; the event must be
    /// a flow.
    @inlinable @inline(__always)
    public func ports(of id: EventStore.EventID) -> (source: Int?, destination: Int?) {
        FlowTable.Reader.ports(Int(detailRows[Int(id)]), info: flowInfo, ports: flowPorts, wide: flowWide)
    }

    /// A flow's byte count (nil when absent); the event must be a flow.
    @inlinable @inline(__always)
    public func bytes(of id: EventStore.EventID) -> Int64? {
        FlowTable.Reader.bytes(Int(detailRows[Int(id)]), info: flowInfo, bytes: flowBytes, wide: flowWide)
    }

    /// A flow's action (accept, reject, or none for NODATA and SKIPDATA records); the event must be a flow.
    @inlinable @inline(__always)
    public func flowAction(of id: EventStore.EventID) -> FlowFields.Action {
        FlowTable.Reader.action(Int(detailRows[Int(id)]), info: flowInfo)
    }

    /// A flow's destination when it is an IPv4 address (nil when absent or IPv6); the event must be a flow.
    @inlinable @inline(__always)
    public func destinationV4(of id: EventStore.EventID) -> UInt32? {
        FlowTable.Reader.destinationV4(Int(detailRows[Int(id)]), info: flowInfo, destination: flowDestinations, wide: flowWide)
    }
}

extension EventStore {
    /// Calls `body` with a ``ColumnReader`` over the store as it is now. Only while nobody writes to the store.
    public func withColumnReader<R>(_ body: (ColumnReader) throws -> R) rethrows -> R {
        try SymbolColumn.withReaders(columns) { readers in
            try readers.withUnsafeBufferPointer { columns in
                try kind.withUnsafeBufferPointer { kinds in
                    try time.withUnsafeBufferPointer { times in
                        try flags.withUnsafeBufferPointer { flags in
                            try principalType.withUnsafeBufferPointer { types in
                                try detailRow.withUnsafeBufferPointer { details in
                                    try flows.withReader { flows in
                                        try resourceStart.withUnsafeBufferPointer { starts in
                                            try resourceSymbols.withUnsafeBufferPointer { resources in
                                                try attributeSets.withReader { attributeSets in
                                                    try symbols.strings.withUnsafeBufferPointer { texts in
                                                        try body(ColumnReader(store: self, kinds: kinds, times: times, flags: flags, principalTypes: types,
                                                                              detailRows: details, flows: flows, flowInfo: flows.info,
                                                                              flowPorts: flows.ports, flowBytes: flows.bytes,
                                                                              flowDestinations: flows.destination, flowWide: flows.wide,
                                                                              columns: columns,
                                                                              resourceStarts: starts, resourceSymbols: resources,
                                                                              attributeSets: attributeSets, symbolTexts: texts))
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
        }
    }
}
