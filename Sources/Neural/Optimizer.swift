/// A first-order optimizer that updates a flat parameter buffer from a gradient buffer of the
/// same length, keeping its own state (moments, velocities) in buffers of that length.
public protocol Optimizer: Sendable {
    /// The step size. Mutable so that PBT can change it on a live optimizer.
    var learningRate: Float { get set }
    /// Number of parameters the optimizer's state is sized for.
    var parameterCount: Int { get }
    /// Applies one update: `parameters -= step(gradients)`.
    ///
    /// Both buffers must hold ``parameterCount`` values (a mismatch is a programming error
    /// and stops the program with a message).
    /// - Complexity: O(parameterCount); no allocation.
    mutating func update(
        _ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>)
}

extension Optimizer {
    /// Applies one update to `parameters` from `gradients`.
    public mutating func update(_ parameters: inout [Float], gradients: [Float]) {
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in update(p, gradients: g) }
        }
    }

    /// Applies one update to `model.parameters` from `model.gradients`.
    public mutating func update(_ model: inout MLP) {
        update(&model.parameters, gradients: model.gradients)
    }
}

@inline(__always)
func requireShape(_ what: String, parameters: Int, gradients: Int, state: Int) {
    if parameters != state || gradients != state {
        fatalError(
            "\(what).update: optimizer holds \(state) parameters, got \(parameters) parameters "
                + "and \(gradients) gradients")
    }
}
