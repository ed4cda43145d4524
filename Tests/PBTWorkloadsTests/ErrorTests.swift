import PBT
import PBTRuntime
import Testing

@testable import PBTWorkloads

/// Bad options, hyperparameters and checkpoints throw a `WorkloadError` naming the problem.
@Suite struct ErrorTests {
    private func expectError(_ fragment: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a WorkloadError mentioning '\(fragment)'")
        } catch let error as WorkloadError {
            #expect(error.message.contains(fragment), "\(error.message)")
        } catch {
            Issue.record("expected a WorkloadError, got \(error)")
        }
    }

    @Test func registryKnowsTheWorkloads() throws {
        for name in ["cartpole", "digits", "signals", "gan"] {
            #expect(BuiltinWorkloads.names.contains(name))
            let workload = try BuiltinWorkloads.make(WorkloadSpec(name: name))
            #expect(!workload.hyperparameterNames.isEmpty)
        }
        let cartPole = try #require(
            try BuiltinWorkloads.make(WorkloadSpec(name: "cartpole", options: ["hidden": 32, "envs": 2])) as? CartPole)
        #expect(cartPole.hidden == 32 && cartPole.environments == 2)
    }

    @Test func badOptions() async {
        let cases: [(String, [String: HyperparameterValue], String)] = [
            ("cartpole", ["hidden": 0], "workload.hidden"),
            ("cartpole", ["envs": 2.5], "workload.envs"),
            ("cartpole", ["hiden": 64], "unknown option"),
            ("digits", ["batch": "large"], "workload.batch"),
            ("digits", ["split_seed": -1], "workload.split_seed"),
            ("signals", ["layers": 0], "workload.layers"),
            ("signals", ["batch": 700, "train_rows": 600], "workload.batch"),
            ("signals", ["noise": -1], "workload.noise"),
            ("gan", ["std": 0], "workload.std"),
            ("gan", ["noise": 100_000], "workload.noise"),
        ]
        for (name, options, fragment) in cases {
            await expectError(fragment) { _ = try BuiltinWorkloads.make(WorkloadSpec(name: name, options: options)) }
        }
    }

    @Test func badHyperparameters() async throws {
        let cases: [(String, Hyperparameters, String)] = [
            ("cartpole", Hyperparameters(["lr": -1]), "lr"),
            ("cartpole", Hyperparameters(["lr": 0]), "lr"),
            ("cartpole", Hyperparameters(["unroll": 2.5]), "unroll"),
            ("cartpole", Hyperparameters(["gamma": 1.5]), "gamma"),
            ("cartpole", Hyperparameters(["entropy": "high"]), "entropy"),
            ("digits", Hyperparameters(["dropout": 1]), "dropout"),
            ("digits", Hyperparameters(["lr": .number(.nan)]), "lr"),
            ("digits", Hyperparameters(["momentum": 0.9]), "unknown hyperparameter momentum"),
            ("signals", Hyperparameters(["weight_decay": 2]), "weight_decay"),
            ("gan", Hyperparameters(["lr_d": 2]), "lr_d"),
        ]
        for (name, h, fragment) in cases {
            let (_, workload, good) = try #require(try Fixtures.all().first { $0.name == name })
            await expectError(fragment) { _ = try await workload.makeTrainable(hyperparameters: h, seed: 0) }
            let live = try await workload.makeTrainable(hyperparameters: good, seed: 0)
            await expectError(fragment) { try await live.apply(h) }
        }
    }

    @Test(arguments: ["cartpole", "digits", "signals", "gan"])
    func badCheckpoints(_ name: String) async throws {
        let all = try Fixtures.all()
        let (_, workload, h) = try #require(all.first { $0.name == name })
        let trainable = try await workload.makeTrainable(hyperparameters: h, seed: 0)
        let good = try await trainable.save()
        let other = all.first { $0.name != name }!
        let foreign = try await other.workload.makeTrainable(hyperparameters: other.hyperparameters, seed: 0).save()
        await expectError("checkpoint") { try await trainable.restore(from: []) }
        await expectError("checkpoint") { try await trainable.restore(from: Array(good.prefix(good.count / 2))) }
        await expectError("trailing") { try await trainable.restore(from: good + [0]) }
        await expectError("checkpoint") { try await trainable.restore(from: foreign) }
        await expectError("checkpoint") { try await trainable.restore(from: [UInt8](repeating: 0xFF, count: 300)) }
        var corrupt = good
        corrupt[4] = 99  // version
        await expectError("version") { try await trainable.restore(from: corrupt) }
        // A failed restore leaves the state as it was.
        #expect(try await trainable.save() == good)
    }

    @Test func checkpointOfOtherSizesIsRefused() async throws {
        let small = try await CartPole(hidden: 8, environments: 2).makeTrainable(
            hyperparameters: Hyperparameters(), seed: 0)
        let large = try await CartPole(hidden: 16, environments: 2).makeTrainable(
            hyperparameters: Hyperparameters(), seed: 0)
        await expectError("layer sizes") { try await large.restore(from: try await small.save()) }
        let fewer = try await CartPole(hidden: 8, environments: 1).makeTrainable(
            hyperparameters: Hyperparameters(), seed: 0)
        await expectError("environments") { try await fewer.restore(from: try await small.save()) }
    }
}
