import Foundation
import Testing

@testable import PBT

/// PB2-Mix's numerics against numpy (cases from `scripts/pb2mix_reference.py`) and finite
/// differences: the mixed kernel, its likelihood and gradient, the posterior, the acquisition
/// with fixed options, and the EXP3 bandit.
@Suite("PB2-Mix numerics")
struct PB2MixNumericsTests: RelativeTolerance {
    /// Relative agreement required of the likelihood, its gradient and the posterior.
    static let tolerance = 1e-8

    private func inputs(_ reference: PB2MixedProcessCase) -> PB2Inputs {
        let plain = PB2TestData.inputs(reference.inputs, columns: reference.columns)
        return PB2Inputs(
            time: plain.time, z: plain.z, dimension: plain.dimension, categories: reference.categories,
            categoryCount: reference.categoryCount)
    }

    private func parameters(_ reference: PB2MixedProcessCase) -> PB2KernelParameters {
        PB2KernelParameters(
            variance: reference.variance, lengthscale: reference.lengthscale, epsilon: reference.epsilon,
            noise: reference.noise, mix: reference.mix)
    }

    private func process(_ reference: PB2MixedProcessCase) throws -> PB2GaussianProcess {
        try #require(
            PB2GaussianProcess(inputs: inputs(reference), targets: reference.targets, parameters: parameters(reference))
        )
    }

    @Test("the mixed kernel matrix agrees with numpy", arguments: PB2MixedProcessCase.all)
    func kernel(_ reference: PB2MixedProcessCase) {
        let n = reference.targets.count
        let matrix = inputs(reference).kernelMatrix(parameters(reference))
        var index = 0
        for i in 0..<n {
            for j in 0...i {
                #expect(close(matrix[i * n + j], reference.kernel[index], 1e-12), "(\(i), \(j))")
                index += 1
            }
        }
    }

    @Test(
        "log marginal likelihood and its gradient in (log σ², log ℓ, ε, log noise, λ) agree with numpy",
        arguments: PB2MixedProcessCase.all)
    func likelihood(_ reference: PB2MixedProcessCase) throws {
        let gp = try process(reference)
        #expect(gp.factor.jitter == 0)
        #expect(close(gp.logMarginalLikelihood, reference.logMarginalLikelihood))
        let gradient = gp.logMarginalLikelihoodGradient()
        #expect(gradient.count == 5)
        for (value, expected) in zip(gradient, reference.gradient) {
            #expect(close(value, expected), "gradient \(value) vs \(expected)")
        }
        // The fit's likelihood (shared buffers, its own kernel loop) gives the same value.
        let direct = try #require(
            PB2Likelihood(inputs: inputs(reference), targets: reference.targets).evaluate(parameters(reference)))
        #expect(close(direct.value, reference.logMarginalLikelihood))
    }

    @Test(
        "posterior mean and latent variance at queries with options agree with numpy",
        arguments: PB2MixedProcessCase.all)
    func posterior(_ reference: PB2MixedProcessCase) throws {
        let gp = try process(reference)
        let columns = reference.columns, c = reference.categoryCount
        for q in 0..<reference.means.count {
            let row = Array(reference.queries[q * columns..<(q + 1) * columns])
            let options = Array(reference.queryCategories[q * c..<(q + 1) * c])
            let (mean, variance) = gp.predict(time: row[0], z: Array(row.dropFirst()), categories: options)
            #expect(close(mean, reference.means[q]), "mean \(mean) vs \(reference.means[q])")
            #expect(close(variance, reference.variances[q]), "variance \(variance) vs \(reference.variances[q])")
        }
    }

    @Test(
        "every coordinate of the mixed likelihood's gradient matches central differences",
        arguments: PB2MixedProcessCase.all)
    func finiteDifferences(_ reference: PB2MixedProcessCase) throws {
        let gp = try process(reference)
        let origin = gp.parameters.coordinates
        #expect(origin.count == 5)
        let analytic = gp.logMarginalLikelihoodGradient()
        for k in 0..<5 {
            let h = 1e-5
            func value(_ shift: Double) throws -> Double {
                var c = origin
                c[k] += shift
                return try #require(
                    PB2GaussianProcess(
                        inputs: gp.inputs, targets: gp.targets, parameters: PB2KernelParameters(coordinates: c))
                )
                .logMarginalLikelihood
            }
            let numeric = (try value(h) - value(-h)) / (2 * h)
            #expect(
                abs(numeric - analytic[k]) <= 1e-6 * max(1, abs(analytic[k])),
                "coordinate \(k): \(analytic[k]) vs \(numeric)")
        }
    }

    @Test(
        "the UCB with fixed options: gradient by central differences, mean and spread as the GPs give them",
        arguments: [0, 2])
    func acquisition(pending: Int) throws {
        let reference = PB2MixedProcessCase.all[1]
        let data = try process(reference)
        let inputs = data.inputs, parameters = data.parameters
        let options = [1, 2]
        let pendingPoints = (0..<pending).map { [0.3 + 0.4 * Double($0), 0.6] }
        let pendingOptions = (0..<pending).map { [$0 % 2, 2] }
        var z = inputs.z, time = inputs.time, categories = inputs.categories
        for k in 0..<pending {
            z += [0.45] + pendingPoints[k]
            time.append(0.8)
            categories += pendingOptions[k]
        }
        let spread = try #require(
            PB2GaussianProcess(
                inputs: PB2Inputs(
                    time: time, z: z, dimension: inputs.dimension, categories: categories, categoryCount: 2),
                targets: reference.targets + Array(repeating: 0, count: pending), parameters: parameters))
        let acquisition = PB2Acquisition(
            process: data, pending: pendingPoints, time: 0.8, score: 0.45, categories: options,
            pendingCategories: pendingOptions)
        for x in [[0.3, 0.7], [0.9, 0.1], pendingPoints.first ?? [0.5, 0.5]] {
            let value = acquisition.evaluate(x)
            for j in 0..<2 {
                var up = x, down = x
                up[j] += 1e-6
                down[j] -= 1e-6
                let numeric = (acquisition.evaluate(up).value - acquisition.evaluate(down).value) / 2e-6
                #expect(
                    abs(numeric - value.gradient[j]) <= 1e-6 * max(1, abs(value.gradient[j])),
                    "\(x), \(j): \(value.gradient[j]) vs \(numeric)")
            }
            let direct = data.predict(time: 0.8, z: [0.45] + x, categories: options)
            #expect(abs(value.mean - direct.mean) < 1e-12, "\(value.mean) vs \(direct.mean)")
            let variance = spread.predict(time: 0.8, z: [0.45] + x, categories: options).variance
            #expect(abs(value.deviation * value.deviation - variance) < 1e-10, "\(value.deviation) vs \(variance)")
        }
    }

    @Test("with options only (no numeric hyperparameter) the UCB is a point: the GP's prediction at the options")
    func optionsOnly() throws {
        let reference = PB2MixedProcessCase.all[2]
        let data = try process(reference)
        let acquisition = PB2Acquisition(process: data, pending: [], time: 0.9, score: 0.3, categories: [2])
        #expect(acquisition.dimension == 0 && acquisition.groups == 1)
        let value = acquisition.evaluate([])
        let direct = data.predict(time: 0.9, z: [0.3], categories: [2])
        #expect(abs(value.mean - direct.mean) < 1e-12 && value.gradient.isEmpty)
        #expect(abs(value.deviation * value.deviation - direct.variance) < 1e-10)
    }

    @Test("the bandit's probabilities after a recorded reward sequence agree with numpy", arguments: PB2BanditCase.all)
    func bandit(_ reference: PB2BanditCase) {
        let bandit = PB2Bandit(options: reference.options, batch: reference.batch)
        let (weights, rounds) = bandit.weights(
            times: reference.times, arms: reference.arms, rewards: PB2Bandit.rewards(reference.rates))
        #expect(rounds == Set(reference.times).count)
        for (value, expected) in zip(weights, reference.weights) {
            #expect(close(value, expected, 1e-10), "weight \(value) vs \(expected)")
        }
        let (probabilities, capped) = bandit.probabilities(weights)
        for (value, expected) in zip(probabilities, reference.probabilities) {
            #expect(close(value, expected, 1e-10), "probability \(value) vs \(expected)")
        }
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        #expect(capped.contains(true) == reference.name.contains("capped"))
    }

    @Test(
        "capping keeps every option's chance among B distinct plays at most 1; γ/C is every option's floor",
        arguments: 0..<20)
    func capping(seed: UInt64) {
        var random = PBTRandom(seed: seed)
        let options = 3 + Int(random.unit() * 6), batch = 1 + Int(random.unit() * Double(options - 1))
        let weights = (0..<options).map { _ in exp(6 * random.unit()) }
        let bandit = PB2Bandit(options: options, batch: batch)
        let (probabilities, capped) = bandit.probabilities(weights)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        for (index, probability) in probabilities.enumerated() {
            #expect(Double(batch) * probability <= 1 + 1e-12, "\(options) options, batch \(batch): \(probabilities)")
            #expect(probability >= PB2Bandit.gamma / Double(options) - 1e-15)
            // Capped options sit exactly at the bound.
            if capped[index] { #expect(abs(Double(batch) * probability - 1) < 1e-12) }
        }
        // A batch covering every option caps nothing.
        #expect(!PB2Bandit(options: options, batch: options).probabilities(weights).capped.contains(true))
    }

    @Test("rewards are the GP's standardised, clipped rates mapped to [0, 1]")
    func rewards() {
        let rewards = PB2Bandit.rewards([1, 2, 3, 100])
        #expect(rewards.allSatisfy { (0...1).contains($0) })
        #expect(rewards[3] == 1 || rewards[3] > rewards[2])
        let targets = PB2Window.standardise([1, 2, 3, 100]).targets
        for (reward, target) in zip(rewards, targets) { #expect(reward == (target + 2) / 4) }
        #expect(PB2Bandit.rewards([5, 5, 5]) == [0.5, 0.5, 0.5])
    }
}
