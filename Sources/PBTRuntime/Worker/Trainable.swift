import PBT
import PBTStore

/// A model under training: the user's entry point for Swift training code.
///
/// The workers of a process keep a few live trainables (`TrainablePool`): a member continues
/// in its own when it can; otherwise its last committed checkpoint is restored into an idle
/// trainable of another member (made with that member's seed) or into a new one.
///
/// Requirements that make runs reproducible and replayable:
/// - Training randomness comes from the seed given at creation and is part of the saved state
///   (save the generator's state with the weights).
/// - `restore(from:)` followed by `apply(_:)` gives a state that trains exactly like the live
///   one that was saved, whatever the trainable held before (replace the whole state).
/// - `evaluate()` does not change what later training does (use a generator of its own).
public protocol Trainable: AnyObject {
    /// Applies new hyperparameters to the live state (after an exploit or explore, or after a
    /// restore).
    func apply(_ hyperparameters: Hyperparameters) async throws
    /// Trains `steps` steps.
    func train(steps: Int) async throws
    /// Trains until `deadline` (time-based readiness, `interval: {seconds: S}`): at least one
    /// step, at most `steps`, and returns how many it trained — exactly, since that count is
    /// the member's recorded step. The default trains one step at a time with `train(steps:)`
    /// and looks at the clock between steps; a trainable with costly calls overrides it (an
    /// external program is handed the time budget in its `train` request).
    func train(steps: Int, until deadline: ContinuousClock.Instant) async throws -> Int
    /// Evaluates the current state; the score the scheduler ranks (see the experiment's `mode`).
    func evaluate() async throws -> Double
    /// Evaluates the current state: the score, as `evaluate()`, and other metrics recorded with
    /// it (a training loss, a test accuracy). The worker calls this one; the default reports
    /// `evaluate()`'s score and no metrics.
    func evaluation() async throws -> Evaluation
    /// Serialises the whole state: weights, optimizer state, generator state.
    func save() async throws -> [UInt8]
    /// Replaces the state with a saved one.
    /// - Throws: when the bytes are not a state this trainable saved.
    func restore(from checkpoint: [UInt8]) async throws
    /// Saves the whole state as the worker commits it. The default returns `save()`'s bytes;
    /// a trainable whose state may be large (hundreds of megabytes and more) writes it instead
    /// to a file in `directory` with `CheckpointFileWriter` and returns that file, which the
    /// store moves in without reading it into memory (the worker removes what is left).
    /// - Parameter directory: the store's `checkpointStaging` directory, or a temporary one.
    func saveCheckpoint(in directory: String) async throws -> CheckpointPayload
    /// Replaces the state with a saved one. The default reads the checkpoint whole and calls
    /// `restore(from:)` with its bytes; a trainable with large states reads it a chunk at a
    /// time with `CheckpointReader`, whose `finish()` verifies a file.
    /// - Throws: `StoreError.checkpointCorrupt` when the checkpoint's file is missing or damaged
    ///   (the worker then falls back to an earlier checkpoint, as for damaged bytes); otherwise
    ///   when the checkpoint is not a state this trainable saved.
    func restore(from checkpoint: CheckpointPayload) async throws
    /// Releases resources (child processes, files); the worker calls it when it drops the
    /// trainable.
    func close() async
}

extension Trainable {
    /// Nothing to release.
    public func close() async {}

    /// One `train(steps: 1)` at a time until `deadline` (after the first step) or `steps`.
    public func train(steps: Int, until deadline: ContinuousClock.Instant) async throws -> Int {
        var done = 0
        repeat {
            try await train(steps: 1)
            done += 1
        } while done < steps && ContinuousClock.now < deadline
        return done
    }

    /// `evaluate()`'s score, without metrics.
    public func evaluation() async throws -> Evaluation {
        Evaluation(score: try await evaluate())
    }

    /// The bytes of `save()`.
    public func saveCheckpoint(in directory: String) async throws -> CheckpointPayload {
        .bytes(try await save())
    }

    /// `restore(from:)` with the checkpoint's bytes, read whole and verified.
    public func restore(from checkpoint: CheckpointPayload) async throws {
        try await restore(from: try checkpoint.bytes())
    }
}

/// A kind of training: makes a fresh `Trainable` for a member.
public protocol Workload: Sendable {
    /// The hyperparameters this workload reads; an experiment may tune only these.
    var hyperparameterNames: [String] { get }
    /// The values the workload accepts for its numeric hyperparameters; an experiment's
    /// domains must lie inside them (checked before the experiment starts). Empty by default:
    /// the workload checks values itself when it trains.
    var hyperparameterRanges: [HyperparameterRange] { get }
    /// Creates a fresh model state.
    /// - Parameters:
    ///   - hyperparameters: the member's initial hyperparameters.
    ///   - seed: the member's seed; all of the trainable's randomness derives from it.
    func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable
    /// Creates a fresh model state for the member in `slot` (the worker's entry point; by
    /// default the same as `makeTrainable(hyperparameters:seed:)`). Workloads that keep
    /// per-member resources, such as an external program's log file, implement it.
    /// - Parameters:
    ///   - hyperparameters: the member's hyperparameters.
    ///   - seed: the seed of the state's origin (the donor's, when restoring a copied state).
    ///   - member: the slot of the member that will be trained.
    func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64, member: Int) async throws -> any Trainable
    /// The score of a saved state on data that neither training nor selection saw (a test
    /// split), for reporting the best member; nil when the workload has no such data (the
    /// default).
    /// - Parameter checkpoint: reads the saved state; called only by workloads that have
    ///   held-out data.
    /// - Throws: when the bytes are not a state of this workload, or reading them fails.
    func heldOutScore(checkpoint: () async throws -> [UInt8]) async throws -> Double?
    /// The most trainables that may be live at once in one worker process, nil for no limit
    /// (the default). An external program run with `Slots` has one per slot; a worker
    /// process's pool (`LocalRunner.join(workers:lease:pool:)`) may not exceed it.
    var liveLimit: Int? { get }
}

extension Workload {
    /// None: values are checked when the workload trains.
    public var hyperparameterRanges: [HyperparameterRange] { [] }

    /// The member-independent `makeTrainable(hyperparameters:seed:)`.
    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64, member: Int) async throws -> any Trainable
    {
        try await makeTrainable(hyperparameters: hyperparameters, seed: seed)
    }

    /// No held-out data.
    public func heldOutScore(checkpoint: () async throws -> [UInt8]) async throws -> Double? { nil }

    /// No limit: built-in workloads train in the engine's process and take no slot.
    public var liveLimit: Int? { nil }
}
