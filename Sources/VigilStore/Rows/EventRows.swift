import VigilCore

/// A batch of events built straight from log bytes, column by column, for the store's fast load path.
///
/// Readers of the high-volume formats (CloudTrail, VPC flow logs) fill it without making an ``Event`` (nor any
/// `String`) per record: values are interned as bytes into a ``ByteInterner`` (which the batches one worker
/// builds share) and raw records are copied into large pages. ``EventStore/absorb(_:order:map:)`` (bulk loads)
/// or ``EventStore/append(_:)`` (live, indexes kept current) then merges the batch, turning each distinct value
/// into a store symbol once. The result is the same store as appending the equivalent events.
///
/// Build a row with ``beginRow(time:kind:)``, the setters, and ``endRow(raw:)``.
public struct EventRows: Sendable {
    /// Cells a row: one per single-valued indexed field with a column (`service` … `account`, their raw values).
    static let stride = 10

    /// The values of the rows' cells; possibly shared with other batches (see ``ByteInterner``).
    public let symbols: ByteInterner
    var time: [Int64] = []
    var kind: [UInt8] = []
    var flags: [UInt8] = []
    var principalType: [UInt8] = []
    /// `stride` symbols per row, indexed by the field's raw value.
    var cells: [UInt32] = []
    /// Rows that failed, with their error code symbol.
    var errorCodes: [(row: UInt32, symbol: UInt32)] = []
    var resourceStart: [UInt32] = [0]
    var resourceSymbols: [UInt32] = []
    /// Per row, the record-id fingerprint (0: no id); empty while no row has an id (flow logs have none), and
    /// read through ``fingerprint(_:)``.
    var fingerprints: [UInt64] = []
    /// The flow rows' numbers in their narrow form, in row order (one per `.flow` row); the wide ones are kept
    /// whole in `wideFlows`, by flow index.
    var flows: [FlowTable.Narrow] = []
    var wideFlows: [UInt32: FlowRow] = [:]
    var packetAddresses: [(flow: UInt32, source: IPAddress?, destination: IPAddress?)] = []
    /// The raw records, row by row.
    var raw: RawArena
    /// Per row, its combination of record attributes (a symbol of `attributeSets`; 0: none captured); empty
    /// while no row has captured any, and read through ``attributeSet(_:)``.
    var attributeSet: [UInt32] = []
    /// Combinations of attribute cells, interned as bytes (a cell per attribute: 0, absent, or a batch symbol).
    var attributeSets = ByteInterner()
    /// The row's attribute cells while it is built (a cell per ``RecordAttribute``, by raw value).
    private var attributeScratch = InlineArray<8, UInt32>(repeating: 0)
    private var attributesTouched = false
    /// The symbol each cell field and each attribute was last set to. Logs repeat a field's value from record
    /// to record (a file's region and account, a principal's agent, the same event type): a value that is the
    /// last one again is found by one comparison, without hashing and probing the interner.
    private var lastCells = InlineArray<10, UInt32>(repeating: 0)
    private var lastAttributes = InlineArray<8, UInt32>(repeating: 0)
    /// Whether rows were added in time order.
    var isTimeOrdered = true
    /// While set, ``endRow(rawInPlace:)`` keeps a reference to the record's bytes instead of copying them; the
    /// caller must call ``settleDeferredRaw(sortingByTime:)`` while those bytes are still valid.
    public var defersRawRecords = false
    /// The raw records not copied yet (address and length), one per row from `deferredFrom` on. Addresses as
    /// integers: a batch is handed between threads, but only once these are settled.
    private var deferred: [(start: UInt, count: Int)] = []
    private var deferredFrom = -1
    private(set) var deferredBytes = 0
    /// The cell fields (bit per raw value) any row has a value in: merges skip the columns no row uses.
    var usedFields: UInt32 = 0
    /// Whether the row being built is a flow whose line the store will derive (see ``setFlow(_:packetSource:packetDestination:lineIsDerivable:)``).
    private var rawIsDerived = false

