/// A value handed to work that runs on several cores, when the caller guarantees what the compiler cannot: each
/// core touches its own part of it (a detector per core, or one table of a detector per core) and nobody else
/// writes meanwhile.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
