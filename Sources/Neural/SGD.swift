/// Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 weight
/// decay, as in PyTorch's `SGD` without dampening:
/// ```
/// d = g + weightDecay · p
/// b = momentum · b + d              (b starts at 0)
/// p -= lr · (nesterov ? d + momentum · b : b)
/// ```
/// With `momentum == 0` this is plain `p -= lr · d`.
public struct SGD: Optimizer, Hashable {
    /// Step size `lr`.
    public var learningRate: Float
    /// Momentum coefficient (0 disables momentum).
    public var momentum: Float
    /// L2 penalty coefficient added to the gradient (0 disables it).
    public var weightDecay: Float
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool
    /// Momentum buffer `b`, one value per parameter.
    public internal(set) var velocity: [Float]

    /// Creates an optimizer with a zero momentum buffer for `parameterCount` parameters.
    public init(
        parameterCount: Int, learningRate: Float = 0.01, momentum: Float = 0,
        weightDecay: Float = 0, nesterov: Bool = false
    ) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        velocity = [Float](repeating: 0, count: parameterCount)
    }

    /// Number of parameters the optimizer's state is sized for.
    public var parameterCount: Int { velocity.count }

    /// Applies one update in place (see the type's documentation for the rule).
    /// - Complexity: O(parameterCount); no allocation.
    public mutating func update(
        _ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>
    ) {
        requireShape(
            "SGD", parameters: parameters.count, gradients: gradients.count,
            state: parameterCount)
        let lr = learningRate
        let mu = momentum
        let wd = weightDecay
        let nesterov = nesterov
        velocity.withUnsafeMutableBufferPointer { b in
            for i in 0..<parameters.count {
                let d = gradients[i] + wd * parameters[i]
                if mu == 0 {
                    parameters[i] -= lr * d
                } else {
                    let v = mu * b[i] + d
                    b[i] = v
                    parameters[i] -= lr * (nesterov ? d + mu * v : v)
                }
            }
        }
    }
}