    /// - Parameter compressRawRecords: keep raw records compressed, as a store made with the same option does.
    /// - Parameter symbols: the interner to use, shared with other batches built by the same thread.
    public init(compressRawRecords: Bool = false, symbols: ByteInterner = ByteInterner()) {
        raw = RawArena(compressed: compressRawRecords)
        self.symbols = symbols
        precondition(Self.stride == lastCells.count && RecordAttribute.allCases.count == attributeScratch.count,
                     "a row's inline cells must match the cell fields and the record attributes")
    }

    /// Flow `k` of the batch (the k-th `.flow` row), whole.
    func flow(_ k: Int) -> FlowRow { flows[k].isWide ? wideFlows[UInt32(k)] ?? FlowRow() : FlowRow(narrow: flows[k]) }

    /// Row `r`'s record-id fingerprint (0: none).
    @inline(__always)
    func fingerprint(_ r: Int) -> UInt64 { r < fingerprints.count ? fingerprints[r] : 0 }

    /// Row `r`'s combination of record attributes (0: none captured).
    @inline(__always)
    func attributeSet(_ r: Int) -> UInt32 { r < attributeSet.count ? attributeSet[r] : 0 }

    /// Records the finished row's attribute combination; rows are only stored from the first that has one.
    @inline(__always)
    private mutating func appendAttributeSet() {
        let set = attributesTouched ? withUnsafeBytes(of: attributeScratch) { attributeSets.intern($0) } : 0
        if attributeSet.isEmpty {
            guard set != 0 else { return }
            attributeSet.reserveCapacity(kind.capacity)
            attributeSet.append(contentsOf: repeatElement(0, count: count - 1))
        }
        attributeSet.append(set)
    }

    /// Rows in the batch.
    public var count: Int { time.count }
    public var isEmpty: Bool { time.isEmpty }

    /// Reserves room for about `rows` more rows.
    public mutating func reserveCapacity(rows: Int) {
        deferred.reserveCapacity(rows)
        time.reserveCapacity(count + rows)
        kind.reserveCapacity(count + rows)
        flags.reserveCapacity(count + rows)
        principalType.reserveCapacity(count + rows)
        cells.reserveCapacity(cells.count + rows * Self.stride)
        resourceStart.reserveCapacity(count + rows + 1)
        raw.reserveCapacity(count + rows)
    }

    /// Reserves room for a file of line records that are copied as they are read: `bytes` (the file's size, an
    /// upper bound of its records' bytes) in one page, made when the first record that keeps bytes comes, and
    /// `rows` flow rows. Pages grown as records come leave part of each page unused (about a tenth of a flow load).
    public mutating func reserve(lineRecordBytes bytes: Int, flows rows: Int) {
        raw.reserveBytesOnFirstRecord(bytes)
        flows.reserveCapacity(flows.count + rows)
    }

    /// Gives back the part of the raw page reserved by ``reserve(lineRecordBytes:flows:)`` that the file's records
    /// did not fill (most of it, when its flow lines are derived), and drops a reservation no record used.
    public mutating func releaseUnusedRawSpace() { raw.releaseUnusedSpace() }

    /// Starts a row: success, no principal, no values.
    @inline(__always)
    public mutating func beginRow(time t: Timestamp, kind k: EventKind) {
        if let last = time.last, t.milliseconds < last { isTimeOrdered = false }
        time.append(t.milliseconds)
        kind.append(k.rawValue)
        flags.append(EventStore.Flag.success)
        principalType.append(0)
        if !fingerprints.isEmpty { fingerprints.append(0) }
        for _ in 0..<Self.stride { cells.append(0) }
        if attributesTouched {
            attributeScratch = InlineArray(repeating: 0)
            attributesTouched = false
        }
    }

    /// Records a scalar record attribute's text (empty bytes leave it unknown).
    @inline(__always)
    public mutating func setAttribute(_ attribute: RecordAttribute, _ bytes: UnsafeRawBufferPointer) {
        let k = attribute.rawValue
        let last = lastAttributes[k]
        let symbol = symbols.holds(last, bytes) ? last : symbols.intern(bytes)
        lastAttributes[k] = symbol
        attributeScratch[k] = symbol
        attributesTouched = true
    }

