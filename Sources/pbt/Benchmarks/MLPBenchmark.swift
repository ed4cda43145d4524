import Foundation
import Neural

/// The outcome of ``runMLPBenchmark(seconds:seed:)``. Its JSON form uses the same keys as
/// `benchmarks/numpy_mlp.py` (`steps_per_second`, ...), which `benchmarks/mlp.sh` reads.
struct MLPBenchmarkResult: Sendable, Codable {
    /// Always `"swift"` (the numpy script reports `"numpy"`).
    var implementation = "swift"
    /// Training steps completed in the timed phase.
    var steps: Int
    /// Wall-clock seconds of the timed phase.
    var seconds: Double
    /// `steps / seconds`.
    var stepsPerSecond: Double
    /// Mean cross-entropy of the last batch (a sanity check that training happened).
    var finalLoss: Float

    enum CodingKeys: String, CodingKey {
        case implementation, steps, seconds
        case stepsPerSecond = "steps_per_second"
        case finalLoss = "final_loss"
    }
}

/// Trains the digits-shaped MLP (64-128-10, ReLU, softmax cross-entropy, Adam lr 1e-3,
/// batch 64, no dropout) on one thread for about `seconds` seconds after a short warm-up, and
/// reports training steps per second.
///
/// The data are 2,048 random inputs in `[0, 1)` with random labels, cycled in order — the same
/// model, shapes and update as `benchmarks/numpy_mlp.py`, the numpy reference it is compared
/// against (timing does not depend on the values).
func runMLPBenchmark(seconds: Double, seed: UInt64 = 0) -> MLPBenchmarkResult {
    let inputs = 64
    let classes = 10
    let batch = 64
    let batches = 32
    var rng = NeuralRNG(seed: seed)
    let xs: [[Float]] = (0..<batches).map { _ in
        (0..<(batch * inputs)).map { _ in rng.nextFloat() }
    }
    let ys: [[Int]] = (0..<batches).map { _ in
        (0..<batch).map { _ in Int(rng.next() % UInt64(classes)) }
    }
    // Sizes are constants, so construction cannot fail.
    var model = try! MLP(
        sizes: [inputs, 128, classes], activations: [.relu, .identity], seed: seed,
        maxBatch: batch)
    var adam = Adam(parameterCount: model.parameterCount, learningRate: 1e-3)
    var logits = [Float](repeating: 0, count: batch * classes)
    var gradient = logits
    var steps = 0
    var loss: Float = 0

    func train(for duration: Double) -> (steps: Int, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        var done = 0
        while true {
            for _ in 0..<100 {
                let k = steps % batches
                model.forward(xs[k], batch: batch, output: &logits, training: true)
                loss = softmaxCrossEntropy(
                    logits: logits, labels: ys[k], classes: classes, gradient: &gradient)
                model.backward(outputGradient: gradient)
                adam.update(&model)
                steps += 1
                done += 1
            }
            let elapsed = clock.now - start
            let secs =
                Double(elapsed.components.seconds)
                + Double(elapsed.components.attoseconds) * 1e-18
            if secs >= duration { return (done, secs) }
        }
    }

    _ = train(for: min(0.5, seconds))
    let timed = train(for: seconds)
    return MLPBenchmarkResult(
        steps: timed.steps, seconds: timed.seconds,
        stepsPerSecond: Double(timed.steps) / timed.seconds, finalLoss: loss)
}
