extension MLP {
    /// Sets every gradient to zero (before accumulating several backward passes).
    public mutating func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
    }

    /// The Euclidean norm of ``gradients``, accumulated in `Double`.
    public func gradientNorm() -> Float {
        var sum = 0.0
        for g in gradients { sum += Double(g) * Double(g) }
        return Float(sum.squareRoot())
    }

    /// Scales ``gradients`` down so their norm is at most `maxNorm`; returns the norm before
    /// clipping. Gradients with a smaller norm are left unchanged.
    @discardableResult
    public mutating func clipGradientNorm(to maxNorm: Float) -> Float {
        let norm = gradientNorm()
        if norm > maxNorm && norm > 0 {
            let scale = maxNorm / norm
            gradients.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] *= scale }
            }
        }
        return norm
    }
}
