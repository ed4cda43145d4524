import Foundation
import PBT
import PBTStore
import Synchronization

/// The experiment's `stop:` rules as the workers of one process apply them (one stopper shared
/// by them all; `LocalRunner` makes it).
///
/// - **score** and **plateau** are a fold over the experiment's ready points in the order the
///   store recorded them (`StopMonitor`): opening folds the stored history, so a resume after
///   `kill -9` — even one between a commit and the recording of the stop it led to — reaches
///   the same verdict. With `plateau` each commit reads the scores recorded since the last it
///   folded (`PopulationStore.scores(of:from:)`), so ready points committed by other processes
///   (`pbt worker`) count too, in the store's order (commits are serialised: a later score is
///   never visible before an earlier one); score alone, which does not depend on order, folds
///   the commit's own score.
/// - **seconds** counts the experiment's run time: what the store recorded when this process
///   started (`ExperimentRecord.runSeconds`) plus the time since. Each commit records it again,
///   so a run killed and resumed later goes on from its last commit, not from its creation,
///   and time while nothing ran does not count. It is checked before each claim: work in
///   progress when it runs out is finished and committed, nothing trained is thrown away.
/// - The first rule met is recorded in the store (`PopulationStore.recordRun`); from then on
///   workers claim nothing more and return. Members keep their statuses, checkpoints and
///   scores, so the report, `pbt status` and `pbt checkpoint --best` read them as usual.
public final class ExperimentStopper: Sendable {
    /// The rules.
    public let rules: StopRules
    private let store: any PopulationStore
    private let experiment: String
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<State>

    private struct State {
        var stop: StopRecord?
        var monitor: StopMonitor
        /// How many of the experiment's scores, in the store's order, `monitor` has folded
        /// (with `plateau`).
        var folded = 0
        /// The run time recorded when this process started.
        var base: Double
        var start: ContinuousClock.Instant
    }

    /// Opens the rules on `experiment`: reads its recorded stop and run time, folds its stored
    /// ready points, and records a stop they already meet.
    /// - Parameters:
    ///   - rules: the experiment's `stop:` rules; nil: none.
    ///   - mode: whether higher or lower scores are better.
    ///   - experiment: the experiment's name.
    ///   - store: the store holding it.
    ///   - now: the clock for the run time (injected by tests).
    /// - Returns: nil when `rules` is empty (nothing to check, nothing recorded).
    /// - Throws: `StoreError.experimentNotFound`, or what the store throws.
    public static func open(
        _ rules: StopRules?, mode: ScoreMode, experiment: String, store: any PopulationStore,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) async throws -> ExperimentStopper? {
        guard let rules, !rules.isEmpty else { return nil }
        guard let record = try await store.experiment(named: experiment) else {
            throw StoreError(.experimentNotFound, "no experiment named '\(experiment)' in the store")
        }
        let stopper = ExperimentStopper(
            rules, mode: mode, experiment: experiment, store: store, record: record, now: now)
        if record.stop == nil {
            let reason = stopper.fold(try await store.scores(of: experiment), from: 0)
            if let reason { try await stopper.record(reason) }
        }
        return stopper
    }

    private init(
        _ rules: StopRules, mode: ScoreMode, experiment: String, store: any PopulationStore, record: ExperimentRecord,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.rules = rules
        self.store = store
        self.experiment = experiment
        self.now = now
        state = Mutex(
            State(
                stop: record.stop, monitor: StopMonitor(rules: rules, mode: mode), base: record.runSeconds ?? 0,
                start: now()))
    }

    /// What stopped the experiment, as far as this process knows; nil while it runs.
    public var stop: StopRecord? { state.withLock { $0.stop } }

    /// The experiment's run time now, in seconds.
    public var elapsed: Double {
        state.withLock { $0.base + (now() - $0.start).seconds }
    }

    /// Whether the experiment has stopped; records a `seconds` stop when its time ran out.
    /// Workers ask before each claim.
    public func stopped() async throws -> Bool {
        if stop != nil { return true }
        let elapsed = self.elapsed
        guard let reason = state.withLock({ $0.monitor.timeUp(elapsed: elapsed) }) else { return false }
        try await record(reason)
        return true
    }

    /// Reads the stop another process may have recorded (workers ask while nothing is
    /// claimable), then as `stopped()`.
    public func refresh() async throws -> Bool {
        if stop == nil, let recorded = try await store.experiment(named: experiment)?.stop {
            state.withLock { $0.stop = $0.stop ?? recorded }
        }
        return try await stopped()
    }

    /// After a commit of this process (`member` at `step` scored `score`): folds the ready
    /// point(s), records the run time (with a `seconds` rule) and the stop a rule now meets.
    public func committed(member: Int, step: Int, score: Double) async throws {
        var reason: StopReason?
        if rules.plateau != nil {
            let seen = state.withLock { $0.folded }
            reason = fold(try await store.scores(of: experiment, from: seen), from: seen)
        } else {
            reason = state.withLock { $0.monitor.record(member: member, step: step, score: score) }
        }
        let elapsed = self.elapsed
        reason = reason ?? state.withLock { $0.monitor.timeUp(elapsed: elapsed) }
        if let reason {
            try await record(reason)
        } else if rules.seconds != nil {
            _ = try await store.recordRun(experiment: experiment, seconds: elapsed, stop: nil)
        }
    }

    /// Folds `scores`, the experiment's from the `start`-th on, skipping any that another
    /// worker of this process folded meanwhile; the first rule they meet, if any.
    private func fold(_ scores: [ScoreRecord], from start: Int) -> StopReason? {
        state.withLock { state in
            var reason: StopReason?
            for score in scores.dropFirst(max(0, state.folded - start)) {
                reason = reason ?? state.monitor.record(member: score.member, step: score.step, score: score.score)
            }
            state.folded = max(state.folded, start + scores.count)
            return reason
        }
    }

    private func record(_ reason: StopReason) async throws {
        let seconds = rules.seconds == nil ? nil : elapsed
        let recorded = try await store.recordRun(
            experiment: experiment, seconds: seconds, stop: StopRecord(rule: reason.rule, detail: reason.detail))
        state.withLock { $0.stop = recorded.stop }
    }
}
