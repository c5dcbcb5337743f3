/// What the header says about loading: which phase, how far, how fast.
struct IngestStatus: Equatable, Sendable {
    enum Phase: Equatable, Sendable {
        /// Files are being read; detection waits for them so it sees events in time order.
        case loading
        /// Detection is catching up over the loaded events.
        case detecting(percent: Int)
        /// Everything read and checked; nothing more is coming.
        case idle
        /// Following inputs for new events.
        case live
    }

    var phase: Phase = .idle
    var filesDone = 0
    var filesTotal = 0
    var eventsRead = 0
    /// Events stored per second, over the last few seconds.
    var rate: Double = 0
    var warnings = 0
    var errors = 0
}

/// What one poll of the data source changed, for the reducer to re-anchor selections.
struct DataChange: Equatable, Sendable {
    var eventsAdded = 0
    var findingsChanged = false
    var statusChanged = false

    var isEmpty: Bool { eventsAdded == 0 && !findingsChanged && !statusChanged }
}
