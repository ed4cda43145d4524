import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore

/// `pbt replay NAME --member M`: trains one fresh member along M's recorded schedule, as a new
/// experiment in the same store, and compares the result with M.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Train a fresh member along another member's schedule, as a new experiment in the same store.",
        discussion: """
            The replay runs through the same worker loop as `pbt run`: one member, ready at the same \
            steps, taking the recorded hyperparameters at the recorded steps, starting from the seed \
            of the member the schedule began with. With the experiment's seed the final score and \
            weights equal the original member's bit for bit. Running it again finds the replay done.
            """
    )

    @Argument(help: "The experiment to replay from.")
    var name: String

    @Option(help: "The member (slot) whose schedule to replay.")
    var member: Int

    @Option(name: .customLong("as"), help: "The new experiment's name (default: NAME-replay-M).")
    var newName: String?

    @Option(help: "Use the trainable seeds of this experiment seed instead of the original's.")
    var seed: UInt64?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: "No progress output.")
    var quiet = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let newName {
            if let problem = ExperimentConfig.nameProblem(newName) { throw ValidationError("--as: \(problem)") }
            guard newName != name else {
                throw ValidationError("--as: '\(name)' is the experiment being replayed; choose a new name")
            }
        }
    }

    func run() async throws {
        let (member, seed, quiet) = (self.member, self.seed, self.quiet)
        let target = newName ?? "\(name)-replay-\(member)"
        // Bad input is refused by a reader, which leaves the file as it was.
        try await ExperimentReader.with(name, store) { try $0.check(member: member) }
        let (report, result) = try await ExperimentReader.with(name, store, writing: true) { reader in
            try reader.check(member: member)
            guard let config = reader.config else {
                throw StoreError(
                    .invalid,
                    """
                    experiment '\(name)' was not created by 'pbt run' (its configuration cannot be read); \
                    it cannot be replayed
                    """
                )
            }
            let members = try await reader.store.members(of: name)
            let lineage = Lineage(
                initial: members.map(\.initialHyperparameters), events: try await reader.store.events(of: name))
            let schedule = lineage.schedule(of: member)
            let replay = try config.replaying(schedule: schedule, steps: members[member].step, name: target, seed: seed)
            let runner = try LocalRunner(
                config: replay, store: reader.store, workload: try WorkloadFactory.make(replay, store: reader.location),
                storeCalls: reader.location.storeCalls)
            try await Self.run(runner, location: reader.location, quiet: quiet)
            let result = try await reader.store.members(of: target)[0]
            let report = ReplayReport(
                experiment: target, original: name, member: member, store: reader.location.description,
                step: result.step,
                changes: schedule.count - 1, origin: schedule[0].member, seed: replay.seed, score: result.score,
                originalScore: members[member].score,
                identicalScore: ReplayReport.same(result.score, members[member].score),
                identicalWeights: try await Self.sameWeights(
                    reader.store, (target, result.checkpoint), (name, members[member].checkpoint)))
            return (report, result)
        }
        print(json ? try JSONOutput.text(report) : report.text)
        try ExitStatus.checkSomeMemberDone([result], experiment: target)
    }

    /// Runs the replay with progress on standard error; Ctrl-C stops it after a commit.
    private static func run(_ runner: LocalRunner, location: StoreLocation, quiet: Bool) async throws {
        let config = runner.config
        if try await !runner.open(), !quiet {
            FileHandle.standardError.write(Data("pbt: experiment '\(config.name)' exists; resuming it\n".utf8))
        }
        let reporter = ProgressReporter(
            experiment: config.name, store: runner.store, budget: config.schedule.steps, mode: config.mode,
            style: quiet ? .silent : .automatic)
        let work = Task { try await reporter.while { try await runner.run(workers: 1) } }
        let interrupts = Interrupts(cancelling: work)
        defer { withExtendedLifetime(interrupts) {} }
        do {
            try await work.value
        } catch is CancellationError {}
        if work.isCancelled {
            FileHandle.standardError.write(
                Data(
                    "pbt: stopped; the replay is in \(location) as '\(config.name)'. Run the same command to resume.\n"
                        .utf8))
            throw ExitStatus.interrupted
        }
    }

    /// Whether two checkpoints hold the same bytes (the same SHA-256: a file is not read);
    /// nil when either member has none.
    private static func sameWeights(
        _ store: any PopulationStore, _ a: (String, Int64?), _ b: (String, Int64?)
    ) async throws -> Bool? {
        guard let first = a.1, let second = b.1 else { return nil }
        let left = try await store.checkpoint(of: a.0, id: first)
        let right = try await store.checkpoint(of: b.0, id: second)
        return left.payload.sha256 == right.payload.sha256
    }
}
