import Foundation
import Testing

@testable import Neural

@Suite("Optimizers")
struct OptimizerTests {
    @Test("Adam's first step moves each weight by lr · sign(g)")
    func adamFirstStep() {
        var adam = Adam(parameterCount: 3, learningRate: 0.1)
        var p: [Float] = [1, -2, 0.5]
        adam.update(&p, gradients: [0.1, -0.3, 0])
        #expect(abs(p[0] - 0.9) < 1e-6)
        #expect(abs(p[1] - -1.9) < 1e-6)
        #expect(p[2] == 0.5)
        #expect(adam.step == 1)
    }

    @Test("Adam with decoupled weight decay matches the update rule computed in Double")
    func adamSteps() {
        let count = 37  // a vector body and a scalar tail
        var rng = NeuralRNG(seed: 11)
        var p = randomFloats(count, rng: &rng)
        let (lr, b1, b2, eps, wd) = (0.01, 0.8, 0.99, 1e-6, 0.1)
        var adam = Adam(
            parameterCount: count, learningRate: Float(lr), beta1: Float(b1), beta2: Float(b2),
            epsilon: Float(eps), weightDecay: Float(wd))
        var ref = p.map(Double.init)
        var m = [Double](repeating: 0, count: count)
        var v = m
        for t in 1...5 {
            let g = randomFloats(count, rng: &rng)
            adam.update(&p, gradients: g)
            for i in 0..<count {
                let gi = Double(g[i])
                ref[i] *= 1 - lr * wd
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                let mhat = m[i] / (1 - pow(b1, Double(t)))
                let vhat = v[i] / (1 - pow(b2, Double(t)))
                ref[i] -= lr * mhat / (vhat.squareRoot() + eps)
            }
        }
        for i in 0..<count {
            #expect(close(Double(p[i]), ref[i], relative: 1e-5, absolute: 1e-6), "param \(i)")
        }
    }

    @Test("SGD: plain, L2 weight decay, momentum and Nesterov match hand-computed values")
    func sgd() {
        var plain = SGD(parameterCount: 1, learningRate: 0.1, weightDecay: 0.1)
        var p: [Float] = [1]
        plain.update(&p, gradients: [0.5])
        #expect(abs(p[0] - 0.94) < 1e-6)

        var heavy = SGD(parameterCount: 1, learningRate: 0.1, momentum: 0.9)
        p = [1]
        heavy.update(&p, gradients: [0.5])
        #expect(abs(p[0] - 0.95) < 1e-6)
        heavy.update(&p, gradients: [0.5])
        #expect(abs(p[0] - 0.855) < 1e-6)

        var nesterov = SGD(parameterCount: 1, learningRate: 0.1, momentum: 0.9, nesterov: true)
        p = [1]
        nesterov.update(&p, gradients: [0.5])
        #expect(abs(p[0] - 0.905) < 1e-6)
        nesterov.update(&p, gradients: [0.5])
        #expect(abs(p[0] - 0.7695) < 1e-6)
    }

    @Test("gradient clipping scales to the requested norm")
    func clipping() {
        var model = try! MLP(sizes: [2, 2], activations: [.identity], seed: 1)
        model.gradients = [3, 4, 0, 0, 0, 0]
        let before = model.clipGradientNorm(to: 1)
        #expect(abs(before - 5) < 1e-6)
        #expect(abs(model.gradientNorm() - 1) < 1e-6)
        #expect(abs(model.gradients[0] - 0.6) < 1e-6)
    }
}

@Suite("Training")
struct TrainingTests {
    /// Data from a known linear map `y = x · W + b`.
    func linearData(rng: inout NeuralRNG) -> (x: [Float], y: [Float], w: [Float], b: [Float]) {
        let w: [Float] = [0.5, -1.5, 2.0, 0.25, -0.75, 1.0]  // 3×2
        let b: [Float] = [0.3, -0.2]
        let batch = 32
        let x = randomFloats(batch * 3, rng: &rng)
        var y = [Float](repeating: 0, count: batch * 2)
        for r in 0..<batch {
            for j in 0..<2 {
                var s = b[j]
                for i in 0..<3 { s += x[r * 3 + i] * w[i * 2 + j] }
                y[r * 2 + j] = s
            }
        }
        return (x, y, w, b)
    }

    @Test("linear regression recovers the generating weights (Adam and SGD)")
    func linearRegression() {
        for useAdam in [true, false] {
            var rng = NeuralRNG(seed: 21)
            let data = linearData(rng: &rng)
            var model = try! MLP(sizes: [3, 2], activations: [.identity], seed: 5)
            var adam = Adam(parameterCount: model.parameterCount, learningRate: 0.05)
            var sgd = SGD(parameterCount: model.parameterCount, learningRate: 0.1, momentum: 0.9)
            var out = [Float]()
            var grad = [Float]()
            var loss: Float = 1
            for _ in 0..<600 {
                model.forward(data.x, batch: 32, output: &out, training: true)
                loss = meanSquaredError(prediction: out, target: data.y, gradient: &grad)
                model.backward(outputGradient: grad)
                if useAdam { adam.update(&model) } else { sgd.update(&model) }
            }
            #expect(loss < 1e-6, "final loss \(loss)")
            let layer = model.layers[0]
            for i in 0..<6 {
                #expect(abs(model.parameters[layer.weightOffset + i] - data.w[i]) < 2e-3)
            }
            for j in 0..<2 {
                #expect(abs(model.parameters[layer.biasOffset + j] - data.b[j]) < 2e-3)
            }
        }
    }

