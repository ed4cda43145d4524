import Neural
import PBT
import PBTRuntime

/// The `gan` workload: a generator and a discriminator MLP (two hidden ReLU layers each)
/// learning the ``RingOfGaussians`` (8 modes on a circle of radius 2, σ = 0.02 by default).
///
/// Non-saturating GAN losses (Goodfellow et al. 2014): the discriminator minimises the binary
/// cross-entropy of real samples against 1 and generated ones against 0; the generator
/// minimises −log D(G(z)), with z standard normal. Both use Adam with β1 = 0.5, β2 = 0.999.
/// One training **step** is one discriminator update then one generator update, each on a
/// fresh batch of ``batchSize`` noise vectors (and real samples for the discriminator).
///
/// Hyperparameters (optional; a missing one takes its default):
/// - `lr_d`: discriminator learning rate, in (0, 1]; default 1e-3.
/// - `lr_g`: generator learning rate, in (0, 1]; default 1e-3.
///
/// Score: the negative squared multi-scale kernel distance (MMD², see ``KernelDistance``)
/// between ``evaluationSamples`` generated points and as many target points, both drawn from a
/// fixed evaluation generator (the same noise and targets at every evaluation, independent of the member) — higher is
/// better, 0 is perfect. Fixed draws make the score a deterministic function of the weights;
/// 1,024 of them (the default) keep the estimator's own noise — the spread of the score of
/// one generator over independent draws, which `pbt bench gan` measures — well below the
/// differences between members that selection acts on. ``sampleQuality(checkpoint:)`` also
/// reports modes covered.
public struct GAN: Workload {
    /// Seed of the evaluation generator.
    public static let evaluationSeed: UInt64 = 0x6A4E_E7A1

    /// Width of each of the two hidden layers of both networks.
    public let hidden: Int
    /// Dimension of the generator's input noise.
    public let noise: Int
    /// Noise vectors (and real samples) per update.
    public let batchSize: Int
    /// The target distribution.
    public let target: RingOfGaussians
    /// Points generated, and target points drawn, for the score.
    public let evaluationSamples: Int
    /// The evaluation noise (`evaluationSamples × noise`) and target points
    /// (`evaluationSamples × 2`).
    let evaluationNoise: [Float]
    let evaluationTarget: [Float]
    /// `KernelDistance.meanKernel(evaluationTarget, evaluationTarget)`, computed once.
    let evaluationTargetKernel: Double
    /// `SampleQuality.meanDistance(evaluationTarget, evaluationTarget)`, computed once.
    let evaluationTargetDistance: Double

    /// Creates the workload.
    /// - Parameters:
    ///   - hidden: hidden width, 1...1024 (option `hidden`, default 128).
    ///   - noise: noise dimension, 1...256 (option `noise`, default 4).
    ///   - batchSize: batch, 1...4096 (option `batch`, default 64).
    ///   - target: the ring (options `radius`, default 2, and `std`, default 0.02).
    ///   - evaluationSamples: points per evaluation, 16...65536 (option `eval_samples`, default
    ///     1,024).
    ///   - evaluationSeed: seed of the fixed evaluation draw (`pbt bench gan` varies it to
    ///     measure the score's own noise).
    public init(
        hidden: Int = 128, noise: Int = 4, batchSize: Int = 64, target: RingOfGaussians = RingOfGaussians(),
        evaluationSamples: Int = 1024, evaluationSeed: UInt64 = GAN.evaluationSeed
    ) {
        self.hidden = hidden
        self.noise = noise
        self.batchSize = batchSize
        self.target = target
        self.evaluationSamples = evaluationSamples
        var rng = NeuralRNG(seed: evaluationSeed)
        let count = evaluationSamples
        evaluationNoise = (0..<(count * noise)).map { _ in Float(rng.normal()) }
        var points = [Float](repeating: 0, count: 2 * count)
        points.withUnsafeMutableBufferPointer { target.sample(count: count, into: $0.baseAddress!, using: &rng) }
        evaluationTarget = points
        evaluationTargetKernel = KernelDistance.meanKernel(points, points)
        evaluationTargetDistance = SampleQuality.meanDistance(points, points)
    }

    /// `lr_d` and `lr_g`: Adam's steps for the discriminator and the generator.
    static let ranges = [
        HyperparameterRange("lr_d", 1e-12...1, default: 1e-3), HyperparameterRange("lr_g", 1e-12...1, default: 1e-3),
    ]

    /// `lr_d`, `lr_g`.
    public var hyperparameterNames: [String] { Self.ranges.map(\.name) }

    /// See `ranges`.
    public var hyperparameterRanges: [HyperparameterRange] { Self.ranges }

    /// A fresh pair of networks.
    /// - Throws: `WorkloadError` for a bad hyperparameter.
    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
        try makeModel(hyperparameters: hyperparameters, seed: seed)
    }

    /// A fresh pair of networks, synchronously.
    /// - Throws: `WorkloadError` for a bad hyperparameter.
    public func makeModel(hyperparameters: Hyperparameters, seed: UInt64) throws -> GANModel {
        let model = try GANModel(workload: self, seed: seed)
        try model.apply(hyperparameters)
        return model
    }

    /// Energy distance, modes covered and near fraction of the member saved in `checkpoint`.
    /// - Throws: `WorkloadError` when the bytes are not a checkpoint of this workload.
    public func sampleQuality(checkpoint: [UInt8]) throws -> SampleQuality {
        let model = try GANModel(workload: self, seed: 0)
        try model.restore(from: checkpoint)
        return model.sampleQuality()
    }

    /// The same workload with another fixed evaluation draw.
    public func withEvaluationSeed(_ seed: UInt64) -> GAN {
        GAN(
            hidden: hidden, noise: noise, batchSize: batchSize, target: target, evaluationSamples: evaluationSamples,
            evaluationSeed: seed)
    }

    /// Reads the workload's options: `hidden`, `noise`, `batch`, `radius`, `std`, `eval_samples`.
    static func make(_ options: inout WorkloadOptions) throws -> GAN {
        let hidden = try options.integer("hidden", default: 128, in: 1...1024)
        let noise = try options.integer("noise", default: 4, in: 1...256)
        let batch = try options.integer("batch", default: 64, in: 1...4096)
        let radius = try options.number("radius", default: 2, in: 1e-3...1e3)
        let std = try options.number("std", default: 0.02, in: 1e-6...1e3)
        let samples = try options.integer("eval_samples", default: 1024, in: 16...65536)
        return GAN(
            hidden: hidden, noise: noise, batchSize: batch,
            target: RingOfGaussians(radius: radius, standardDeviation: std), evaluationSamples: samples)
    }
}
