import Testing

@testable import Neural

@Suite("Matmul")
struct MatmulTests {
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (3, 5, 7), (4, 16, 8), (5, 17, 3), (64, 128, 64), (64, 10, 128), (7, 33, 10),
        (128, 10, 64), (9, 8, 1),
    ]

    @Test("A·B (+ bias, relu, accumulate) matches a naive product", arguments: shapes.indices)
    func plain(index: Int) {
        let (m, n, k) = Self.shapes[index]
        var rng = NeuralRNG(seed: UInt64(index))
        let a = randomFloats(m * k, rng: &rng)
        let b = randomFloats(k * n, rng: &rng)
        let bias = randomFloats(n, rng: &rng)
        let start = randomFloats(m * n, rng: &rng)
        let ref = referenceProduct(m: m, n: n, k: k, a: a, aRow: k, aCol: 1, b: b, ldb: n)
        var scratch = [Float](repeating: .nan, count: Matmul.scratchCount(k: k))
        for store in [Matmul.Store.overwrite, .relu, .accumulate] {
            var c = start
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    bias.withUnsafeBufferPointer { bias in
                        c.withUnsafeMutableBufferPointer { c in
                            scratch.withUnsafeMutableBufferPointer { s in
                                Matmul.gemm(
                                    m: m, n: n, k: k, a: a.baseAddress!, aRow: k, aCol: 1,
                                    b: b.baseAddress!, ldb: n, c: c.baseAddress!, ldc: n,
                                    bias: store == .accumulate ? nil : bias.baseAddress!,
                                    store: store, scratch: s.baseAddress!)
                            }
                        }
                    }
                }
            }
            for i in 0..<m {
                for j in 0..<n {
                    var expected = ref[i * n + j]
                    switch store {
                    case .overwrite: expected += Double(bias[j])
                    case .relu: expected = max(expected + Double(bias[j]), 0)
                    case .accumulate: expected += Double(start[i * n + j])
                    }
                    #expect(
                        close(Double(c[i * n + j]), expected, relative: 1e-5, absolute: 1e-5),
                        "\(store) (\(m),\(n),\(k)) at \(i),\(j)")
                }
            }
        }
    }

    @Test("Aᵀ·B and A·Bᵀ match a naive product", arguments: shapes.indices)
    func transposed(index: Int) {
        let (m, n, k) = Self.shapes[index]
        var rng = NeuralRNG(seed: 100 + UInt64(index))
        // Aᵀ·B: A stored k×m.
        let at = randomFloats(k * m, rng: &rng)
        let b = randomFloats(k * n, rng: &rng)
        let ref = referenceProduct(m: m, n: n, k: k, a: at, aRow: 1, aCol: m, b: b, ldb: n)
        var c = [Float](repeating: 0, count: m * n)
        var scratch = [Float](repeating: .nan, count: k * n + Matmul.scratchCount(k: k))
        at.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    scratch.withUnsafeMutableBufferPointer { s in
                        Matmul.gemm(
                            m: m, n: n, k: k, a: a.baseAddress!, aRow: 1, aCol: m,
                            b: b.baseAddress!, ldb: n, c: c.baseAddress!, ldc: n, bias: nil,
                            store: .overwrite, scratch: s.baseAddress!)
                    }
                }
            }
        }
        for i in 0..<(m * n) {
            #expect(close(Double(c[i]), ref[i], relative: 1e-5, absolute: 1e-5))
        }
        // A·Bᵀ: A m×k, B n×k.
        let a = randomFloats(m * k, rng: &rng)
        let bt = randomFloats(n * k, rng: &rng)
        let ref2 = referenceProduct(
            m: m, n: n, k: k, a: a, aRow: k, aCol: 1, b: transpose(bt, rows: n, columns: k), ldb: n)
        a.withUnsafeBufferPointer { a in
            bt.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    scratch.withUnsafeMutableBufferPointer { s in
                        Matmul.gemmTransposedB(
                            m: m, n: n, k: k, a: a.baseAddress!, lda: k, b: b.baseAddress!,
                            ldb: k, c: c.baseAddress!, ldc: n, store: .overwrite,
                            scratch: s.baseAddress!)
                    }
                }
            }
        }
        for i in 0..<(m * n) {
            #expect(close(Double(c[i]), ref2[i], relative: 1e-5, absolute: 1e-5))
        }
    }

    @Test("The blocked transpose copies every value to its place, any shape and row stride")
    func blockedTranspose() {
        var rng = NeuralRNG(seed: 7)
        for (rows, columns, stride) in [(1, 1, 1), (8, 8, 8), (128, 128, 128), (17, 9, 11), (3, 20, 20), (24, 5, 7)] {
            let b = randomFloats(rows * stride, rng: &rng)
            var out = [Float](repeating: .nan, count: rows * columns)
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    Matmul.transpose(b.baseAddress!, rows: rows, columns: columns, ldb: stride, into: out.baseAddress!)
                }
            }
            var expected = [Float](repeating: 0, count: rows * columns)
            for r in 0..<rows {
                for c in 0..<columns { expected[c * rows + r] = b[r * stride + c] }
            }
            #expect(out == expected, "\(rows)×\(columns), row stride \(stride)")
        }
    }

    func transpose(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var t = [Float](repeating: 0, count: x.count)
        for r in 0..<rows {
            for c in 0..<columns { t[c * rows + r] = x[r * columns + c] }
        }
        return t
    }
}
