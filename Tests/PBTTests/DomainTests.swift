import Testing

@testable import PBT

@Suite("Domains: validation, sampling, perturbation")
struct DomainTests {
    @Test(
        "invalid domains are refused with the field and the rule",
        arguments: [
            (Domain.uniform(lower: 1, upper: 1), "lower < upper"),
            (Domain.uniform(lower: 0, upper: .infinity), "finite"),
            (Domain.logUniform(lower: 0, upper: 1), "0 < lower"),
            (Domain.logUniform(lower: -1, upper: 1), "0 < lower"),
            (Domain.integer(lower: 5, upper: 5), "lower < upper"),
            (Domain.choice([], ordered: false), "at least one option"),
            (Domain.choice(["a", "a"], ordered: true), "distinct"),
        ])
    func invalid(domain: Domain, rule: String) {
        #expect {
            try domain.validate(name: "lr")
        } throws: { error in
            let error = error as! PBTError
            return error.field == "lr" && error.message.contains(rule)
        }
    }

    @Test("samples stay in their domain over many seeds")
    func samplesInDomain() throws {
        let domains: [Domain] = [
            .uniform(lower: -2, upper: 3), .logUniform(lower: 1e-5, upper: 1e-1), .integer(lower: 1, upper: 4),
            .choice([1, 2, "x"], ordered: false), .constant(7),
        ]
        for seed in 0..<500 {
            var random = PBTRandom(seed: UInt64(seed))
            for domain in domains {
                #expect(domain.contains(domain.sample(using: &random)))
            }
        }
    }

    @Test("integer samples reach both bounds")
    func integerBounds() {
        var random = PBTRandom(seed: 3)
        let values = Set((0..<200).map { _ in Domain.integer(lower: 1, upper: 4).sample(using: &random) })
        #expect(values == [1, 2, 3, 4])
    }

    @Test("continuous perturbation multiplies, then clamps and says so")
    func continuousClamp() {
        var random = PBTRandom(seed: 1)
        let domain = Domain.uniform(lower: 0, upper: 1)
        let (inside, mutation) = domain.perturb(0.5, by: 1.2, name: "p", using: &random)
        #expect(inside == .number(0.6))
        #expect(mutation == Mutation("p", .scaled(by: 1.2), clamped: false))
        #expect(mutation.description == "p ×1.2")
        let (clamped, clampedMutation) = domain.perturb(0.9, by: 1.2, name: "p", using: &random)
        #expect(clamped == .number(1))
        #expect(clampedMutation.clamped)
        #expect(clampedMutation.description == "p ×1.2 clamped")
    }

    @Test("log-uniform perturbation is still a factor, clamped to the bounds")
    func logUniform() {
        var random = PBTRandom(seed: 1)
        let domain = Domain.logUniform(lower: 1e-4, upper: 1e-1)
        #expect(domain.perturb(1e-2, by: 0.8, name: "lr", using: &random).0 == .number(1e-2 * 0.8))
        #expect(domain.perturb(1e-4, by: 0.8, name: "lr", using: &random).0 == .number(1e-4))
    }

    @Test("integer perturbation moves by at least one where it can, and clamps")
    func integerMoves() {
        var random = PBTRandom(seed: 1)
        let domain = Domain.integer(lower: 1, upper: 10)
        #expect(domain.perturb(2, by: 1.2, name: "n", using: &random).0 == 3)  // round(2.4) = 2 → 3
        #expect(domain.perturb(2, by: 0.8, name: "n", using: &random).0 == 1)  // round(1.6) = 2 → 1
        #expect(domain.perturb(10, by: 1.2, name: "n", using: &random).0 == 10)
        #expect(domain.perturb(10, by: 1.2, name: "n", using: &random).1.clamped)
        #expect(domain.perturb(1, by: 0.8, name: "n", using: &random).0 == 1)
        #expect(domain.perturb(5, by: 2, name: "n", using: &random).0 == 10)
    }

    @Test("ordered choices move one index in the factor's direction, clamped at the ends")
    func orderedChoice() {
        var random = PBTRandom(seed: 1)
        let domain = Domain.choice([16, 32, 64], ordered: true)
        let (up, mutation) = domain.perturb(32, by: 1.2, name: "width", using: &random)
        #expect(up == 64)
        #expect(mutation.description == "width index +1")
        #expect(domain.perturb(32, by: 0.8, name: "width", using: &random).0 == 16)
        let (edge, edgeMutation) = domain.perturb(64, by: 1.2, name: "width", using: &random)
        #expect(edge == 64)
        #expect(edgeMutation.clamped)
    }

    @Test("unordered choices are resampled; constants never change")
    func unorderedAndConstant() {
        var random = PBTRandom(seed: 1)
        let choice = Domain.choice(["relu", "tanh", "gelu"], ordered: false)
        var seen: Set<HyperparameterValue> = []
        for _ in 0..<100 {
            let (value, mutation) = choice.perturb("relu", by: 1.2, name: "act", using: &random)
            #expect(mutation.operation == .resampled)
            #expect(mutation.description == "act resample")
            seen.insert(value)
        }
        #expect(seen.count == 3)
        let (value, mutation) = Domain.constant(3).perturb(3, by: 1.2, name: "k", using: &random)
        #expect(value == 3 && mutation.operation == .unchanged)
    }

    @Test("a search space checks names and values of explicit hyperparameters")
    func spaceValidation() throws {
        let space = try SearchSpace(["lr": .logUniform(lower: 1e-4, upper: 1e-1)])
        #expect(throws: PBTError.self) { try space.validate(Hyperparameters(["lr": 1]), context: "initial[0]") }
        #expect(throws: PBTError.self) { try space.validate(Hyperparameters(["momentum": 0.1]), context: "initial[0]") }
        try space.validate(Hyperparameters(["lr": 0.01]), context: "initial[0]")
        #expect(throws: PBTError.self) { try SearchSpace([:]) }
    }
}
