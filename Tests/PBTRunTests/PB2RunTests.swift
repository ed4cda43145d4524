import PBT
import PBTRuntime
import PBTStore
import Testing

/// PB2 as the explore strategy of whole runs: suggestions with explanations, reproducible with
/// one worker, pending configurations within synchronous rounds.
@Suite("PB2 runs")
struct PB2RunTests {
    private func config(synchronous: Bool) throws -> ExperimentConfig {
        var config = try example("quadratic-pb2")
        config.schedule.synchronous = synchronous
        // Two copiers a round: the second counts the first's choice as pending.
        config.exploit = .truncation(fraction: 0.5)
        return config
    }

    @Test(
        "the toy with PB2: suggestions explained, inside the space, reproducible bit for bit", arguments: [false, true])
    func suggestionsAreExplainedAndReproducible(synchronous: Bool) async throws {
        let config = try config(synchronous: synchronous)
        let first = try await run(config), second = try await run(config)
        let events = try await first.events(of: config.name)
        #expect(try await second.events(of: config.name).map(\.untimed) == events.map(\.untimed))
        #expect(try await second.scores(of: config.name).map(\.untimed) == first.scores(of: config.name).map(\.untimed))
        let space = try SearchSpace(config.hyperparameters)
        let explained = events.compactMap(\.explanation)
        #expect(
            explained.count >= events.count / 2, "\(explained.count) of \(events.count) events were PB2 suggestions")
        for event in events { try space.validate(event.after, context: "event \(event.sequence)") }
        for why in explained {
            #expect(why.standardDeviation.isFinite && why.mean.isFinite && why.kappa > 0 && why.window <= why.rows)
        }
        if synchronous {
            #expect(explained.contains { $0.pending > 0 }, "a round's later copiers count the earlier ones' choices")
        }
        let members = try await first.members(of: config.name)
        #expect(members.allSatisfy { $0.status == .done && $0.step == config.schedule.steps })
    }
}
