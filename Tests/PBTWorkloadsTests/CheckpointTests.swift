import PBT
import PBTRuntime
import Testing

@testable import PBTWorkloads

/// restore + apply reproduces training bit for bit, and evaluation does not disturb it.
@Suite struct CheckpointTests {
    @Test(arguments: ["cartpole", "digits", "signals", "gan"])
    func restoredStateTrainsIdentically(_ name: String) async throws {
        let (_, workload, h) = try #require(try Fixtures.all().first { $0.name == name })
        let a = try await workload.makeTrainable(hyperparameters: h, seed: 42)
        try await a.train(steps: 20)
        let checkpoint = try await a.save()
        try await a.train(steps: 20)
        let s1 = try await a.evaluate()
        let final1 = try await a.save()

        let b = try await workload.makeTrainable(hyperparameters: h, seed: 7)
        try await b.restore(from: checkpoint)
        try await b.apply(h)
        #expect(try await b.save() == checkpoint)
        try await b.train(steps: 20)
        let s2 = try await b.evaluate()
        #expect(s1 == s2)
        #expect(try await b.save() == final1)
    }

    @Test(arguments: ["cartpole", "digits", "signals", "gan"])
    func evaluationDoesNotChangeTraining(_ name: String) async throws {
        let (_, workload, h) = try #require(try Fixtures.all().first { $0.name == name })
        let a = try await workload.makeTrainable(hyperparameters: h, seed: 3)
        let b = try await workload.makeTrainable(hyperparameters: h, seed: 3)
        for _ in 0..<3 {
            try await a.train(steps: 5)
            _ = try await a.evaluate()
            try await b.train(steps: 5)
        }
        #expect(try await a.save() == b.save())
    }

    @Test(arguments: ["cartpole", "digits", "signals", "gan"])
    func seedsDiffer(_ name: String) async throws {
        let (_, workload, h) = try #require(try Fixtures.all().first { $0.name == name })
        let a = try await workload.makeTrainable(hyperparameters: h, seed: 1)
        let b = try await workload.makeTrainable(hyperparameters: h, seed: 2)
        #expect(try await a.save() != b.save())
    }
}
