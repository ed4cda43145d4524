import CDense
import Foundation
import Testing

@testable import PBT

/// The blocked dense kernels against their textbook forms.
@Suite("PB2 dense kernels")
struct PB2DenseTests {
    /// A kernel matrix of random points plus `noise` on the diagonal (symmetric, full).
    static func matrix(_ n: Int, noise: Double, seed: UInt64) -> [Double] {
        var random = PBTRandom(seed: seed)
        let points = (0..<n * 3).map { _ in random.unit() }
        var result = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<3 {
                    sum += (points[i * 3 + k] - points[j * 3 + k]) * (points[i * 3 + k] - points[j * 3 + k])
                }
                result[i * n + j] = exp(-sum / 0.3) + (i == j ? noise : 0)
            }
        }
        return result
    }

    /// Row-by-row Cholesky–Crout, the textbook loop.
    static func simpleFactor(_ a: [Double], n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? sum.squareRoot() : sum / l[j * n + j]
            }
        }
        return l
    }

    @Test("the blocked factor equals the textbook one, and K⁻¹ K = I", arguments: [1, 3, 4, 5, 8, 33, 70, 131])
    func factor(n: Int) throws {
        let a = Self.matrix(n, noise: 0.05, seed: UInt64(n))
        let factor = try #require(DenseCholesky(a, n: n))
        #expect(factor.jitter == 0)
        let simple = Self.simpleFactor(a, n: n)
        for (value, expected) in zip(factor.lower, simple) { #expect(abs(value - expected) < 1e-12) }
        let inverse = factor.inverse()
        for i in 0..<n {
            for j in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += inverse[i * n + k] * a[k * n + j] }
                #expect(abs(sum - (i == j ? 1 : 0)) < 1e-9, "(\(i), \(j))")
                #expect(inverse[i * n + j] == inverse[j * n + i])
            }
        }
        let b = (0..<n).map { Double($0 % 7) - 3 }
        let x = factor.solve(b)
        for i in 0..<n {
            var sum = 0.0
            for k in 0..<n { sum += a[i * n + k] * x[k] }
            #expect(abs(sum - b[i]) < 1e-9)
        }
    }

    @Test("a leading block of the factor is the factor of the leading block")
    func leading() throws {
        let n = 45
        let a = Self.matrix(n, noise: 0.01, seed: 3)
        let factor = try #require(DenseCholesky(a, n: n))
        for m in [1, 6, 44] {
            let block = (0..<m * m).map { a[($0 / m) * n + $0 % m] }
            let direct = try #require(DenseCholesky(block, n: m))
            let leading = factor.leading(m)
            #expect(abs(leading.logDeterminant - direct.logDeterminant) < 1e-12 * Double(m))
            let b = (0..<m).map { sin(Double($0)) }
            for (x, y) in zip(leading.solve(b), direct.solve(b)) { #expect(abs(x - y) < 1e-9 * max(1, abs(y))) }
        }
    }

    /// The Cholesky factor in the order of additions `pbt_cholesky` has always used, entry by
    /// entry: `Lᵢⱼ` in the tile of rows `i0 = 4⌊i/4⌋` and columns `j0 = 4⌊j/4⌋` starts from
    /// `Σ_{k < j0} Lᵢₖ Lⱼₖ` (in a full 4 × 4 tile four lane sums over k ≡ 0, 1, 2, 3 mod 4 added
    /// as (s₀ + s₁) + (s₂ + s₃); in a partial one `pbt_dot`'s order), then subtracts the tile's
    /// own products in order of k.
    static func referenceFactor(_ a: [Double], n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        func lanes(_ v: [Double]) -> Double { (v[0] + v[1]) + (v[2] + v[3]) }
        func laneSum(_ i: Int, _ j: Int, _ count: Int) -> Double {
            var v = [0.0, 0.0, 0.0, 0.0]
            for k in 0..<count { v[k % 4] += l[i * n + k] * l[j * n + k] }
            return lanes(v)
        }
        func dot(_ i: Int, _ j: Int, _ count: Int) -> Double {
            var first = [0.0, 0.0, 0.0, 0.0], second = first, k = 0
            while k + 8 <= count {
                for m in 0..<4 {
                    first[m] += l[i * n + k + m] * l[j * n + k + m]
                    second[m] += l[i * n + k + 4 + m] * l[j * n + k + 4 + m]
                }
                k += 8
            }
            if k + 4 <= count {
                for m in 0..<4 { first[m] += l[i * n + k + m] * l[j * n + k + m] }
                k += 4
            }
            var sum = lanes((0..<4).map { first[$0] + second[$0] })
            while k < count {
                sum += l[i * n + k] * l[j * n + k]
                k += 1
            }
            return sum
        }
        for i in 0..<n {
            for j in 0...i {
                let i0 = i / 4 * 4, j0 = j / 4 * 4
                let full = n - i0 >= 4 && n - j0 >= 4
                var sum = a[i * n + j] - (full ? laneSum(i, j, j0) : dot(i, j, j0))
                for k in j0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? sum.squareRoot() : sum * (1 / l[j * n + j])
            }
        }
        return l
    }

    @Test(
        "the factor adds in the reference order: the same bits on both instruction sets",
        arguments: [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 31, 32, 33, 37, 64, 65, 130, 201])
    func factorBits(n: Int) throws {
        let a = Self.matrix(n, noise: 0.05, seed: UInt64(n) + 11)
        let expected = Self.referenceFactor(a, n: n)
        for wide: Int32 in [0, 1, 2] {
            var l = [Double](repeating: 0, count: n * n)
            #expect(pbt_cholesky(a, 0, n, &l, wide) == 1)
            for i in 0..<n {
                for j in 0...i {
                    #expect(l[i * n + j].bitPattern == expected[i * n + j].bitPattern, "(\(i), \(j)), wide \(wide)")
                }
            }
        }
    }

    /// `(L Lᵀ)⁻¹`'s lower triangle in the order of additions `pbt_cholesky_inverse` has always
    /// used, written as plain loops: `M = L⁻¹` row block by row block, left of the diagonal block
    /// in tiles of four columns whose products over the earlier rows add even and odd terms
    /// apart (plain sums in a last, partial row block), then `MᵀM` tile by tile the same way.
    static func referenceInverse(_ l: [Double], n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n), r = m
        func pairs(_ count: Int, _ term: (Int) -> Double) -> Double {
            var even = 0.0, odd = 0.0
            for t in 0..<count {
                if t % 2 == 0 { even += term(t) } else { odd += term(t) }
            }
            return even + odd
        }
        for i0 in Swift.stride(from: 0, to: n, by: 4) {
            let rows = min(4, n - i0)
            var j0 = 0
            while j0 + 4 <= i0 {
                var tile = [Double](repeating: 0, count: 16)
                for x in 0..<rows {
                    for y in 0..<4 {
                        if rows == 4 {
                            tile[x * 4 + y] = pairs(i0 - j0) { l[(i0 + x) * n + j0 + $0] * m[(j0 + $0) * n + j0 + y] }
                        } else {
                            for k in j0..<i0 { tile[x * 4 + y] += l[(i0 + x) * n + k] * m[k * n + j0 + y] }
                        }
                    }
                }
                for x in 0..<rows {
                    let i = i0 + x
                    for y in 0..<4 {
                        var sum = tile[x * 4 + y]
                        for k in i0..<i { sum += l[i * n + k] * m[k * n + j0 + y] }
                        m[i * n + j0 + y] = -sum * (1 / l[i * n + i])
                    }
                }
                j0 += 4
            }
            for x in 0..<rows {
                let i = i0 + x
                for j in j0...i {
                    var sum = i == j ? 1.0 : 0.0
                    for k in j..<i { sum -= l[i * n + k] * m[k * n + j] }
                    m[i * n + j] = sum * (1 / l[i * n + i])
                }
            }
        }
        for i0 in Swift.stride(from: 0, to: n, by: 4) {
            for j0 in Swift.stride(from: 0, through: i0, by: 4) {
                if i0 + 4 <= n {
                    for x in 0..<4 {
                        for y in 0..<4 where j0 + y <= i0 + x {
                            r[(i0 + x) * n + j0 + y] = pairs(n - i0) {
                                m[(i0 + $0) * n + i0 + x] * m[(i0 + $0) * n + j0 + y]
                            }
                        }
                    }
                } else {
                    for i in i0..<n {
                        for j in j0..<min(j0 + 4, i + 1) {
                            var sum = 0.0
                            for k in i..<n { sum += m[k * n + i] * m[k * n + j] }
                            r[i * n + j] = sum
                        }
                    }
                }
            }
        }
        return r
    }

    @Test(
        "the inverse adds in the reference order: the same bits, whatever the scratch held",
        arguments: [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 24, 33, 67, 130, 201])
    func inverseBits(n: Int) throws {
        let a = Self.matrix(n, noise: 0.05, seed: UInt64(n) + 7)
        let factor = try #require(DenseCholesky(a, n: n))
        let expected = Self.referenceInverse(factor.lower, n: n)
        for wide: Int32 in [0, 1, 2] {
            var scratch = [Double](repeating: .nan, count: n * n)
            var result = [Double](repeating: 0, count: n * n)
            pbt_cholesky_inverse(factor.lower, n, n, &scratch, &result, wide)
            for i in 0..<n {
                for j in 0...i {
                    #expect(
                        result[i * n + j].bitPattern == expected[i * n + j].bitPattern, "(\(i), \(j)), wide \(wide)")
                }
            }
        }
    }

    @Test("the vector exponential agrees with the C library")
    func exponential() {
        var random = PBTRandom(seed: 5)
        var values = (0..<20_001).map { _ in -708 + 1417 * random.unit() }
        values += [
            0, -0.0, 1, -1, 1e-300, -1e-300, 0.5 * log(2.0), -0.5 * log(2.0), 709, -708, -745, -800, 800, .infinity,
            -.infinity,
        ]
        var result = values
        result.withUnsafeMutableBufferPointer { exponentiate($0.baseAddress!, count: $0.count) }
        for (x, value) in zip(values, result) {
            if x < -708 {
                #expect(value == 0)
            } else if x > 709 {
                #expect(value == exp(709))
            } else {
                #expect(abs(value - exp(x)) <= 4e-16 * exp(x), "exp(\(x)) = \(exp(x)), got \(value)")
            }
        }
        var nan = [Double.nan]
        nan.withUnsafeMutableBufferPointer { exponentiate($0.baseAddress!, count: 1) }
        #expect(nan[0].isNaN)
    }
}

