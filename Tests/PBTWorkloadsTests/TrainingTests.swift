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
        #expect(a.split.validation.labels == b.split.validation.labels)
        #expect(a.split.validation.pixels == b.split.validation.pixels)
        #expect(a.split.validation.pixels != c.split.validation.pixels)
        for label in 0..<10 {
            let share = Double(a.split.test.labels.filter { $0 == label }.count) / 360
            #expect(abs(share - 0.1) < 0.01)
        }
        #expect(a.split.train.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func ganImprovesSampleQuality() throws {
        let model = try Fixtures.gan.makeModel(hyperparameters: Fixtures.ganHyperparameters, seed: 1)
        let before = model.evaluate()
        try model.train(steps: 400)
        let after = model.evaluate()
        #expect(after > before, "−energy distance \(before) → \(after)")
    }

    @Test func energyDistanceOfTheTargetToItselfIsZero() {
        let gan = GAN()
        let quality = SampleQuality(generated: gan.evaluationTarget, reference: gan.evaluationTarget, target: gan.target)
        #expect(abs(quality.energyDistance) < 1e-9)
        #expect(quality.modesCovered == 8)
        #expect(quality.nearFraction == 1)
    }
}
