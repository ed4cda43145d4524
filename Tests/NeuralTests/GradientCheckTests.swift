import Foundation
import Testing

@testable import Neural

/// Central finite differences against backpropagation, on small networks in Float32.
@Suite("Gradient checks")
struct GradientCheckTests {
    static let eps: Float = 1e-2

    /// `Σ output ⊙ projection` in Double, with the dropout generator reset to `rngState`.
    func projectedLoss(
        _ model: MLP, input: [Float], batch: Int, projection: [Float], training: Bool
    ) -> Double {
        var m = model
        var out = [Float]()
        m.forward(input, batch: batch, output: &out, training: training)
        var s = 0.0
        for i in 0..<projection.count { s += Double(out[i]) * Double(projection[i]) }
        return s
    }

    func check(
        activations: [Activation], sizes: [Int], dropout: Float = 0, training: Bool = false,
        seed: UInt64
    ) {
        var rng = NeuralRNG(seed: seed)
        let batch = 5
        var model = try! MLP(
            sizes: sizes, activations: activations, dropout: dropout, seed: seed, maxBatch: 2)
        // Non-zero biases so every code path is exercised.
        for layer in model.layers {
            for j in 0..<layer.outputs {
                model.parameters[layer.biasOffset + j] = (rng.nextFloat() - 0.5) * 0.2
            }
        }
        let input = randomFloats(batch * sizes[0], rng: &rng)
        let projection = randomFloats(batch * sizes.last!, rng: &rng)
        let start = model
        // Analytic gradients.
        var out = [Float]()
        model.forward(input, batch: batch, output: &out, training: training)
        var inputGradient = [Float]()
        model.backward(outputGradient: projection, inputGradient: &inputGradient)
        // Parameters.
        var worst = 0.0
        for i in 0..<model.parameterCount {
            var plus = start
            plus.parameters[i] += Self.eps
            var minus = start
            minus.parameters[i] -= Self.eps
            let numeric =
                (projectedLoss(plus, input: input, batch: batch, projection: projection, training: training)
                    - projectedLoss(minus, input: input, batch: batch, projection: projection, training: training))
                / (2 * Double(Self.eps))
            let analytic = Double(model.gradients[i])
            worst = max(worst, abs(numeric - analytic))
            #expect(
                close(numeric, analytic, relative: 2e-2, absolute: 2e-3),
                "\(activations) parameter \(i): numeric \(numeric), backprop \(analytic)")
        }
        // Inputs.
        for i in 0..<input.count {
            var plus = input
            plus[i] += Self.eps
            var minus = input
            minus[i] -= Self.eps
            let numeric =
                (projectedLoss(start, input: plus, batch: batch, projection: projection, training: training)
                    - projectedLoss(start, input: minus, batch: batch, projection: projection, training: training))
                / (2 * Double(Self.eps))
            #expect(
                close(numeric, Double(inputGradient[i]), relative: 2e-2, absolute: 2e-3),
                "\(activations) input \(i): numeric \(numeric), backprop \(inputGradient[i])")
        }
    }

    @Test("dense + relu + identity")
    func relu() { check(activations: [.relu, .identity], sizes: [6, 7, 3], seed: 1) }

    @Test("dense + tanh + sigmoid, three layers, widths across the 16-lane tile")
    func tanhSigmoid() {
        check(activations: [.tanh, .sigmoid, .tanh], sizes: [3, 19, 17, 2], seed: 2)
    }

    @Test("relu + tanh with dropout in training mode")
    func dropout() {
        check(
            activations: [.relu, .tanh, .identity], sizes: [4, 9, 8, 3], dropout: 0.3,
            training: true, seed: 3)
    }

    @Test("gradients accumulate across backward passes when asked")
    func accumulate() {
        var rng = NeuralRNG(seed: 4)
        var model = try! MLP(sizes: [3, 5, 2], activations: [.tanh, .identity], seed: 4)
        let x = randomFloats(6, rng: &rng)
        let g = randomFloats(4, rng: &rng)
        var out = [Float]()
        model.forward(x, batch: 2, output: &out)
        model.backward(outputGradient: g)
        let once = model.gradients
        model.backward(outputGradient: g, accumulate: true)
        for i in once.indices { #expect(abs(model.gradients[i] - 2 * once[i]) <= 1e-6) }
    }

    @Test("softmax cross-entropy gradient matches finite differences")
    func crossEntropy() {
        var rng = NeuralRNG(seed: 5)
        let classes = 4
        let labels = [0, 3, 1]
        let logits = randomFloats(labels.count * classes, scale: 3, rng: &rng)
        var gradient = [Float]()
        let loss = softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, gradient: &gradient)
        // Direct reference loss in Double.
        var ref = 0.0
        for (r, y) in labels.enumerated() {
            let row = (0..<classes).map { Double(logits[r * classes + $0]) }
            let logSum = Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +))
            ref += logSum - row[y]
        }
        ref /= Double(labels.count)
        #expect(close(Double(loss), ref, relative: 1e-6, absolute: 1e-6))
        var scratch = [Float]()
        for i in logits.indices {
            var plus = logits
            plus[i] += 1e-2
            var minus = logits
            minus[i] -= 1e-2
            let numeric =
                (Double(softmaxCrossEntropy(logits: plus, labels: labels, classes: classes, gradient: &scratch))
                    - Double(softmaxCrossEntropy(logits: minus, labels: labels, classes: classes, gradient: &scratch)))
                / 2e-2
            #expect(close(numeric, Double(gradient[i]), relative: 2e-2, absolute: 1e-3))
        }
    }

    @Test("MSE gradient matches finite differences")
    func meanSquared() {
        var rng = NeuralRNG(seed: 6)
        let prediction = randomFloats(12, rng: &rng)
        let target = randomFloats(12, rng: &rng)
        var gradient = [Float]()
        let loss = meanSquaredError(prediction: prediction, target: target, gradient: &gradient)
        let ref = zip(prediction, target).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / 12
        #expect(close(Double(loss), ref, relative: 1e-6, absolute: 1e-7))
        var scratch = [Float]()
        for i in prediction.indices {
            var plus = prediction
            plus[i] += 1e-2
            var minus = prediction
            minus[i] -= 1e-2
            let numeric =
                (Double(meanSquaredError(prediction: plus, target: target, gradient: &scratch))
                    - Double(meanSquaredError(prediction: minus, target: target, gradient: &scratch)))
                / 2e-2
            #expect(close(numeric, Double(gradient[i]), relative: 2e-2, absolute: 1e-4))
        }
    }

    @Test("sigmoid cross-entropy matches its definition and finite differences")
    func binaryCrossEntropy() {
        var rng = NeuralRNG(seed: 8)
        let logits = randomFloats(10, scale: 6, rng: &rng) + [40, -40]
        let targets = (0..<12).map { Float($0 % 2) }
        var gradient = [Float]()
        let loss = sigmoidCrossEntropy(logits: logits, targets: targets, gradient: &gradient)
        var ref = 0.0
        for (x, t) in zip(logits.map(Double.init), targets.map(Double.init)) {
            // log σ(x) = -log(1 + e^-x), log(1 - σ(x)) = -log(1 + e^x); exact in Double here.
            ref += t * Foundation.log1p(Foundation.exp(-x)) + (1 - t) * Foundation.log1p(Foundation.exp(x))
        }
        ref /= 12
        #expect(close(Double(loss), ref, relative: 1e-5, absolute: 1e-6))
        var scratch = [Float]()
        for i in logits.indices {
            var plus = logits
            plus[i] += 1e-2
            var minus = logits
            minus[i] -= 1e-2
            let numeric =
                (Double(sigmoidCrossEntropy(logits: plus, targets: targets, gradient: &scratch))
                    - Double(sigmoidCrossEntropy(logits: minus, targets: targets, gradient: &scratch)))
                / 2e-2
            #expect(close(numeric, Double(gradient[i]), relative: 2e-2, absolute: 1e-4))
        }
    }

    @Test("softmax and log-softmax agree and sum to one")
    func softmaxRows() {
        var rng = NeuralRNG(seed: 7)
        let logits = randomFloats(15, scale: 5, rng: &rng)
        var p = [Float]()
        var logp = [Float]()
        softmax(logits: logits, classes: 5, into: &p)
        logSoftmax(logits: logits, classes: 5, into: &logp)
        for r in 0..<3 {
            let sum = (0..<5).map { Double(p[r * 5 + $0]) }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-6)
        }
        for i in p.indices { #expect(abs(Foundation.log(p[i]) - logp[i]) < 1e-5) }
    }
}
