import Foundation

@testable import Neural

/// Random floats in `[-scale, scale)` from a seeded generator.
func randomFloats(_ count: Int, scale: Float = 1, rng: inout NeuralRNG) -> [Float] {
    (0..<count).map { _ in (rng.nextFloat() * 2 - 1) * scale }
}

/// `|a - b| <= relative · max(|a|, |b|) + absolute`.
func close(_ a: Double, _ b: Double, relative: Double, absolute: Double) -> Bool {
    abs(a - b) <= relative * max(abs(a), abs(b)) + absolute
}

/// Naive reference product `C = op(A) · B` in `Double`.
func referenceProduct(
    m: Int, n: Int, k: Int, a: [Float], aRow: Int, aCol: Int, b: [Float], ldb: Int
) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += Double(a[i * aRow + p * aCol]) * Double(b[p * ldb + j]) }
            c[i * n + j] = s
        }
    }
    return c
}
