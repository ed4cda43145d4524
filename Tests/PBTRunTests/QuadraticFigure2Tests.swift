import PBT
import PBTRuntime
import Testing

@Suite("The paper's Figure 2 on the quadratic toy")
struct QuadraticFigure2Tests {
    func medianBest(_ name: String) async throws -> Double {
        var scores: [Double] = []
        for seed in 0..<10 {
            var config = try example(name)
            config.seed = UInt64(seed)
            scores.append(try await bestScore(config, in: try await run(config)))
        }
        return scores.sorted()[4...5].reduce(0, +) / 2
    }

    @Test("PBT reaches Q ≥ 1.19 (median of 10 seeds); grid stays at 0.39")
    func pbtBeatsGrid() async throws {
        let pbt = try await medianBest("quadratic")
        let grid = try await medianBest("quadratic-grid")
        #expect(pbt >= 1.19, "PBT median \(pbt)")
        #expect(abs(grid - 0.39) < 1e-6, "grid median \(grid)")
        #expect(try await medianBest("quadratic-explore-only") < pbt)
    }

    @Test("with one worker the same seed reproduces the run bit for bit; another seed does not")
    func reproducible() async throws {
        let config = try example("quadratic")
        let first = try await run(config), second = try await run(config)
        #expect(try await first.scores(of: config.name).map(\.untimed) == second.scores(of: config.name).map(\.untimed))
        #expect(try await first.events(of: config.name).map(\.untimed) == second.events(of: config.name).map(\.untimed))
        var other = config
        other.seed = 99
        let third = try await run(other)
        #expect(try await third.events(of: config.name) != first.events(of: config.name))
    }

    @Test("exploits copy the donor's step and values; the recorded history is consistent")
    func eventsConsistent() async throws {
        var config = try example("quadratic")
        config.population = 8
        config.initial = []
        let store = try await run(config, workers: 3)
        let members = try await store.members(of: config.name)
        #expect(members.allSatisfy { $0.status == .done && $0.step == config.schedule.steps })
        let scores = try await store.scores(of: config.name)
        let events = try await store.events(of: config.name)
        #expect(!events.isEmpty)
        #expect(events.map(\.sequence) == Array(1...events.count))
        for event in events where event.isExploit {
            // The donor had recorded a score at the copied step that ranked above the member's.
            // (A member can record a step twice after going back to an earlier donor step.)
            let donorScores = scores.filter { $0.member == event.donor && $0.step == event.donorStep }.map(\.score)
            let ownScores = scores.filter { $0.member == event.member && $0.step == event.step }.map(\.score)
            #expect(!donorScores.isEmpty && !ownScores.isEmpty)
            #expect(donorScores.contains { donor in ownScores.contains { donor >= $0 } })
            for mutation in event.mutations { #expect(["h0", "h1"].contains(mutation.name)) }
        }
        #expect(scores.allSatisfy { $0.step % config.schedule.interval == 0 })
    }

    @Test("burn-in: no member changes before the burn-in step")
    func burnIn() async throws {
        var config = try example("quadratic")
        config.schedule.burnIn = 100
        let store = try await run(config)
        #expect(try await store.events(of: config.name).allSatisfy { $0.step >= 100 })
    }

    @Test("synchronous mode: every member decides at the same steps, and a round completes before the next")
    func synchronous() async throws {
        var config = try example("quadratic")
        config.population = 6
        config.initial = []
        config.schedule.synchronous = true
        let store = try await run(config, workers: 2)
        let scores = try await store.scores(of: config.name)
        let events = try await store.events(of: config.name)
        #expect(!events.isEmpty)
        for event in events { #expect(event.step == event.donorStep) }
        // Scores arrive round by round: a score at step s never precedes one at a smaller step.
        let steps = scores.map(\.step)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 <= $1 }, "rounds interleaved: \(steps)")
        #expect(Set(scores.map(\.member)).count == 6)
    }

    @Test("mode min: the summary's best member has the lowest score")
    func minMode() async throws {
        var config = try example("quadratic-grid")
        config.mode = .min
        config.population = 3
        config.initial = []
        let store = try await run(config)
        let summary = try await RunSummary(experiment: config.name, store: store, mode: .min)
        let lowest = try await store.members(of: config.name).compactMap(\.score).min()
        #expect(summary.best?.score == lowest)
    }
}
