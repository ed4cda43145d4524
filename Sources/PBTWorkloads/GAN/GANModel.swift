import Foundation
import Neural
import PBT
import PBTRuntime

/// One `gan` member: generator, discriminator, their Adam optimizers and the training
/// generator for noise and target samples (see ``GAN``).
public final class GANModel: Trainable {
    let workload: GAN
    var generator: MLP
    var discriminator: MLP
    var generatorOptimizer: Adam
    var discriminatorOptimizer: Adam
    /// Draws noise and real samples.
    var rng: NeuralRNG
    /// Steps trained since creation.
    public internal(set) var updates = 0

    private var noise: [Float]
    private var real: [Float]
    private var fake: [Float]
    private var logits: [Float]
    private var logitGradient: [Float]
    private var fakeGradient: [Float]

    static func generatorSizes(_ w: GAN) -> [Int] { [w.noise, w.hidden, w.hidden, 2] }
    static func discriminatorSizes(_ w: GAN) -> [Int] { [2, w.hidden, w.hidden, 1] }

    init(workload: GAN, seed: UInt64) throws {
        self.workload = workload
        var seeder = NeuralRNG(seed: seed)
        let batch = workload.batchSize
        do {
            generator = try MLP(
                sizes: Self.generatorSizes(workload), activations: [.relu, .relu, .identity], seed: seeder.next(),
                maxBatch: batch)
            discriminator = try MLP(
                sizes: Self.discriminatorSizes(workload), activations: [.relu, .relu, .identity],
                seed: seeder.next(), maxBatch: batch)
        } catch {
            throw WorkloadError("gan: cannot build the networks: \(error.message)")
        }
        generatorOptimizer = Adam(parameterCount: generator.parameterCount, beta1: 0.5)
        discriminatorOptimizer = Adam(parameterCount: discriminator.parameterCount, beta1: 0.5)
        rng = NeuralRNG(seed: seeder.next())
        noise = [Float](repeating: 0, count: batch * workload.noise)
        real = [Float](repeating: 0, count: batch * 2)
        fake = real
        fakeGradient = real
        logits = [Float](repeating: 0, count: batch)
        logitGradient = logits
    }

    /// Reads `lr_d` and `lr_g` (see ``GAN``).
    /// - Throws: `WorkloadError` naming a bad or unknown hyperparameter.
    public func apply(_ hyperparameters: Hyperparameters) throws {
        var reader = HyperparameterReader(hyperparameters, workload: "gan")
        let lrD = try reader.number(GAN.ranges[0])
        let lrG = try reader.number(GAN.ranges[1])
        try reader.finish()
        discriminatorOptimizer.learningRate = Float(lrD)
        generatorOptimizer.learningRate = Float(lrG)
    }

    /// Trains `steps` steps: one discriminator update, then one generator update, each.
    /// - Complexity: O(steps × batch × parameters); no allocation.
    public func train(steps: Int) throws {
        let batch = workload.batchSize
        let scale = 1 / Float(batch)
        for _ in 0..<max(steps, 0) {
            // Discriminator: real → 1, fake → 0.
            sampleNoise()
            generator.forward(noise, batch: batch, output: &fake, training: true)
            real.withUnsafeMutableBufferPointer {
                workload.target.sample(count: batch, into: $0.baseAddress!, using: &rng)
            }
            discriminator.forward(real, batch: batch, output: &logits, training: true)
            for i in 0..<batch { logitGradient[i] = (sigmoid(logits[i]) - 1) * scale }
            discriminator.backward(outputGradient: logitGradient)
            discriminator.forward(fake, batch: batch, output: &logits, training: true)
            for i in 0..<batch { logitGradient[i] = sigmoid(logits[i]) * scale }
            discriminator.backward(outputGradient: logitGradient, accumulate: true)
            discriminatorOptimizer.update(&discriminator)
            // Generator: −log D(G(z)) through the discriminator's input gradient.
            sampleNoise()
            generator.forward(noise, batch: batch, output: &fake, training: true)
            discriminator.forward(fake, batch: batch, output: &logits, training: true)
            for i in 0..<batch { logitGradient[i] = (sigmoid(logits[i]) - 1) * scale }
            discriminator.backward(outputGradient: logitGradient, inputGradient: &fakeGradient)
            generator.backward(outputGradient: fakeGradient)
            generatorOptimizer.update(&generator)
            updates += 1
        }
    }

    private func sampleNoise() {
        for i in noise.indices { noise[i] = Float(rng.normal()) }
    }

    @inline(__always)
    private func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

    /// −(squared kernel distance) of the fixed evaluation draw's generated points to its target
    /// points (see ``GAN``).
    public func evaluate() -> Double {
        Self.score(
            KernelDistance.squared(
                evaluationSamples(), workload.evaluationTarget, referenceTerm: workload.evaluationTargetKernel))
    }

    /// The score, with `energy_distance`, `modes_covered` and `near_fraction` of the fixed
    /// evaluation draw (``SampleQuality``; a distance that is not finite is left out). The
    /// generator runs once and the kernel distance is computed once, for both.
    public func evaluation() -> Evaluation {
        let quality = sampleQuality()
        var metrics = ["modes_covered": Double(quality.modesCovered), "near_fraction": quality.nearFraction]
        if quality.energyDistance.isFinite { metrics["energy_distance"] = quality.energyDistance }
        return Evaluation(score: Self.score(quality.kernelDistance), metrics: Metrics(metrics))
    }

    /// The score of a squared kernel distance: its negative, −∞ when it is not finite.
    private static func score(_ distance: Double) -> Double {
        distance.isFinite ? -distance : -.infinity
    }

    /// The generator's fixed evaluation points, `evaluationSamples × 2`, row-major.
    public func evaluationSamples() -> [Float] {
        var copy = generator
        return copy.predict(workload.evaluationNoise, batch: workload.evaluationSamples)
    }

    /// Energy distance, modes covered and near fraction on the fixed evaluation draw.
    public func sampleQuality() -> SampleQuality {
        SampleQuality(
            generated: evaluationSamples(), reference: workload.evaluationTarget, target: workload.target,
            referenceTerm: workload.evaluationTargetKernel, referenceDistance: workload.evaluationTargetDistance)
    }
}
