import Neural
import PBT
import PBTRuntime

/// What a built-in classification workload trains: its data, the network's hidden widths, the
/// minibatch size, and the names its checkpoints and messages carry.
struct ClassifierSetup: Sendable {
    /// The workload's name, for messages (`digits`, `signals`).
    let workload: String
    /// The checkpoint's 4-byte tag.
    let tag: StaticString
    /// Train, validation and test rows.
    let data: ClassificationData
    /// Widths of the hidden ReLU layers.
    let hidden: [Int]
    /// Rows per minibatch.
    let batchSize: Int

    /// The network's layer widths, input first.
    var sizes: [Int] { [data.features] + hidden + [data.classes] }
}

/// One member of a built-in classification workload (`digits`, `signals`): an MLP with ReLU
/// hidden layers and dropout, its AdamW optimizer, the shuffling generator and the position in
/// the current epoch.
///
/// Hyperparameters (all optional; a missing one takes its default):
/// - `lr`: Adam learning rate, in (0, 1]; default 1e-3.
/// - `weight_decay`: decoupled weight decay (AdamW), in [0, 1]; default 1e-4.
/// - `dropout`: probability of dropping a hidden unit, in [0, 0.95]; default 0.1.
///
/// One training step is one minibatch drawn without replacement from a per-epoch shuffle of
/// the training rows. The score is accuracy on the validation rows.
public final class MLPClassifier: Trainable {
    let setup: ClassifierSetup
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
    /// The summed mean cross-entropy of the minibatches trained since the last evaluation
    /// (or restore), and their count: the `train_loss` metric.
    var trainLoss = (sum: 0.0, batches: 0)

    private var batchValues: [Float]
    private var batchLabels: [Int]
    private var logits: [Float]
    private var gradient: [Float]

    init(setup: ClassifierSetup, seed: UInt64) throws {
        self.setup = setup
        var seeder = NeuralRNG(seed: seed)
        let activations = [Activation](repeating: .relu, count: setup.hidden.count) + [.identity]
        do {
            model = try MLP(
                sizes: setup.sizes, activations: activations, seed: seeder.next(), maxBatch: setup.batchSize)
        } catch {
            throw WorkloadError("\(setup.workload): cannot build the network: \(error.message)")
        }
        optimizer = Adam(parameterCount: model.parameterCount)
        rng = NeuralRNG(seed: seeder.next())
        order = Array(0..<setup.data.train.count)
        order.fisherYatesShuffle(using: &rng)
        let batch = setup.batchSize
        batchValues = [Float](repeating: 0, count: batch * setup.data.features)
        batchLabels = [Int](repeating: 0, count: batch)
        logits = [Float](repeating: 0, count: batch * setup.data.classes)
        gradient = logits
    }

    /// `lr` (AdamW's step), `weight_decay` (AdamW's decoupled decay), `dropout` (the hidden
    /// layers' drop probability).
    static let ranges = [
        HyperparameterRange("lr", 1e-12...1, default: 1e-3), HyperparameterRange("weight_decay", 0...1, default: 1e-4),
        HyperparameterRange("dropout", 0...0.95, default: 0.1),
    ]

    /// Reads `lr`, `weight_decay` and `dropout`.
    /// - Throws: `WorkloadError` naming a bad or unknown hyperparameter.
    public func apply(_ hyperparameters: Hyperparameters) throws {
        var reader = HyperparameterReader(hyperparameters, workload: setup.workload)
        let lr = try reader.number(Self.ranges[0])
        let weightDecay = try reader.number(Self.ranges[1])
        let dropout = try reader.number(Self.ranges[2])
        try reader.finish()
        optimizer.learningRate = Float(lr)
        optimizer.weightDecay = Float(weightDecay)
        model.dropout = Float(dropout)
    }

    /// Trains `steps` minibatches.
    /// - Complexity: O(steps × batch × parameters); no allocation.
    public func train(steps: Int) throws {
        let train = setup.data.train
        let batch = setup.batchSize
        let features = train.features
        for _ in 0..<max(steps, 0) {
            batchValues.withUnsafeMutableBufferPointer { x in
                train.values.withUnsafeBufferPointer { source in
                    for r in 0..<batch {
                        if cursor == order.count {
                            order.fisherYatesShuffle(using: &rng)
                            cursor = 0
                        }
                        let row = order[cursor]
                        cursor += 1
                        (x.baseAddress! + r * features).update(
                            from: source.baseAddress! + row * features, count: features)
                        batchLabels[r] = train.labels[row]
                    }
                }
            }
            model.forward(batchValues, batch: batch, output: &logits, training: true)
            let loss = softmaxCrossEntropy(
                logits: logits, labels: batchLabels, classes: setup.data.classes, gradient: &gradient)
            trainLoss.sum += Double(loss)
            trainLoss.batches += 1
            model.backward(outputGradient: gradient)
            optimizer.update(&model)
            updates += 1
        }
    }

    /// Accuracy on the validation rows (no dropout; the training generators are not used).
    public func evaluate() -> Double {
        accuracy(on: setup.data.validation)
    }

    /// The validation accuracy, with `train_loss` (the mean cross-entropy of the minibatches
    /// trained since the last evaluation; absent before the first, or when training diverged
    /// to a loss that is not finite) and `test_accuracy` (on the test rows, which neither
    /// training nor selection reads). Starts the next `train_loss` average.
    public func evaluation() -> Evaluation {
        var metrics = ["test_accuracy": testAccuracy()]
        let mean = trainLoss.sum / Double(trainLoss.batches)
        if trainLoss.batches > 0, mean.isFinite { metrics["train_loss"] = mean }
        trainLoss = (0, 0)
        return Evaluation(score: evaluate(), metrics: Metrics(metrics))
    }

    /// Accuracy on the held-out test rows.
    public func testAccuracy() -> Double {
        accuracy(on: setup.data.test)
    }

    private func accuracy(on rows: LabeledRows) -> Double {
        var copy = model
        let logits = copy.predict(rows.values, batch: rows.count)
        return Double(Neural.accuracy(logits: logits, labels: rows.labels, classes: setup.data.classes))
    }
}
