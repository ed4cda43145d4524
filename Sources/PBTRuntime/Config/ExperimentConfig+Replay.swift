import PBT

extension ExperimentConfig {
    /// The configuration of a replay: one fresh member trained along a recorded schedule, as a
    /// new experiment run by the ordinary worker loop.
    ///
    /// The replay keeps the workload, domains, mode, ready interval and burn-in, so its member
    /// is trained, evaluated and saved at the same ready points as the original weights (of a
    /// time-based original, at every step where the schedule changes); it has no `stop` rules,
    /// one member, no exploit or explore of its own, a budget of `steps` (the original member's
    /// step), and a `ReplaySchedule` that applies the recorded hyperparameters at their steps
    /// and gives the member the trainable seed of the schedule's first member.
    /// - Parameters:
    ///   - schedule: the schedule, oldest first, from `Lineage.schedule(of:)`.
    ///   - steps: the step the original member's weights reached.
    ///   - name: the replay's experiment name.
    ///   - seed: the experiment seed whose trainable seeds to use (default: this experiment's;
    ///     the same seed reproduces the original weights).
    /// - Throws: `PBTError` when the schedule is empty or `steps` is not a ready step.
    public func replaying(
        schedule: [ScheduleEntry], steps: Int, name: String, seed: UInt64? = nil
    ) throws -> ExperimentConfig {
        guard let first = schedule.first, first.step == 0 else {
            throw PBTError.invalidValue("schedule", "a replay needs a schedule starting at step 0")
        }
        guard steps >= 1 else {
            throw PBTError.invalidValue("member", "it has not reached a ready point yet; there is nothing to replay")
        }
        var original = self
        original.seed = seed ?? self.seed
        original.replay = nil
        let trainableSeed = try original.makeScheduler().trainableSeed(member: first.member)
        // A time-based original was ready wherever its time ran out: the replay is ready at
        // every step where the schedule changes (their greatest common divisor), in steps.
        let interval =
            self.schedule.isTimeBased
            ? schedule.map(\.step).reduce(steps) { Self.gcd($0, $1) } : min(self.schedule.interval, steps)
        let readySchedule = try TrainingSchedule(
            steps: steps, interval: interval, burnIn: min(self.schedule.burnIn, steps))
        return ExperimentConfig(
            name: name, workload: workload, population: 1, schedule: readySchedule, mode: mode, seed: original.seed,
            exploit: .none, explore: .none, hyperparameters: hyperparameters, initial: [first.hyperparameters],
            replay: ReplaySchedule(entries: schedule, trainableSeed: trainableSeed))
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
