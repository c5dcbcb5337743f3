/// Putting rows back in time order after loads that arrived out of order.
extension EventStore {
    /// Renumbers rows so that ids follow time order again (ties keep arrival order), then rebuilds the indexes.
    ///
    /// Parallel loading appends each file as soon as it is read, so rows from different files interleave in time.
    /// Sorting once at the end is cheaper than keeping order on every append, and no raw bytes move: only the
    /// columns and the arena's record table are permuted. Event ids handed out before the call are invalid after it.
    public func reorderByTime() {
        guard !isTimeOrdered else {
            buildIndexes()
            return
        }
        let n = rowCount
        var order = Array(0..<n)
        order.sort { a, b in time[a] == time[b] ? a < b : time[a] < time[b] }
        var newID = [UInt32](repeating: 0, count: n)
        for (k, old) in order.enumerated() { newID[old] = UInt32(k) }
        applyPermutation(order, newID: newID)
        buildIndexes()
    }
}
