/// One fully connected layer of an ``MLP``: `y = f(x · W + b)`.
///
/// A `Dense` value only describes the layer; its weights live in the owning model's flat
/// ``MLP/parameters`` buffer: `W` is `inputs × outputs`, row-major, starting at
/// ``weightOffset`` (so `W[i][j]` is `parameters[weightOffset + i * outputs + j]`), followed
/// immediately by the `outputs` biases at ``biasOffset``. Gradients use the same layout in
/// ``MLP/gradients``.
public struct Dense: Sendable, Hashable {
    /// Width of the layer's input.
    public let inputs: Int
    /// Width of the layer's output.
    public let outputs: Int
    /// Nonlinearity applied after the affine map.
    public let activation: Activation
    /// Index of `W[0][0]` in the model's parameter buffer.
    public let weightOffset: Int

    /// Index of the first bias in the model's parameter buffer.
    public var biasOffset: Int { weightOffset + inputs * outputs }
    /// Number of parameters: `inputs · outputs` weights plus `outputs` biases.
    public var parameterCount: Int { inputs * outputs + outputs }
    /// The range of this layer's parameters in the model's parameter buffer.
    public var parameterRange: Range<Int> { weightOffset..<(weightOffset + parameterCount) }

    /// Creates a layer description.
    /// - Parameters:
    ///   - inputs: the number of inputs.
    ///   - outputs: the number of outputs.
    ///   - activation: the nonlinearity applied after the affine map.
    ///   - weightOffset: where the layer's weights start in the parameter buffer.
    public init(inputs: Int, outputs: Int, activation: Activation, weightOffset: Int) {
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        self.weightOffset = weightOffset
    }
}
