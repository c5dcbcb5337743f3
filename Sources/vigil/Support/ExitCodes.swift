import ArgumentParser

/// Exit codes shared by every command, so scripts can tell outcomes apart.
enum VigilExit {
    /// Success.
    static let ok = ExitCode(0)
    /// Something was found (used by `scan` for findings at or above the threshold).
    static let found = ExitCode(1)
    /// The command line was wrong (argument-parser also exits 2 for its own usage errors… it uses 64; we map ours to 2).
    static let usage = ExitCode(2)
    /// Nothing could be read, or `--strict` met an error.
    static let input = ExitCode(3)
}
