#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// Small platform facts.
public enum System {
    /// Processors available to this process (at least 1).
    public static var cores: Int { max(1, activeProcessorCount) }

    /// A random 64-bit value chosen once per process, for hash tables whose keys come from log content.
    ///
    /// Attackers write user agents, request parameters and DNS names; with a hash they could predict, they could
    /// craft thousands of values that land in one bucket and make every insertion walk all of them. Tables mix
    /// this seed in, so what collides cannot be worked out offline. Symbols and findings never depend on it.
    public static let hashSeed: UInt64 = .random(in: .min ... .max)

    public static var activeProcessorCount: Int {
        #if canImport(Glibc)
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        2
        #endif
    }

    /// Seconds since the epoch, from the real clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Seconds from a monotonic clock, for measuring durations.
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Hands memory the process has freed back to the system. The allocator keeps freed blocks for reuse, and a
    /// load that frees a few hundred megabytes of batches while it builds the store's columns (fresh memory, too
    /// large to come from those blocks) would otherwise hold both.
    public static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    /// Sleeps the calling thread.
    public static func sleep(seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