    /// Records that the record has no such member.
    @inline(__always)
    public mutating func setAttributeAbsent(_ attribute: RecordAttribute) {
        attributeScratch[attribute.rawValue] = RecordAttribute.absentMark
        attributesTouched = true
    }

    private var row: Int { time.count - 1 }

    /// Sets a single-valued field (one with a column: not `resource`, `kind`, `principalType`, ports or `errorCode`).
    @inline(__always)
    public mutating func set(_ field: IndexedField, _ bytes: UnsafeRawBufferPointer) {
        precondition(field.rawValue < Self.stride, "\(field) is not a column field")
        let k = field.rawValue
        let last = lastCells[k]
        let symbol = symbols.holds(last, bytes) ? last : symbols.intern(bytes)
        lastCells[k] = symbol
        if symbol != 0 { usedFields |= 1 << UInt32(k) }
        cells[row * Self.stride + k] = symbol
    }

    /// Sets a single-valued field to a symbol of ``symbols`` the caller already has (one it interned before).
    @inline(__always)
    public mutating func set(_ field: IndexedField, symbol: UInt32) {
        precondition(field.rawValue < Self.stride, "\(field) is not a column field")
        let k = field.rawValue
        lastCells[k] = symbol
        if symbol != 0 { usedFields |= 1 << UInt32(k) }
        cells[row * Self.stride + k] = symbol
    }

    /// Sets a single-valued field from fixed text (interned once per text, not once per row).
    @inline(__always)
    public mutating func set(_ field: IndexedField, _ text: StaticString) {
        let symbol = constantSymbol(text)
        if symbol != 0 { usedFields |= 1 << UInt32(field.rawValue) }
        cells[row * Self.stride + field.rawValue] = symbol
    }

    private var constants: [(text: UInt, symbol: UInt32)] = []

