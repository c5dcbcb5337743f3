/// Whether the recorded action succeeded.
public enum Outcome: Sendable, Equatable, Hashable {
    case success
    /// The action failed; `code` is CloudTrail's `errorCode` (or e.g. `REJECT`, `Failed password`).
    case failure(code: String, message: String?)

    public var isSuccess: Bool { if case .success = self { true } else { false } }

    /// The error code, or nil on success.
    public var errorCode: String? { if case .failure(let code, _) = self { code } else { nil } }
    public var errorMessage: String? { if case .failure(_, let message) = self { message } else { nil } }
}
