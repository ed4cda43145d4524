import Foundation

/// Adam (Kingma & Ba, 2015) with optional decoupled weight decay (AdamW, Loshchilov & Hutter).
///
/// One update, as in PyTorch's `AdamW` (and `Adam` when `weightDecay == 0`):
/// ```
/// t += 1
/// p *= 1 - lr · weightDecay
/// m = β1·m + (1-β1)·g
/// v = β2·v + (1-β2)·g²
/// p -= lr / (1-β1ᵗ) · m / (sqrt(v / (1-β2ᵗ)) + ε)
/// ```
/// Moments smaller than 1e-30 in magnitude are set to zero rather than left to decay through
/// subnormal numbers (whose arithmetic is slow, and which `β1 · m` never leaves: the smallest
/// subnormal times 0.9 rounds back to itself); their effect on a weight is below 1e-22 · lr / ε.
public struct Adam: Optimizer, Hashable {
    /// Step size `lr`.
    public var learningRate: Float
    /// Decay of the first-moment estimate `β1`.
    public var beta1: Float
    /// Decay of the second-moment estimate `β2`.
    public var beta2: Float
    /// Term added to the denominator for stability `ε`.
    public var epsilon: Float
    /// Decoupled weight decay coefficient (0 disables it). Applied to every parameter.
    public var weightDecay: Float
    /// Number of updates applied so far (`t`).
    public internal(set) var step: Int
    /// First-moment estimates `m`, one per parameter.
    public internal(set) var firstMoment: [Float]
    /// Second-moment estimates `v`, one per parameter.
    public internal(set) var secondMoment: [Float]

    /// Creates an optimizer with zero moments for `parameterCount` parameters.
    public init(
        parameterCount: Int, learningRate: Float = 1e-3, beta1: Float = 0.9,
        beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        step = 0
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// Number of parameters the optimizer's state is sized for.
    public var parameterCount: Int { firstMoment.count }

    /// Applies one update in place (see the type's documentation for the rule).
    /// - Complexity: O(parameterCount); no allocation.
    public mutating func update(
        _ parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>
    ) {
        requireShape(
            "Adam", parameters: parameters.count, gradients: gradients.count,
            state: parameterCount)
        step += 1
        let t = Double(step)
        let correction1 = 1 - Foundation.pow(Double(beta1), t)
        let correction2 = 1 - Foundation.pow(Double(beta2), t)
        typealias V = SIMD8<Float>  // 8 lanes keep every constant in a register
        let stepSize = V(repeating: Float(Double(learningRate) / correction1))
        let rootScale = V(repeating: Float(1 / correction2.squareRoot()))
        let decay = V(repeating: 1 - learningRate * weightDecay)
        let b1 = V(repeating: beta1)
        let b2 = V(repeating: beta2)
        let c1 = V(repeating: 1 - beta1)
        let c2 = V(repeating: 1 - beta2)
        let eps = V(repeating: epsilon)
        let tiny = V(repeating: 1e-30)
        let n = parameters.count
        let p = parameters.baseAddress!
        let g = gradients.baseAddress!
        @inline(__always)
        func body(_ pv: V, _ gv: V, _ mv: V, _ vv: V) -> (V, V, V) {
            var m1 = fmadd(b1 * mv, c1, gv)
            var v1 = fmadd(b2 * vv, c2 * gv, gv)
            // Flush moments that would decay into subnormals (slow on many CPUs, and a moment
            // of 1e-30 moves a weight by < 1e-22 · lr / ε); see the type's documentation.
            m1.replace(with: 0, where: m1 .< tiny .& m1 .> -tiny)
            v1.replace(with: 0, where: v1 .< tiny)
            let denominator = fmadd(eps, squareRoot(v1), rootScale)
            let p1 = pv * decay - stepSize * m1 / denominator
            return (p1, m1, v1)
        }
        @inline(__always)
        func load(_ x: UnsafeMutablePointer<Float>) -> V {
            UnsafeRawPointer(x).loadUnaligned(as: V.self)
        }
        @inline(__always)
        func load(_ x: UnsafePointer<Float>) -> V {
            UnsafeRawPointer(x).loadUnaligned(as: V.self)
        }
        @inline(__always)
        func store(_ v: V, _ x: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(x).storeBytes(of: v, as: V.self)
        }
        firstMoment.withUnsafeMutableBufferPointer { mBuffer in
            secondMoment.withUnsafeMutableBufferPointer { vBuffer in
                let m = mBuffer.baseAddress!
                let v = vBuffer.baseAddress!
                var i = 0
                while i + 8 <= n {
                    let (p1, m1, v1) = body(load(p + i), load(g + i), load(m + i), load(v + i))
                    store(p1, p + i)
                    store(m1, m + i)
                    store(v1, v + i)
                    i += 8
                }
                while i < n {
                    let (p1, m1, v1) = body(
                        V(repeating: p[i]), V(repeating: g[i]), V(repeating: m[i]),
                        V(repeating: v[i]))
                    p[i] = p1[0]
                    m[i] = m1[0]
                    v[i] = v1[0]
                    i += 1
                }
            }
        }
    }
}

/// `sqrt(x)` for non-negative lanes, as `x · rsqrt(x)` with the reciprocal square root from
/// the classic bit-level estimate refined by three Newton steps (relative error ≈ 2 ulp).
///
/// Used instead of `SIMD.squareRoot()`, which Swift on Linux lowers one lane at a time through
/// the C library's `sqrtf` (errno semantics) unless the package is built with
/// `-Xcc -fno-math-errno`.
@inline(__always)
func squareRoot<V: SIMD>(_ x: V) -> V where V.Scalar == Float {
    let bits = unsafeBitCast(x, to: V.MaskStorage.self)
    let magic = V.MaskStorage(repeating: 0x5F37_5A86)
    var y = unsafeBitCast(magic &- (bits &>> 1), to: V.self)
    let half = 0.5 * x
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    return x * y
}
