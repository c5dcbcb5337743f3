import CZlib

/// Keeps the raw bytes of every record in large pages, so a million records are a few allocations, not a million.
///
/// With `compressed` set, every page but the one being filled is kept zlib-compressed (CloudTrail JSON shrinks
/// about tenfold) and inflated on access, one page cached at a time: for loads larger than memory allows.
struct RawArena: @unchecked Sendable {
    static let pageSize = 8 << 20
    static let compressedPageSize = 1 << 20

    let compressed: Bool
    fileprivate(set) var pages: [[UInt8]] = []
    /// Pages below this index are closed to appends (they were moved in from another arena).
    private var sealed = 0
    /// Bytes to reserve when the next record with bytes comes (see ``reserveBytesOnFirstRecord(_:)``).
    private var pendingReserve = 0
    /// Offsets to reserve when the next record with bytes comes (see ``reserveCapacity(_:)``).
    private var offsetReserve = 0
    /// Compressed bytes and the original size, for pages that have been compressed.
    fileprivate(set) var packed: [Int: (bytes: [UInt8], size: Int)] = [:]
    private let cache = PageCache()
    // Pages and lengths in two bytes a record while they fit (most records are shorter than 64 KB; a store has
    // fewer than 65,536 pages), offsets in four. An empty record is all zeros and takes no page: a store whose
    // records are all empty (flow lines the store rebuilds from its columns) keeps only the three lengths.
    fileprivate(set) var pageOf = SymbolColumn()
    fileprivate(set) var offsetOf = SymbolColumn()
    fileprivate(set) var lengthOf = SymbolColumn()

    var count: Int { lengthOf.count }

    init(compressed: Bool = false) { self.compressed = compressed }

    mutating func reserveCapacity(_ n: Int) {
        pageOf.reserveCapacity(n)
        lengthOf.reserveCapacity(n)
        // Offsets are reserved, four bytes each, when the first record with bytes comes: until then they are
        // zeros (empty records), which take no room, and after it they soon pass 65,535.
        offsetReserve = n
    }

    /// Makes room for `bytes` more bytes of records in one page (a file's records, about to be appended), so that
    /// they take one allocation of the right size rather than a run of doubling pages.
    mutating func reserveBytes(_ bytes: Int) {
        guard !compressed, bytes > 0 else { return }
        if pages.count > sealed, pages[pages.count - 1].capacity - pages[pages.count - 1].count >= bytes { return }
        var page = [UInt8]()
        page.reserveCapacity(bytes)
        pages.append(page)
    }

    /// Like ``reserveBytes(_:)``, but only once a record with bytes comes: the records to come may all be empty
    /// (flow lines the store derives), and then no page is made.
    mutating func reserveBytesOnFirstRecord(_ bytes: Int) {
        guard !compressed else { return }
        pendingReserve = bytes
    }