    @inline(__always)
    private mutating func constantSymbol(_ text: StaticString) -> UInt32 {
        let pointer = UInt(bitPattern: text.utf8Start)
        for entry in constants where entry.text == pointer { return entry.symbol }
        let symbol = symbols.intern(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        if constants.count < 8 { constants.append((pointer, symbol)) }
        return symbol
    }

    /// Marks the row as failed with `code` (empty bytes: failed without a code).
    @inline(__always)
    public mutating func setFailure(code: UnsafeRawBufferPointer) {
        flags[row] &= ~EventStore.Flag.success
        let symbol = symbols.intern(code)
        if symbol != 0 { errorCodes.append((UInt32(row), symbol)) }
    }

    /// Marks the row as failed with a fixed code.
    public mutating func setFailure(code: StaticString) {
        setFailure(code: UnsafeRawBufferPointer(start: code.utf8Start, count: code.utf8CodeUnitCount))
    }

    /// Sets who acted: identity type, whether MFA was used (nil: unknown) and whether from the console.
    @inline(__always)
    public mutating func setPrincipal(type: Principal.IdentityType, mfaAuthenticated: Bool?, console: Bool) {
        principalType[row] = EventStore.typeCode(type)
        var f = flags[row]
        if let mfa = mfaAuthenticated { f |= EventStore.Flag.mfaKnown | (mfa ? EventStore.Flag.mfa : 0) }
        if console { f |= EventStore.Flag.console }
        flags[row] = f
    }

    /// Adds a resource the row touches, unless the row already has it.
    @inline(__always)
    public mutating func addResource(_ bytes: UnsafeRawBufferPointer) {
        let symbol = symbols.intern(bytes)
        guard symbol != 0 else { return }
        let start = Int(resourceStart[resourceStart.count - 1])
        for k in start..<resourceSymbols.count where resourceSymbols[k] == symbol { return }
        resourceSymbols.append(symbol)
    }

    /// Sets the record's own id, used to drop duplicates.
    @inline(__always)
    public mutating func setRecordID(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if fingerprints.isEmpty {
            fingerprints.reserveCapacity(kind.capacity)
            fingerprints.append(contentsOf: repeatElement(0, count: count))
        }
        fingerprints[row] = RecordKey.fingerprint(kind: EventKind(rawValue: kind[row])!, bytes: bytes) | 1
    }

    /// Sets a flow row's numbers and its packet-level addresses (its ids go in as resources).
    ///
    /// - Parameter lineIsDerivable: the row's line is a version-2 default-format line written the plain way, which
    ///   the store can write back from the row's values (see ``EventStore/withDerivedLine(of:_:)``); unless the
    ///   flow is wide, ``endRow(raw:)`` then keeps no bytes for it. The row's only resource must be the interface.
    @inline(__always)
    public mutating func setFlow(_ row: FlowRow, packetSource: IPAddress?, packetDestination: IPAddress?,
                                 lineIsDerivable: Bool = false) {
        if packetSource != nil || packetDestination != nil {
            packetAddresses.append((UInt32(flows.count), packetSource, packetDestination))
        }
        var narrow = FlowTable.encode(row)
        if narrow.isWide {
            wideFlows[UInt32(flows.count)] = row
        } else if lineIsDerivable, packetSource == nil, packetDestination == nil {
            narrow.info |= FlowTable.Info.derivedLine
            rawIsDerived = true
        }
        flows.append(narrow)
    }

    /// Finishes the row with its raw record (no bytes kept when the row's flow line is derived from its values).
    @inline(__always)
    public mutating func endRow(raw bytes: UnsafeRawBufferPointer) {
        precondition(deferred.isEmpty, "a copied raw record after deferred ones")
        resourceStart.append(UInt32(resourceSymbols.count))
        if rawIsDerived {
            raw.appendEmpty()
            rawIsDerived = false
        } else {
            raw.append(bytes)
        }
        appendAttributeSet()
    }

    /// Finishes the row with its raw record, which lies in a buffer the caller keeps until the rows are settled:
    /// with ``defersRawRecords`` the bytes are copied once, by ``settleDeferredRaw(sortingByTime:)``, straight to
    /// where the file's time order puts them (rather than copied here and again when the file is sorted).
    @inline(__always)
    public mutating func endRow(rawInPlace bytes: UnsafeRawBufferPointer) {
        guard defersRawRecords, let start = bytes.baseAddress else { return endRow(raw: bytes) }
        // A deferred record is kept whole (a derived line's bytes are still the right ones).
        rawIsDerived = false
        if deferredFrom < 0 { deferredFrom = count - 1 }
        resourceStart.append(UInt32(resourceSymbols.count))
        deferred.append((UInt(bitPattern: start), bytes.count))
        deferredBytes += bytes.count
        appendAttributeSet()
    }

    /// Copies the deferred raw records into the batch (their bytes must still be valid) and stops deferring. With
    /// `sortingByTime`, the rows are put in time order first (``sortByTime()``) and each record is copied once,
    /// to its place in that order.
    public mutating func settleDeferredRaw(sortingByTime: Bool) {
        defersRawRecords = false
        guard deferredFrom >= 0 else {
            if sortingByTime { sortByTime() }
            return
        }
        let records = deferred, from = deferredFrom
        deferred = []
        deferredFrom = -1
        raw.reserveBytes(deferredBytes)
        deferredBytes = 0
        if sortingByTime, from == 0, !isTimeOrdered {
            let order = TimeOrder.order(time)
            permuteRows(order)
            raw.reserveCapacity(order.count)
            for old in order { raw.append(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: records[old].start), count: records[old].count)) }
            isTimeOrdered = true
            return
        }
        for record in records { raw.append(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: record.start), count: record.count)) }
        if sortingByTime { sortByTime() }
    }

    /// Whether rows still wait for their raw records (see ``defersRawRecords``).
    public var hasDeferredRaw: Bool { !deferred.isEmpty }
}
