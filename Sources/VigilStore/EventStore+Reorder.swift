/// Putting rows back in time order after loads that arrived out of order.
extension EventStore {
    /// Renumbers rows so that ids follow time order again (ties keep arrival order), then rebuilds the indexes.
    ///
    /// Parallel loading appends each file as soon as it is read, so rows from different files interleave in time.
    /// Sorting once at the end is cheaper than keeping order on every append, and no raw bytes move: only the
    /// columns and the arena's record table are permuted. Event ids handed out before the call are invalid after it.
    public func reorderByTime() {
        restoreTimeOrder()
        buildIndexes()
    }

    /// Renumbers rows into time order (ties keep arrival order) without building the indexes.
    public func restoreTimeOrder() {
        guard !isTimeOrdered else { return }
        let n = rowCount
        let order = TimeOrder.order(time)
        var newID = [UInt32](repeating: 0, count: n)
        for (k, old) in order.enumerated() { newID[old] = UInt32(k) }
        applyPermutation(order, newID: newID)
        indexesBuilt = false
    }
}
