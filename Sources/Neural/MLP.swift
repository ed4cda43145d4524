/// A multilayer perceptron: a stack of ``Dense`` layers with activations and optional dropout,
/// owning contiguous parameter, gradient and workspace buffers.
///
/// `MLP` is a value: `var b = a` copies the weights, the random generator and the hyperparameters
/// (the arrays are copied on first write), which is what PBT's exploit step needs. Training
/// allocates nothing per step once the workspace has grown to the largest batch seen.
///
/// A training step:
/// ```swift
/// var model = try MLP(sizes: [64, 128, 10], activations: [.relu, .identity], seed: 1)
/// var adam = Adam(parameterCount: model.parameterCount, learningRate: 1e-3)
/// var logits = [Float](repeating: 0, count: 64 * 10)
/// var gradient = logits
/// model.forward(x, batch: 64, output: &logits, training: true)
/// let loss = softmaxCrossEntropy(logits: logits, labels: y, classes: 10, gradient: &gradient)
/// model.backward(outputGradient: gradient)
/// adam.update(&model)
/// ```
public struct MLP: Sendable {
    /// The layers, input to output.
    public let layers: [Dense]
    /// All weights and biases, layer after layer (see ``Dense`` for the layout).
    public var parameters: [Float]
    /// Gradients of the last ``backward(outputGradient:inputGradient:accumulate:)-([Float],_,_)``, same layout.
    public var gradients: [Float]
    /// Probability of zeroing each hidden unit in training mode (inverted dropout; the output
    /// layer is never dropped). Assigned values are clamped to `[0, 0.999]` (NaN becomes 0), so
    /// a hyperparameter explored out of range cannot break the model.
    public var dropout: Float {
        didSet {
            if dropout.isNaN || dropout < 0 {
                dropout = 0
            } else if dropout > 0.999 {
                dropout = 0.999
            }
        }
    }
    /// The generator for dropout masks. Part of the model state: serialized and copied with it.
    public var rng: NeuralRNG

    var layout: WorkspaceLayout
    var workspace: [Float]
    /// Batch size of the last forward pass (0 before the first).
    var lastBatch = 0
    /// Whether the last forward pass applied dropout masks.
    var lastDropped = false

    /// Creates a network with seeded random weights and zero biases.
    ///
    /// Weights are drawn from a normal distribution with standard deviation `sqrt(2 / inputs)`
    /// for ReLU layers (He) and `sqrt(1 / inputs)` otherwise (LeCun).
    /// - Parameters:
    ///   - sizes: layer widths, input first: `[64, 128, 10]` is one hidden layer of 128.
    ///   - activations: one per layer (`sizes.count - 1` values).
    ///   - dropout: dropout probability for hidden layers in training mode, in `[0, 1)`.
    ///   - seed: seed for the weights and the dropout generator.
    ///   - maxBatch: the batch size to preallocate workspaces for (they grow if needed).
    /// - Throws: ``NeuralError`` if a size is not positive or the counts do not match.
    public init(
        sizes: [Int], activations: [Activation], dropout: Float = 0, seed: UInt64,
        maxBatch: Int = 64
    ) throws(NeuralError) {
        guard sizes.count >= 2 else {
            throw NeuralError(
                .invalidConfiguration,
                "MLP needs at least an input and an output size, got sizes \(sizes)")
        }
        guard activations.count == sizes.count - 1 else {
            throw NeuralError(
                .invalidConfiguration,
                "MLP with sizes \(sizes) needs \(sizes.count - 1) activations, got \(activations.count)"
            )
        }
        if let bad = sizes.first(where: { $0 < 1 || $0 > 1 << 20 }) {
            throw NeuralError(
                .invalidConfiguration,
                "MLP layer sizes must be in 1...1048576, got \(bad) in \(sizes)")
        }
        guard dropout >= 0 && dropout < 1 else {
            throw NeuralError(
                .invalidConfiguration, "MLP dropout must be in [0, 1), got \(dropout)")
        }
        var rng = NeuralRNG(seed: seed)
        self.init(
            layers: Self.makeLayers(sizes: sizes, activations: activations), dropout: dropout,
            rng: &rng, maxBatch: maxBatch)
    }

    static func makeLayers(sizes: [Int], activations: [Activation]) -> [Dense] {
        var layers: [Dense] = []
        var offset = 0
        for l in 0..<activations.count {
            let layer = Dense(
                inputs: sizes[l], outputs: sizes[l + 1], activation: activations[l],
                weightOffset: offset)
            layers.append(layer)
            offset += layer.parameterCount
        }
        return layers
    }

    init(layers: [Dense], dropout: Float, rng: inout NeuralRNG, maxBatch: Int) {
        self.layers = layers
        let count = layers.last.map { $0.weightOffset + $0.parameterCount } ?? 0
        var parameters = [Float](repeating: 0, count: count)
        for layer in layers {
            let scale = (layer.activation == .relu ? 2.0 : 1.0) / Double(layer.inputs)
            let std = scale.squareRoot()
            for i in 0..<(layer.inputs * layer.outputs) {
                parameters[layer.weightOffset + i] = Float(rng.normal(standardDeviation: std))
            }
        }
        self.parameters = parameters
        gradients = [Float](repeating: 0, count: count)
        self.dropout = dropout
        self.rng = rng
        layout = WorkspaceLayout(layers: layers, capacity: max(1, maxBatch))
        workspace = [Float](repeating: 0, count: layout.count)
    }

    /// Width of the network's input.
    public var inputCount: Int { layers[0].inputs }
    /// Width of the network's output.
    public var outputCount: Int { layers[layers.count - 1].outputs }
    /// Total number of weights and biases.
    public var parameterCount: Int { parameters.count }
    /// The layer widths, input first (the `sizes` given at creation).
    public var sizes: [Int] { [inputCount] + layers.map(\.outputs) }

    /// An independent copy (the same as `let copy = model`; spelled out for readability).
    public func copy() -> MLP { self }

    /// Replaces this model's weights with `other`'s, keeping this model's workspace.
    /// - Throws: ``NeuralError`` if the two models have different layer shapes.
    public mutating func loadParameters(from other: MLP) throws(NeuralError) {
        guard other.layers == layers else {
            throw NeuralError(
                .shapeMismatch,
                "cannot copy parameters from an MLP of sizes \(other.sizes) "
                    + "into one of sizes \(sizes)")
        }
        parameters = other.parameters
    }

    /// Grows the workspace so that batches of `batch` rows fit. Allocates only when growing.
    mutating func reserve(batch: Int) {
        if batch > layout.capacity {
            layout = WorkspaceLayout(layers: layers, capacity: batch)
            workspace = [Float](repeating: 0, count: layout.count)
        }
    }
}

/// Stops with a message naming the call and the sizes when a buffer is too small.
/// A wrong buffer size is a programming error, like an out-of-range array index.
@inline(__always)
func requireCount(_ have: Int, _ need: Int, _ what: @autoclosure () -> String) {
    if have < need {
        fatalError("\(what()) has \(have) elements, needs at least \(need)")
    }
}
