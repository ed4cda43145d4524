import Foundation
import PBT
import PBTWorkloads

/// How trustworthy the `gan` score is for selection: the score's own noise (the spread of one
/// generator's score over independent evaluation draws) beside the differences between
/// members that selection acts on (the spread of the members' scores on the fixed draw).
struct GANScoreNoise: Sendable {
    /// One evaluation size's measurement.
    struct Row: Sendable {
        /// Points per evaluation.
        var samples: Int
        /// Median over members of the standard deviation of a member's score over the draws.
        var scoreNoise: Double
        /// Standard deviation of the members' scores on the workload's fixed draw.
        var memberSpread: Double
        /// Median absolute difference between two members' scores on the fixed draw.
        var pairDifference: Double
    }

    var members: Int
    var steps: Int
    var draws: Int
    var rows: [Row]

    /// Trains `members` generators with learning rates drawn log-uniformly from [1e-5, 1e-2]
    /// (the example's domain) for `steps` steps, then scores each on `draws` independent
    /// evaluation draws of every size in `sizes`.
    static func measure(members: Int, steps: Int, draws: Int, sizes: [Int], seed: UInt64 = 0) throws -> GANScoreNoise {
        var random = PBTRandom(seed: seed)
        let space = try SearchSpace([
            "lr_d": .logUniform(lower: 1e-5, upper: 1e-2), "lr_g": .logUniform(lower: 1e-5, upper: 1e-2),
        ])
        var models: [GANModel] = []
        for member in 0..<members {
            let model = try GAN().makeModel(hyperparameters: space.sample(using: &random), seed: UInt64(member))
            try model.train(steps: steps)
            models.append(model)
        }
        let checkpoints = models.map { $0.save() }
        var rows: [Row] = []
        for size in sizes {
            let fixed = GAN(evaluationSamples: size)
            let fixedScores = try checkpoints.map { -(try fixed.sampleQuality(checkpoint: $0).kernelDistance) }
            var noise: [Double] = []
            for checkpoint in checkpoints {
                let scores = try (0..<UInt64(draws)).map { draw in
                    -(try fixed.withEvaluationSeed(0xD1CE &+ draw).sampleQuality(checkpoint: checkpoint).kernelDistance)
                }
                noise.append(standardDeviation(scores))
            }
            var differences: [Double] = []
            for i in fixedScores.indices {
                for j in fixedScores.indices where j > i { differences.append(abs(fixedScores[i] - fixedScores[j])) }
            }
            rows.append(
                Row(
                    samples: size, scoreNoise: SampleSummary(noise)?.median ?? .nan,
                    memberSpread: standardDeviation(fixedScores),
                    pairDifference: SampleSummary(differences)?.median ?? .nan))
        }
        return GANScoreNoise(members: members, steps: steps, draws: draws, rows: rows)
    }

    private static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }
}