/// The C kernels give the same bits at every instruction-set level (baseline, AVX, AVX-512; so
/// a PB2 decision does not depend on the machine that made it), and the many-vector forward
/// substitution agrees with one vector at a time.
@Suite("PB2 dense kernels, every instruction set")
struct DenseInstructionSetTests {
    @Test(
        "factor, inverse, substitutions, dot and exp: the same bits at every level",
        arguments: [1, 5, 8, 37, 130], [1, 2] as [Int32])
    func sameBits(n: Int, level: Int32) throws {
        print("widest instruction-set level on this machine: \(pbt_dense_wide_available()), testing \(level)")
        let a = PB2DenseTests.matrix(n, noise: 0.05, seed: UInt64(n) + 100)
        var narrow = [Double](repeating: 0, count: n * n), wide = narrow
        #expect(pbt_cholesky(a, 0, n, &narrow, 0) == 1)
        #expect(pbt_cholesky(a, 0, n, &wide, level) == 1)
        #expect(narrow.map(\.bitPattern) == wide.map(\.bitPattern))
        var scratchNarrow = [Double](repeating: 0, count: n * n), scratchWide = scratchNarrow
        var inverseNarrow = scratchNarrow, inverseWide = scratchNarrow
        pbt_cholesky_inverse(narrow, n, n, &scratchNarrow, &inverseNarrow, 0)
        pbt_cholesky_inverse(narrow, n, n, &scratchWide, &inverseWide, level)
        #expect(inverseNarrow.map(\.bitPattern) == inverseWide.map(\.bitPattern))
        let count = 11, starts = (0..<count).map { ($0 * 7) % max(n, 1) }
        var columnsNarrow = (0..<count * n).map { index in index % n < starts[index / n] ? 0 : sin(Double(index)) }
        var columnsWide = columnsNarrow, single = columnsNarrow
        pbt_forward_columns(narrow, n, n, &columnsNarrow, n, count, starts, 0)
        pbt_forward_columns(narrow, n, n, &columnsWide, n, count, starts, level)
        #expect(columnsNarrow.map(\.bitPattern) == columnsWide.map(\.bitPattern))
        single.withUnsafeMutableBufferPointer { buffer in
            for c in 0..<count { pbt_forward(narrow, n, n, buffer.baseAddress! + c * n, starts[c], level) }
        }
        for (x, y) in zip(columnsWide, single) { #expect(abs(x - y) <= 1e-12 * max(1, abs(y))) }
        let b = (0..<n).map { cos(Double($0)) }
        #expect(pbt_dot(a, b, n, 0).bitPattern == pbt_dot(a, b, n, level).bitPattern)
        var exponentsNarrow = (0..<n).map { -700 + 1400 * Double($0) / Double(n) }, exponentsWide = exponentsNarrow
        pbt_exp(&exponentsNarrow, n, 0)
        pbt_exp(&exponentsWide, n, level)
        #expect(exponentsNarrow.map(\.bitPattern) == exponentsWide.map(\.bitPattern))
    }
}
