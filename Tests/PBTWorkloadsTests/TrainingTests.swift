import Foundation
import Neural
import PBT
import Testing

@testable import PBTWorkloads

/// A short training run improves each workload's score (small, fixed-seed budgets).
@Suite struct TrainingTests {
    @Test func cartPoleLearnsToBalance() throws {
        let agent = try Fixtures.cartPole.makeAgent(hyperparameters: Fixtures.cartPoleHyperparameters, seed: 1)
        try agent.train(steps: 30)
        let early = agent.evaluate()
        try agent.train(steps: 600)
        let late = agent.evaluate()
        #expect(late > early + 50, "mean return \(early) → \(late)")
    }

    @Test func digitsClassifierLearns() throws {
        let classifier = try Fixtures.digits().makeClassifier(hyperparameters: Fixtures.digitsHyperparameters, seed: 1)
        let before = classifier.evaluate()
        try classifier.train(steps: 150)
        let after = classifier.evaluate()
        #expect(before < 0.3 && after > 0.85, "validation accuracy \(before) → \(after)")
        #expect(classifier.testAccuracy() > 0.85)
    }

    @Test func digitsSplitIsStratifiedAndFixed() throws {
        let a = try Digits(splitSeed: 0), b = try Digits(hidden: 8, splitSeed: 0), c = try Digits(splitSeed: 1)
        #expect(a.splitSizes.train == 1078 && a.splitSizes.validation == 359 && a.splitSizes.test == 360)
        #expect(a.setup.data.validation.labels == b.setup.data.validation.labels)
        #expect(a.setup.data.validation.values == b.setup.data.validation.values)
        #expect(a.setup.data.validation.values != c.setup.data.validation.values)
        for label in 0..<10 {
            let share = Double(a.setup.data.test.labels.filter { $0 == label }.count) / 360
            #expect(abs(share - 0.1) < 0.01)
        }
        #expect(a.setup.data.train.values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func kernelDistanceMatchesItsDefinition() {
        // Two points against one, by hand: k(x, y) = mean over scales of exp(−d²/2h²).
        let a: [Float] = [0, 0, 0.1, 0], b: [Float] = [0, 0.3]
        let x = Double(Float(0.1)), y = Double(Float(0.3))
        func k(_ d2: Double) -> Double { KernelDistance.scales.map { exp(-d2 / (2 * $0 * $0)) }.reduce(0, +) / 3 }
        let aa = (k(0) + k(x * x) + k(x * x) + k(0)) / 4, bb = k(0), ab = (k(y * y) + k(x * x + y * y)) / 2
        #expect(
            abs(KernelDistance.squared(a, b, referenceTerm: KernelDistance.meanKernel(b, b)) - (aa + bb - 2 * ab))
                < 1e-12)
        // A blurred ring scores worse than points on the modes (what the energy distance misses).
        let gan = GAN(evaluationSamples: 256)
        var sharp = [Float](), blurred = [Float]()
        for i in 0..<256 {
            let c = gan.target.center(i % 8), angle = 2 * Double.pi * Double(i) / 256
            sharp += [Float(c.x), Float(c.y)]
            blurred += [Float(2 * cos(angle)), Float(2 * sin(angle))]
        }
        let onModes = SampleQuality(generated: sharp, reference: gan.evaluationTarget, target: gan.target)
        let ring = SampleQuality(generated: blurred, reference: gan.evaluationTarget, target: gan.target)
        #expect(onModes.kernelDistance < ring.kernelDistance)
    }

    @Test func signalsClassifierLearns() async throws {
        let classifier = try Fixtures.signals.makeClassifier(hyperparameters: Fixtures.signalsHyperparameters, seed: 1)
        let before = classifier.evaluate()
        try classifier.train(steps: 300)
        let after = classifier.evaluate()
        #expect(before < 0.2 && after > 0.25, "validation accuracy \(before) → \(after)")
        let test = try await Fixtures.signals.heldOutScore { classifier.save() }
        #expect(test == classifier.testAccuracy())
    }

    @Test func signalsDataIsSeededBalancedAndDisjoint() {
        let a = Signals(trainRows: 100, heldOutRows: 50), b = Signals(hidden: 8, trainRows: 100, heldOutRows: 50)
        let c = Signals(trainRows: 100, heldOutRows: 50, dataSeed: 1)
        #expect(a.setup.data.train.values == b.setup.data.train.values)
        #expect(a.setup.data.train.values != c.setup.data.train.values)
        #expect(a.setup.data.validation.values != a.setup.data.test.values)
        #expect(a.setup.data.train.count == 100 && a.setup.data.validation.count == 50 && a.setup.data.test.count == 50)
        #expect(a.setup.data.train.values.count == 100 * SignalsDataset.length)
        for label in 0..<10 { #expect(a.setup.data.train.labels.filter { $0 == label }.count == 10) }
        #expect(a.setup.data.train.values.allSatisfy { $0.isFinite })
    }

    @Test func signalsRowsFollowTheirTemplate() {
        // Without noise, a row is the template stretched, shifted and sheared: its values stay
        // within amplitude and shear bounds, and classes differ.
        var rng = NeuralRNG(seed: 5)
        var row = [Double](repeating: 0, count: SignalsDataset.length)
        for label in 0..<SignalsDataset.classes {
            SignalsDataset.draw(class: label, into: &row, using: &rng)
            #expect(row.allSatisfy { abs($0) <= 1.4 + 0.375 + 1e-9 }, "class \(label): \(row)")
        }
        let filter = SignalsDataset.gaussianFilter()
        #expect(abs(filter.reduce(0, +) - 1) < 1e-12)
        let constant = SignalsDataset.circularConvolution([Double](repeating: 2, count: 40), filter)
        #expect(constant.allSatisfy { abs($0 - 2) < 1e-12 })
    }

    @Test func ganImprovesSampleQuality() throws {
        let model = try Fixtures.gan.makeModel(hyperparameters: Fixtures.ganHyperparameters, seed: 1)
        let before = model.evaluate()
        try model.train(steps: 400)
        let after = model.evaluate()
        #expect(after > before, "−energy distance \(before) → \(after)")
        // The evaluation computes the distances once, with the target's own terms cached: the
        // same numbers, to the bit, as the score and a quality measured from scratch.
        let evaluation = model.evaluation()
        let fromScratch = SampleQuality(
            generated: model.evaluationSamples(), reference: Fixtures.gan.evaluationTarget, target: Fixtures.gan.target)
        #expect(evaluation.score == after && evaluation.score == -fromScratch.kernelDistance)
        #expect(evaluation.metrics["energy_distance"] == fromScratch.energyDistance)
        #expect(evaluation.metrics["modes_covered"] == Double(fromScratch.modesCovered))
    }

    @Test func energyDistanceOfTheTargetToItselfIsZero() {
        let gan = GAN()
        let quality = SampleQuality(
            generated: gan.evaluationTarget, reference: gan.evaluationTarget, target: gan.target)
        #expect(abs(quality.energyDistance) < 1e-9)
        #expect(abs(quality.kernelDistance) < 1e-9)
        #expect(quality.modesCovered == 8)
        #expect(quality.nearFraction == 1)
    }
}
