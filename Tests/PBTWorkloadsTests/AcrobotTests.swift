import PBT
import PBTRuntime
import Testing

@testable import PBTWorkloads

/// The `acrobot` workload: registry, score before the first episode, checkpoints that restore
/// bit for bit, and bad options, hyperparameters and checkpoints refused with a clear error.
@Suite struct AcrobotTests {
    static let acrobot = Acrobot(hidden: 16, environments: 4)
    static let hyperparameters = Fixtures.hyperparameters(["lr": 3e-3, "entropy": 0.01, "gamma": 0.99, "unroll": 8])

    /// `body` throws a `WorkloadError` whose message contains `fragment`.
    private func expectError(_ fragment: String, _ body: () async throws -> Void) async {
        let error = await #expect(throws: WorkloadError.self) { try await body() }
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test func registryKnowsAcrobotWithCartPolesOptionsAndRanges() throws {
        #expect(BuiltinWorkloads.names.contains("acrobot"))
        let workload = try #require(
            try BuiltinWorkloads.make(
                WorkloadSpec(name: "acrobot", options: ["hidden": 32, "envs": 2, "max_grad_norm": 1])) as? Acrobot)
        #expect(workload.hidden == 32 && workload.environments == 2 && workload.maxGradientNorm == 1)
        #expect(workload.hyperparameterNames == ["lr", "entropy", "gamma", "unroll", "horizon"])
        #expect(BuiltinWorkloads.ranges(of: "acrobot") == BuiltinWorkloads.ranges(of: "cartpole"))
    }

