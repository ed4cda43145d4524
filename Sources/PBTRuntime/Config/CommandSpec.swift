import Foundation

/// An external training program as an experiment file describes it:
///
/// ```yaml
/// workload:
///   command: [python3, train.py, --data, digits.csv]
///   cwd: .                  # relative to the experiment file's folder (default: that folder)
///   env: {OMP_NUM_THREADS: "1"}
///   timeout: 600            # seconds to wait for any one answer (default 3600)
///   max_failures: 3         # restarts from the last checkpoint before the member fails (default 3)
/// ```
///
/// The program speaks the line-delimited JSON protocol of `docs/protocol.md`.
public struct CommandSpec: Hashable, Sendable, Codable {
    /// The default `timeout`, in seconds.
    public static let defaultTimeout: Double = 3600
    /// The default `max_failures`.
    public static let defaultMaxFailures = 3

    /// The program and its arguments; the first is a path or a name looked up on `PATH`.
    public var arguments: [String]
    /// The absolute working directory of the program.
    public var directory: String
    /// Variables added to (or replacing those of) the engine's environment.
    public var environment: [String: String]
    /// Seconds to wait for any one answer before the program is deemed hung.
    public var timeout: Double
    /// Failures a member may have and still restart from its last checkpoint; one more and it
    /// is marked failed.
    public var maxFailures: Int

    /// Creates a spec.
    public init(
        arguments: [String], directory: String, environment: [String: String] = [:],
        timeout: Double = CommandSpec.defaultTimeout, maxFailures: Int = CommandSpec.defaultMaxFailures
    ) {
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
        self.timeout = timeout
        self.maxFailures = maxFailures
    }
}
