/// Keeps the raw bytes of every record in large pages, so a million records are a few allocations, not a million.
struct RawArena: Sendable {
    static let pageSize = 8 << 20

    private var pages: [[UInt8]] = []
    fileprivate(set) var pageOf: [UInt32] = []
    fileprivate(set) var offsetOf: [UInt32] = []
    fileprivate(set) var lengthOf: [UInt32] = []

    var count: Int { lengthOf.count }

    mutating func reserveCapacity(_ n: Int) {
        pageOf.reserveCapacity(n)
        offsetOf.reserveCapacity(n)
        lengthOf.reserveCapacity(n)
    }

    /// Appends a record's bytes and returns its index.
    @discardableResult
    mutating func append(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        if pages.isEmpty || pages[pages.count - 1].count + n > pages[pages.count - 1].capacity {
            // Pages grow geometrically to 8 MB, so a small store does not hold a mostly empty 8 MB page.
            let size = pages.isEmpty ? 64 << 10 : min(RawArena.pageSize, pages[pages.count - 1].capacity * 2)
            var page = [UInt8]()
            page.reserveCapacity(max(size, n))
            pages.append(page)
        }
        let p = pages.count - 1
        pageOf.append(UInt32(p))
        offsetOf.append(UInt32(pages[p].count))
        lengthOf.append(UInt32(n))
        pages[p].append(contentsOf: bytes)
        return lengthOf.count - 1
    }

    /// Calls `body` with the bytes of record `index` without copying them.
    @inline(__always)
    func withBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let p = Int(pageOf[index]), o = Int(offsetOf[index]), n = Int(lengthOf[index])
        return try pages[p].withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[o..<(o + n)])) }
    }

    func bytes(_ index: Int) -> [UInt8] { withBytes(index) { Array($0) } }

    var storedBytes: Int { pages.reduce(0) { $0 + $1.count } }
    /// Reserved but unused page space (at most half of the newest page).
    var slackBytes: Int { pages.reduce(0) { $0 + ($1.capacity - $1.count) } }
    /// Bookkeeping per record: page, offset and length.
    var overheadBytes: Int { pageOf.capacity * 4 + offsetOf.capacity * 4 + lengthOf.capacity * 4 }
}

extension RawArena {
    /// Reorders the records logically (record `k` becomes old record `order[k]`) without moving any bytes.
    mutating func permute(_ order: [Int]) {
        pageOf = order.map { pageOf[$0] }
        offsetOf = order.map { offsetOf[$0] }
        lengthOf = order.map { lengthOf[$0] }
    }
}
