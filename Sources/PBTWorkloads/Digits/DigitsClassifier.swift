import Neural
import PBT
import PBTRuntime

/// One `digits` member: the MLP (with its dropout generator), its Adam optimizer, the
/// shuffling generator and the position in the current epoch (see ``Digits``).
public final class DigitsClassifier: Trainable {
    let workload: Digits
    var model: MLP
    var optimizer: Adam
    /// Shuffles the training rows at each epoch.
    var rng: NeuralRNG
    /// The current epoch's order of training rows.
    var order: [Int]
    /// Rows of `order` already used.
    var cursor = 0
    /// Minibatches trained since creation.
    public internal(set) var updates = 0

    private var batchPixels: [Float]
    private var batchLabels: [Int]
    private var logits: [Float]
    private var gradient: [Float]

    init(workload: Digits, seed: UInt64) throws {
        self.workload = workload
        var seeder = NeuralRNG(seed: seed)
        do {
            model = try MLP(
                sizes: Self.sizes(workload), activations: [.relu, .identity], seed: seeder.next(),
                maxBatch: workload.batchSize)
        } catch {
            throw WorkloadError("digits: cannot build the network: \(error.message)")
        }
        optimizer = Adam(parameterCount: model.parameterCount)
        rng = NeuralRNG(seed: seeder.next())
        order = Array(0..<workload.split.train.count)
        order.fisherYatesShuffle(using: &rng)
        let batch = workload.batchSize
        batchPixels = [Float](repeating: 0, count: batch * DigitsDataset.features)
        batchLabels = [Int](repeating: 0, count: batch)
        logits = [Float](repeating: 0, count: batch * DigitsDataset.classes)
        gradient = logits
    }

    static func sizes(_ workload: Digits) -> [Int] {
        [DigitsDataset.features, workload.hidden, DigitsDataset.classes]
    }

    /// Reads `lr`, `weight_decay` and `dropout` (see ``Digits``).
    /// - Throws: `WorkloadError` naming a bad or unknown hyperparameter.
    public func apply(_ hyperparameters: Hyperparameters) throws {
        var reader = HyperparameterReader(hyperparameters, workload: "digits")
        let lr = try reader.number("lr", default: 1e-3, in: 1e-12...1)
        let weightDecay = try reader.number("weight_decay", default: 1e-4, in: 0...1)
        let dropout = try reader.number("dropout", default: 0.1, in: 0...0.95)
        try reader.finish()
        optimizer.learningRate = Float(lr)
        optimizer.weightDecay = Float(weightDecay)
        model.dropout = Float(dropout)
    }

    /// Trains `steps` minibatches.
    /// - Complexity: O(steps × batch × parameters); no allocation.
    public func train(steps: Int) throws {
        let train = workload.split.train
        let batch = workload.batchSize
        let features = DigitsDataset.features
        for _ in 0..<max(steps, 0) {
            batchPixels.withUnsafeMutableBufferPointer { x in
                train.pixels.withUnsafeBufferPointer { source in
                    for r in 0..<batch {
                        if cursor == order.count {
                            order.fisherYatesShuffle(using: &rng)
                            cursor = 0
                        }
                        let row = order[cursor]
                        cursor += 1
                        (x.baseAddress! + r * features).update(from: source.baseAddress! + row * features, count: features)
                        batchLabels[r] = train.labels[row]
                    }
                }
            }
            model.forward(batchPixels, batch: batch, output: &logits, training: true)
            softmaxCrossEntropy(logits: logits, labels: batchLabels, classes: DigitsDataset.classes, gradient: &gradient)
            model.backward(outputGradient: gradient)
            optimizer.update(&model)
            updates += 1
        }
    }

    /// Accuracy on the validation rows (no dropout; the training generators are not used).
    public func evaluate() -> Double {
        accuracy(on: workload.split.validation)
    }

    /// Accuracy on the held-out test rows.
    public func testAccuracy() -> Double {
        accuracy(on: workload.split.test)
    }

    private func accuracy(on part: DigitsSplit.Part) -> Double {
        var copy = model
        let logits = copy.predict(part.pixels, batch: part.count)
        return Double(Neural.accuracy(logits: logits, labels: part.labels, classes: DigitsDataset.classes))
    }
}