    /// Appends a record's bytes and returns its index.
    @discardableResult
    mutating func append(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends a record's bytes and returns its index.
    @discardableResult
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        guard n > 0 else { return appendEmpty() }
        if pendingReserve > 0 {
            reserveBytes(max(pendingReserve, n))
            pendingReserve = 0
        }
        if offsetReserve > 0 {
            offsetOf.reserveWideCapacity(offsetReserve)
            offsetReserve = 0
        }
        if pages.count <= sealed || pages[pages.count - 1].count + n > pages[pages.count - 1].capacity {
            if compressed, let last = pages.indices.last, last >= sealed { pack(last) }
            // Pages grow geometrically to 8 MB, so a small store does not hold a mostly empty 8 MB page.
            let limit = compressed ? RawArena.compressedPageSize : RawArena.pageSize
            let size = pages.count <= sealed ? 64 << 10 : min(limit, max(64 << 10, pages[pages.count - 1].capacity) * 2)
            var page = [UInt8]()
            page.reserveCapacity(max(size, n))
            pages.append(page)
        }
        let p = pages.count - 1
        pageOf.append(UInt32(p))
        offsetOf.append(UInt32(pages[p].count))
        lengthOf.append(UInt32(n))
        pages[p].append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: n))
        return lengthOf.count - 1
    }

    /// Copies the newest page to one of its size when it was left mostly unfilled (a page reserved for a whole
    /// file whose records were mostly empty), and drops a reservation no record used.
    mutating func releaseUnusedSpace() {
        pendingReserve = 0
        guard let last = pages.indices.last, last >= sealed else { return }
        let slack = pages[last].capacity - pages[last].count
        guard slack > 64 << 10, slack > pages[last].count / 8 else { return }
        // A copy made to measure (`Array(page)` would share the oversized buffer).
        let page = pages[last]
        pages[last] = [UInt8](unsafeUninitializedCapacity: page.count) { out, written in
            _ = out.initialize(fromContentsOf: page)
            written = page.count
        }
    }

    /// Appends an empty record (no page, no bytes) and returns its index.
    @discardableResult
    mutating func appendEmpty() -> Int {
        pageOf.appendZero()
        offsetOf.appendZero()
        lengthOf.appendZero()
        return lengthOf.count - 1
    }

    /// Whether record `index` is empty.
    @inline(__always)
    func isEmpty(_ index: Int) -> Bool { lengthOf[index] == 0 }

    /// Calls `body` with the bytes of record `index` without copying them.
    @inline(__always)
    func withBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let n = Int(lengthOf[index])
        guard n > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let p = Int(pageOf[index]), o = Int(offsetOf[index])
        if let page = packed[p] {
            if cache.index != p {
                cache.bytes = Deflate.inflate(page.bytes, size: page.size)
                cache.index = p
            }
            return try cache.bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[o..<(o + n)])) }
        }
        return try pages[p].withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[o..<(o + n)])) }
    }

    private mutating func pack(_ p: Int) {
        guard packed[p] == nil, !pages[p].isEmpty else { return }
        packed[p] = (Deflate.deflate(pages[p]), pages[p].count)
        pages[p] = []
    }

    func bytes(_ index: Int) -> [UInt8] { withBytes(index) { Array($0) } }

    var storedBytes: Int { pages.reduce(0) { $0 + $1.count } + packed.values.reduce(0) { $0 + $1.bytes.count } }
    /// Reserved but unused page space (at most half of the newest page).
    var slackBytes: Int { pages.reduce(0) { $0 + ($1.capacity - $1.count) } }
    /// Bookkeeping per record: page, offset and length.
    var overheadBytes: Int { pageOf.bytes + offsetOf.bytes + lengthOf.bytes }
}

extension RawArena {
    /// Takes over the pages of `other` (leaving it empty); returns the index its first page now has.
    mutating func absorbPages(of other: inout RawArena) -> UInt32 {
        precondition(compressed == other.compressed, "merging arenas with different compression")
        let shift = UInt32(pages.count)
        pages.append(contentsOf: other.pages)
        for (page, packedPage) in other.packed { packed[page + Int(shift)] = packedPage }
        other.pages = []
        other.packed = [:]
        // A new record must not land in a moved page: start the next append on a fresh page.
        sealed = pages.count
        return shift
    }

    /// Appends the table entries of the records of an absorbed arena (all of them, or those of `rows`).
    mutating func appendRecords(from other: RawArena, rows: [Int]?, pageShift: UInt32) {
        func appendRecord(_ index: Int) {
            // An empty record keeps page 0 wherever it goes.
            let length = other.lengthOf[index]
            pageOf.append(length == 0 ? 0 : other.pageOf[index] + pageShift)
            offsetOf.append(other.offsetOf[index])
            lengthOf.append(length)
        }
        if let rows {
            for index in rows { appendRecord(index) }
        } else {
            for index in 0..<other.count { appendRecord(index) }
        }
    }

    /// Reorders the records logically (record `k` becomes old record `order[k]`) without moving any bytes.
    mutating func permute(_ order: [Int]) {
        pageOf = pageOf.permuted(order)
        offsetOf = offsetOf.permuted(order)
        lengthOf = lengthOf.permuted(order)
    }
}

/// The one inflated page kept for reads of a compressed arena.
final class PageCache: @unchecked Sendable {
    var index = -1
    var bytes: [UInt8] = []
}

/// zlib's one-shot compress and uncompress.
enum Deflate {
    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in compress2(o.baseAddress, &length, i.baseAddress, uLong(input.count), 1) }
        }
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        out.removeLast(out.count - Int(length))
        return out
    }

    static func inflate(_ input: [UInt8], size: Int) -> [UInt8] {
        var length = uLong(size)
        var out = [UInt8](repeating: 0, count: size)
        let status = out.withUnsafeMutableBufferPointer { o in
            input.withUnsafeBufferPointer { i in uncompress(o.baseAddress, &length, i.baseAddress, uLong(input.count)) }
        }
        precondition(status == Z_OK && Int(length) == size, "zlib uncompress failed: \(status)")
        return out
    }
}