    @Test func scoreBeforeTheFirstEpisodeIsTheWorstReturn() throws {
        let agent = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 0)
        #expect(agent.evaluate() == -500)
        // 8 × 5 = 40 environment steps: no episode can have reached the time limit, and the
        // untrained policy does not reach the goal that fast.
        try agent.train(steps: 5)
        #expect(agent.episodes == 0 && agent.evaluate() == -500)
    }

    @Test func episodesFinishAndScoresAreReturns() throws {
        let agent = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 1)
        try agent.train(steps: 70)  // 560 steps in each of 4 environments: every one has finished once
        #expect(agent.episodes >= 4)
        let count = min(agent.episodes, 10)
        let returns = agent.recentReturns.prefix(count)
        #expect(returns.allSatisfy { $0 >= -500 && $0 <= 0 && $0 == $0.rounded() }, "\(returns)")
        #expect(agent.evaluate() == returns.reduce(0, +) / Double(count))
    }

    @Test func restoredStateTrainsIdentically() async throws {
        let a = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 42)
        try a.train(steps: 20)
        let checkpoint = a.save()
        try a.train(steps: 70)
        let final = a.save()
        let b = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 7)
        try b.restore(from: checkpoint)
        try b.apply(Self.hyperparameters)
        #expect(b.save() == checkpoint)
        try b.train(steps: 70)
        #expect(b.evaluate() == a.evaluate() && b.episodes == a.episodes && a.episodes > 0)
        #expect(b.save() == final)
    }

    /// `horizon` is the discount `1 − 1/horizon`: an agent given `horizon: 100` trains exactly as one
    /// given `gamma: 0.99`, and a shorter horizon trains differently.
    @Test func horizonSetsTheDiscount() throws {
        func trained(_ discount: [String: HyperparameterValue]) throws -> [UInt8] {
            var values: [String: HyperparameterValue] = ["lr": 3e-3, "entropy": 0.01, "unroll": 8]
            values.merge(discount) { $1 }
            let agent = try Self.acrobot.makeAgent(hyperparameters: Hyperparameters(values), seed: 5)
            try agent.train(steps: 30)
            return agent.save()
        }
        let byGamma = try trained(["gamma": 0.99])
        #expect(try trained(["horizon": 100]) == byGamma)
        #expect(try trained(["horizon": 10]) != byGamma)
    }

    @Test func evaluationDoesNotChangeTrainingAndSeedsDiffer() throws {
        let a = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 3)
        let b = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 3)
        let c = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 4)
        for _ in 0..<3 {
            try a.train(steps: 5)
            _ = a.evaluation()
            try b.train(steps: 5)
        }
        #expect(a.save() == b.save())
        let fresh = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 3)
        #expect(c.save() != fresh.save())
    }

    @Test func badOptionsAndHyperparameters() async throws {
        let options: [([String: HyperparameterValue], String)] = [
            (["hidden": 0], "workload.hidden"), (["envs": 2.5], "workload.envs"), (["envs": 257], "workload.envs"),
            (["max_grad_norm": 0], "workload.max_grad_norm"), (["hiden": 64], "unknown option"),
        ]
        for (values, fragment) in options {
            await expectError(fragment) {
                _ = try BuiltinWorkloads.make(WorkloadSpec(name: "acrobot", options: values))
            }
        }
        let hyperparameters: [(Hyperparameters, String)] = [
            (Hyperparameters(["lr": -1]), "acrobot: hyperparameter lr"), (Hyperparameters(["lr": 0]), "lr"),
            (Hyperparameters(["unroll": 2.5]), "unroll"), (Hyperparameters(["unroll": 513]), "unroll"),
            (Hyperparameters(["gamma": 1.5]), "gamma"), (Hyperparameters(["entropy": "high"]), "entropy"),
            (Hyperparameters(["momentum": 0.9]), "unknown hyperparameter momentum"),
            (Hyperparameters(["horizon": 0.5]), "acrobot: hyperparameter horizon"),
            (Hyperparameters(["gamma": 0.9, "horizon": 10]), "gamma and horizon both set the discount"),
        ]
        let live = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 0)
        for (h, fragment) in hyperparameters {
            await expectError(fragment) { _ = try await Self.acrobot.makeTrainable(hyperparameters: h, seed: 0) }
            await expectError(fragment) { try live.apply(h) }
        }
    }

    @Test func badCheckpointsAreRefusedAndLeaveTheStateAlone() async throws {
        let agent = try Self.acrobot.makeAgent(hyperparameters: Self.hyperparameters, seed: 0)
        try agent.train(steps: 3)
        let good = agent.save()
        let cartPole = try Fixtures.cartPole.makeAgent(hyperparameters: Fixtures.cartPoleHyperparameters, seed: 0)
        await expectError("acrobot checkpoint") { try agent.restore(from: []) }
        await expectError("checkpoint") { try agent.restore(from: Array(good.prefix(good.count / 2))) }
        await expectError("trailing") { try agent.restore(from: good + [0]) }
        await expectError("acrobot checkpoint") { try agent.restore(from: cartPole.save()) }
        await expectError("cartpole checkpoint") { try cartPole.restore(from: good) }
        var corrupt = good
        corrupt[4] = 99  // version
        await expectError("version") { try agent.restore(from: corrupt) }
        // A state no step can produce (θ₁ = 4 > π), which would also loop the angle wrapping.
        let wild = try Acrobot(hidden: 16, environments: 4).makeAgent(hyperparameters: Self.hyperparameters, seed: 0)
        wild.environments[2].theta1 = 4
        await expectError("environment state") { try agent.restore(from: wild.save()) }
        wild.environments[2].theta1 = 0
        wild.environments[1].theta2Dot = .infinity
        await expectError("environment state") { try agent.restore(from: wild.save()) }
        let small = try Acrobot(hidden: 8, environments: 4).makeAgent(hyperparameters: Self.hyperparameters, seed: 0)
        await expectError("layer sizes") { try agent.restore(from: small.save()) }
        let fewer = try Acrobot(hidden: 16, environments: 2).makeAgent(hyperparameters: Self.hyperparameters, seed: 0)
        await expectError("environments") { try agent.restore(from: fewer.save()) }
        #expect(agent.save() == good)
    }
}