    @Test("a small classifier with dropout and AdamW separates three blobs")
    func classifier() {
        var rng = NeuralRNG(seed: 31)
        let centers: [(Float, Float)] = [(0, 2), (2, -1), (-2, -1)]
        var x: [Float] = []
        var y: [Int] = []
        for i in 0..<96 {
            let c = i % 3
            x += [centers[c].0 + Float(rng.normal()) * 0.4, centers[c].1 + Float(rng.normal()) * 0.4]
            y.append(c)
        }
        var model = try! MLP(
            sizes: [2, 16, 3], activations: [.relu, .identity], dropout: 0.1, seed: 3)
        var adam = Adam(parameterCount: model.parameterCount, learningRate: 0.02, weightDecay: 1e-3)
        var logits = [Float]()
        var grad = [Float]()
        for _ in 0..<200 {
            model.forward(x, batch: 96, output: &logits, training: true)
            softmaxCrossEntropy(logits: logits, labels: y, classes: 3, gradient: &grad)
            model.backward(outputGradient: grad)
            adam.update(&model)
        }
        let predicted = model.predict(x, batch: 96)
        #expect(accuracy(logits: predicted, labels: y, classes: 3) > 0.95)
    }

    @Test("an MLP is a value: training a copy leaves the original unchanged")
    func copies() {
        var rng = NeuralRNG(seed: 41)
        let a = try! MLP(sizes: [4, 8, 2], activations: [.tanh, .identity], seed: 1)
        var b = a.copy()
        var adam = Adam(parameterCount: b.parameterCount)
        let x = randomFloats(8, rng: &rng)
        var out = [Float]()
        b.forward(x, batch: 2, output: &out)
        b.backward(outputGradient: [1, 1, 1, 1])
        adam.update(&b)
        #expect(a.parameters != b.parameters)
        var c = try! MLP(sizes: [4, 8, 2], activations: [.tanh, .identity], seed: 2)
        try! c.loadParameters(from: b)
        #expect(c.parameters == b.parameters)
        var wrong = try! MLP(sizes: [4, 9, 2], activations: [.tanh, .identity], seed: 2)
        #expect(throws: NeuralError.self) { try wrong.loadParameters(from: b) }
    }

    @Test("same seed, same training, same bits; batch larger than maxBatch grows the workspace")
    func determinism() {
        func run() -> [Float] {
            var rng = NeuralRNG(seed: 51)
            var model = try! MLP(
                sizes: [5, 12, 4], activations: [.relu, .identity], dropout: 0.25, seed: 9,
                maxBatch: 4)
            var adam = Adam(parameterCount: model.parameterCount)
            let x = randomFloats(10 * 5, rng: &rng)
            let y = (0..<10).map { $0 % 4 }
            var out = [Float]()
            var grad = [Float]()
            for _ in 0..<20 {
                model.forward(x, batch: 10, output: &out, training: true)
                softmaxCrossEntropy(logits: out, labels: y, classes: 4, gradient: &grad)
                model.backward(outputGradient: grad)
                adam.update(&model)
            }
            return model.parameters
        }
        let first = run()
        #expect(first.map(\.bitPattern) == run().map(\.bitPattern))
    }

    @Test("dropout assigned out of range is clamped and still serializes")
    func dropoutClamp() throws {
        var model = try MLP(sizes: [3, 4, 2], activations: [.relu, .identity], seed: 1)
        model.dropout = 2
        #expect(model.dropout == 0.999)
        model.dropout = .nan
        #expect(model.dropout == 0)
        model.dropout = -1
        #expect(model.dropout == 0)
        model.dropout = 0.5
        let restored = try MLP(serialized: model.serialize())
        #expect(restored.dropout == 0.5)
    }

    @Test("configuration errors throw with a message naming the bad value")
    func badConfiguration() {
        #expect(throws: NeuralError.self) {
            _ = try MLP(sizes: [4], activations: [], seed: 1)
        }
        #expect(throws: NeuralError.self) {
            _ = try MLP(sizes: [4, 0, 2], activations: [.relu, .identity], seed: 1)
        }
        #expect(throws: NeuralError.self) {
            _ = try MLP(sizes: [4, 2], activations: [.relu, .identity], seed: 1)
        }
        do {
            _ = try MLP(sizes: [4, 2], activations: [.identity], dropout: 1.5, seed: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("1.5"))
        }
    }
}
