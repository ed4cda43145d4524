import Foundation

/// The nonlinearity applied elementwise after a ``Dense`` layer's affine map.
public enum Activation: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// `f(z) = z` — use for logits and regression outputs.
    case identity = 0
    /// `f(z) = max(z, 0)`.
    case relu = 1
    /// `f(z) = tanh(z)`, computed with a rational approximation accurate to a few ulp.
    case tanh = 2
    /// `f(z) = 1 / (1 + exp(-z))`.
    case sigmoid = 3
}

typealias Vec = SIMD16<Float>

extension Activation {
    /// Applies the activation in place to `count` values.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .identity:
            return
        case .relu:
            forEachVector(x, count: count) { v in v.replacing(with: 0, where: v .< 0) }
        case .tanh:
            forEachVector(x, count: count) { v in fastTanh(v) }
        case .sigmoid:
            // sigmoid(z) = (1 + tanh(z / 2)) / 2
            forEachVector(x, count: count) { v in 0.5 + 0.5 * fastTanh(0.5 * v) }
        }
    }

    /// Multiplies `gradient` in place by `f'(z)`, given the activation's output `a = f(z)`.
    func multiplyDerivative(
        _ gradient: UnsafeMutablePointer<Float>, output a: UnsafePointer<Float>, count: Int
    ) {
        switch self {
        case .identity:
            return
        case .relu:
            zipVectors(gradient, a, count: count) { g, a in g.replacing(with: 0, where: a .<= 0) }
        case .tanh:
            zipVectors(gradient, a, count: count) { g, a in g * (1 - a * a) }
        case .sigmoid:
            zipVectors(gradient, a, count: count) { g, a in g * a * (1 - a) }
        }
    }
}

/// `tanh` for 16 lanes: Eigen's 13/6 rational approximation on `[-7.9, 7.9]`, saturating outside.
@inline(__always)
func fastTanh(_ v: Vec) -> Vec {
    let clamp: Float = 7.905_311_107_635_498_05
    // (`SIMD.clamped` is not specialized well and costs ~10× the whole rational function.)
    var x = v.replacing(with: clamp, where: v .> clamp)
    x.replace(with: -clamp, where: x .< -clamp)
    let x2 = x * x
    var p = Vec(repeating: -2.760_768_477_423_55e-16)
    p = p * x2 + 2.000_187_904_824_77e-13
    p = p * x2 - 8.604_671_522_137_35e-11
    p = p * x2 + 5.122_297_090_371_14e-08
    p = p * x2 + 1.485_722_357_179_79e-05
    p = p * x2 + 6.372_619_288_754_36e-04
    p = p * x2 + 4.893_524_558_917_86e-03
    p = p * x
    var q = Vec(repeating: 1.198_258_394_667_02e-06)
    q = q * x2 + 1.185_347_056_866_54e-04
    q = q * x2 + 2.268_434_632_439_00e-03
    q = q * x2 + 4.893_525_185_543_85e-03
    let r = p / q
    // Below 4e-4 tanh(x) == x to float precision; keep exact zeros and tiny values exact.
    return r.replacing(with: v, where: abs(v) .< 0.0004)
}

@inline(__always)
func abs(_ v: Vec) -> Vec {
    v.replacing(with: -v, where: v .< 0)
}

/// Applies `body` to `x` in chunks of 16, with a zero-padded chunk for the tail.
@inline(__always)
func forEachVector(_ x: UnsafeMutablePointer<Float>, count: Int, _ body: (Vec) -> Vec) {
    var i = 0
    while i + 16 <= count {
        storeVec(body(loadVec(x + i)), x + i)
        i += 16
    }
    if i < count {
        var tail = Vec()
        for j in 0..<(count - i) { tail[j] = x[i + j] }
        let r = body(tail)
        for j in 0..<(count - i) { x[i + j] = r[j] }
    }
}

/// `x[i] = body(x[i], y[i])` in chunks of 16, with a zero-padded chunk for the tail.
@inline(__always)
func zipVectors(
    _ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int,
    _ body: (Vec, Vec) -> Vec
) {
    var i = 0
    while i + 16 <= count {
        storeVec(body(loadVec(x + i), loadVec(y + i)), x + i)
        i += 16
    }
    if i < count {
        var tx = Vec()
        var ty = Vec()
        for j in 0..<(count - i) {
            tx[j] = x[i + j]
            ty[j] = y[i + j]
        }
        let r = body(tx, ty)
        for j in 0..<(count - i) { x[i + j] = r[j] }
    }
}

@inline(__always)
func loadVec(_ p: UnsafePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func loadVec(_ p: UnsafeMutablePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func storeVec(_ v: Vec, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self)
}
