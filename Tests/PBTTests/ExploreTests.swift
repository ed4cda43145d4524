import Testing

@testable import PBT

@Suite("Explore strategies")
struct ExploreTests {
    let space = try! SearchSpace([
        "lr": .logUniform(lower: 1e-4, upper: 1e-1), "dropout": .uniform(lower: 0, upper: 0.5),
        "units": .integer(lower: 8, upper: 256), "width": .choice([16, 32, 64], ordered: true),
        "act": .choice(["relu", "tanh"], ordered: false), "k": .constant(3),
    ])

    @Test("explored values never leave their domains (many seeds, both strategies)")
    func staysInBounds() throws {
        let strategies: [any ExploreStrategy] = [try Perturb(factors: [0.5, 2]), try Resample(probability: 0.3)]
        for seed in 0..<400 {
            var random = PBTRandom(seed: UInt64(seed))
            var h = space.sample(using: &random)
            for strategy in strategies {
                for _ in 0..<5 {
                    let (next, mutations) = strategy.explore(h, in: space, using: &random)
                    try space.validate(next, context: "explored")
                    #expect(mutations.map(\.name) == space.names)
                    h = next
                }
            }
        }
    }

    @Test("perturb draws its factor from the list and records it")
    func perturbFactors() throws {
        let strategy = try Perturb(factors: [0.8, 1.2])
        var random = PBTRandom(seed: 5)
        var factors: Set<Double> = []
        for _ in 0..<50 {
            let (_, mutations) = strategy.explore(
                Hyperparameters(["lr": 0.01, "dropout": 0.2, "units": 32, "width": 32, "act": "relu", "k": 3]),
                in: space, using: &random)
            for case .scaled(let factor) in mutations.map(\.operation) { factors.insert(factor) }
        }
        #expect(factors == [0.8, 1.2])
        #expect(throws: PBTError.self) { try Perturb(factors: []) }
        #expect(throws: PBTError.self) { try Perturb(factors: [-1]) }
    }

    @Test("resample with probability 1 resamples everything but constants; 0 only perturbs")
    func resampleProbability() throws {
        var random = PBTRandom(seed: 2)
        let h = space.sample(using: &random)
        let (_, all) = try Resample(probability: 1).explore(h, in: space, using: &random)
        #expect(all.allSatisfy { $0.operation == .resampled || $0.name == "k" })
        let (_, none) = try Resample(probability: 0).explore(h, in: space, using: &random)
        #expect(none.allSatisfy { $0.operation != .resampled || $0.name == "act" })
        #expect(throws: PBTError.self) { try Resample(probability: 1.5) }
    }

    @Test("no explore keeps the donor's values")
    func noExplore() {
        var random = PBTRandom(seed: 2)
        let h = space.sample(using: &random)
        let (same, mutations) = NoExplore().explore(h, in: space, using: &random)
        #expect(same == h)
        #expect(mutations.allSatisfy { $0.operation == .unchanged })
    }
}