/// Pointer access to every record of a plain (uncompressed) arena, for scans that touch millions of records:
/// no reference counting per record. Valid only inside `EventStore.withRawReader`.
public struct RawReader: @unchecked Sendable {
    fileprivate let pages: [UnsafeRawBufferPointer]
    fileprivate let pageOf: SymbolColumn.Reader
    fileprivate let offsetOf: SymbolColumn.Reader
    fileprivate let lengthOf: SymbolColumn.Reader
    /// The store's columns, from which flow lines whose bytes are not kept are rebuilt (see
    /// ``EventStore/withDerivedLine(of:_:)``).
    fileprivate(set) var columns: ColumnReader?

    /// Calls `body` with the raw record of event `id`: the stored bytes without a copy, or the line rebuilt from
    /// the store's columns.
    @inline(__always)
    public func withBytes<R>(of id: UInt32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let stored = bytes(Int(id))
        if stored.isEmpty, let columns, let line = try columns.withDerivedLine(of: id, body) { return line }
        return try body(stored)
    }

    /// The stored bytes of record `index` (empty for an empty record, and for a line the store rebuilds).
    @inline(__always)
    func bytes(_ index: Int) -> UnsafeRawBufferPointer {
        let n = Int(lengthOf[index])
        guard n > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let page = pages[Int(pageOf[index])]
        let o = Int(offsetOf[index])
        return UnsafeRawBufferPointer(rebasing: page[o..<(o + n)])
    }
}

extension RawArena {
    /// Calls `body` with a pointer reader, or with nil when the arena is compressed.
    func withReader<R>(_ body: (RawReader?) throws -> R) rethrows -> R {
        try withReader(columns: nil, body)
    }

    /// Calls `body` with a pointer reader that rebuilds derived flow lines from `columns`, or with nil when the
    /// arena is compressed.
    func withReader<R>(columns: ColumnReader?, _ body: (RawReader?) throws -> R) rethrows -> R {
        guard !compressed else { return try body(nil) }
        var pointers: [UnsafeRawBufferPointer] = []
        pointers.reserveCapacity(pages.count)
        // The page arrays are not mutated while the store is being read, so their storage stays put.
        for page in pages { pointers.append(page.withUnsafeBytes { $0 }) }
        return try pageOf.withReader { p in
            try offsetOf.withReader { o in
                try lengthOf.withReader { l in
                    try withExtendedLifetime(pages) {
                        try body(RawReader(pages: pointers, pageOf: p, offsetOf: o, lengthOf: l, columns: columns))
                    }
                }
            }
        }
    }
}

extension RawArena {
    /// Appends the table entries of records of other arenas, whose pages were absorbed (`pageShifts[b]` is the
    /// index arena `b`'s first page now has): for each `from` entry, arena (high 32 bits) and record (low 32).
    mutating func appendRecords(gathering from: [UInt64], from arenas: [RawArena], pageShifts: [UInt32]) {
        let n = from.count
        var pages = [UInt32](repeating: 0, count: n), offsets = [UInt32](repeating: 0, count: n)
        var lengths = [UInt32](repeating: 0, count: n)
        // Everything through pointers: indexing arrays (of readers, and the output) took a check and a reference
        // count per row.
        SymbolColumn.withReaders(arenas.map(\.pageOf) + arenas.map(\.offsetOf) + arenas.map(\.lengthOf)) { readers in
            readers.withUnsafeBufferPointer { readers in
                from.withUnsafeBufferPointer { from in
                    pageShifts.withUnsafeBufferPointer { shifts in
                        pages.withUnsafeMutableBufferPointer { pagesOut in
                            offsets.withUnsafeMutableBufferPointer { offsetsOut in
                                lengths.withUnsafeMutableBufferPointer { lengthsOut in
                                    let offsetOf = arenas.count, lengthOf = 2 * arenas.count
                                    for j in 0..<n {
                                        let b = Int(from[j] >> 32), r = Int(truncatingIfNeeded: from[j] & 0xFFFF_FFFF)
                                        let length = readers[lengthOf + b][r]
                                        // An empty record keeps page 0 wherever it goes.
                                        pagesOut[j] = length == 0 ? 0 : readers[b][r] + shifts[b]
                                        offsetsOut[j] = readers[offsetOf + b][r]
                                        lengthsOut[j] = length
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        pageOf.append(contentsOf: pages)
        offsetOf.append(contentsOf: offsets)
        lengthOf.append(contentsOf: lengths)
    }
}
