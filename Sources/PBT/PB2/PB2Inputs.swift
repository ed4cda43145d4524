#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The normalised inputs of a GP: per row a time `t`, a vector `z` (score before, then the
/// numeric hyperparameters) and, with unordered choices (PB2-Mix), their option indices.
struct PB2Inputs {
    /// The number of rows.
    let count: Int
    /// The length of each `z`.
    let dimension: Int
    /// `t` per row.
    let time: [Double]
    /// `z` per row, row-major `count × dimension`.
    let z: [Double]
    /// The number of unordered choices per row, `c` (0: plain PB2's kernel).
    let categoryCount: Int
    /// The option indices per row, row-major `count × categoryCount`.
    let categories: [Int]

    /// Creates the inputs.
    /// - Parameters:
    ///   - time: `t` per row.
    ///   - z: `z` per row, row-major.
    ///   - dimension: the length of each `z`.
    ///   - categories: the option indices per row, row-major (empty: none).
    ///   - categoryCount: how many per row.
    init(time: [Double], z: [Double], dimension: Int, categories: [Int] = [], categoryCount: Int = 0) {
        self.count = time.count
        self.dimension = dimension
        self.time = time
        self.z = z
        self.categories = categories
        self.categoryCount = categoryCount
    }

    /// The first `rows` rows.
    func prefix(_ rows: Int) -> PB2Inputs {
        PB2Inputs(
            time: Array(time[0..<rows]), z: Array(z[0..<rows * dimension]), dimension: dimension,
            categories: Array(categories[0..<rows * categoryCount]), categoryCount: categoryCount)
    }

    /// The overlap of two rows' option indices: the fraction of the choices on which they agree.
    @inline(__always)
    static func overlap(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) -> Double {
        var equal = 0
        for (x, y) in zip(a, b) where x == y { equal += 1 }
        return Double(equal) / Double(a.count)
    }

    /// The option indices of row `i`.
    func categories(of i: Int) -> ArraySlice<Int> {
        categories[(i * categoryCount)..<((i + 1) * categoryCount)]
    }

    /// The overlap of rows i and j for j < i, row-major `count × count` (the diagonal and the
    /// upper triangle are 0); empty without unordered choices.
    /// - Complexity: O(count² · categoryCount).
    func overlaps() -> [Double] {
        guard categoryCount > 0 else { return [] }
        let n = count, c = categoryCount
        var result = [Double](repeating: 0, count: n * n)
        categories.withUnsafeBufferPointer { options in
            for i in 0..<n {
                for j in 0..<i {
                    var equal = 0
                    for k in 0..<c where options[i * c + k] == options[j * c + k] { equal += 1 }
                    result[i * n + j] = Double(equal) / Double(c)
                }
            }
        }
        return result
    }

    /// `‖zᵢ − zⱼ‖²` and `|tᵢ − tⱼ|` for j < i, row-major `count × count` (the diagonal and
    /// the upper triangle are 0).
    /// - Complexity: O(count² · dimension).
    func distances() -> (squared: [Double], time: [Double]) {
        let n = count
        var squared = [Double](repeating: 0, count: n * n)
        var temporal = [Double](repeating: 0, count: n * n)
        squared.withUnsafeMutableBufferPointer { d in
            temporal.withUnsafeMutableBufferPointer { t in
                for i in 0..<n {
                    squaredDistances(row: i, into: d.baseAddress! + i * n)
                    timeDistances(row: i, into: t.baseAddress! + i * n)
                }
            }
        }
        return (squared, temporal)
    }

    /// `‖zᵢ − zⱼ‖²` for j < i into `result[j]`, column by column so the loop over j vectorises.
    @inline(__always)
    private func squaredDistances(row i: Int, into result: UnsafeMutablePointer<Double>) {
        let m = dimension
        result.update(repeating: 0, count: i)
        columns.withUnsafeBufferPointer { columns in
            for c in 0..<m {
                let column = columns.baseAddress! + c * count
                let value = column[i]
                for j in 0..<i {
                    let difference = value - column[j]
                    result[j] += difference * difference
                }
            }
        }
    }

    /// `|tᵢ − tⱼ|` for j < i into `result[j]`.
    @inline(__always)
    private func timeDistances(row i: Int, into result: UnsafeMutablePointer<Double>) {
        time.withUnsafeBufferPointer { t in
            let value = t[i]
            for j in 0..<i { result[j] = abs(value - t[j]) }
        }
    }

    /// `z` column-major: column c of every row at `c · count`.
    private var columns: [Double] {
        let n = count, m = dimension
        var result = [Double](repeating: 0, count: n * m)
        for i in 0..<n {
            for c in 0..<m { result[c * n + i] = z[i * m + c] }
        }
        return result
    }

    /// The kernel matrix without noise, `K_f`, row-major; only the lower triangle (with the
    /// diagonal) is filled, which is all `DenseCholesky` reads. With unordered choices, the
    /// mixed kernel of `PB2KernelParameters` (its `mix` must be set).
    /// - Complexity: O(count² · dimension) and count²/2 exponentials (twice that with choices).
    func kernelMatrix(_ parameters: PB2KernelParameters) -> [Double] {
        if categoryCount > 0 { return mixedKernelMatrix(parameters) }
        let n = count, m = dimension
        var matrix = [Double](repeating: 0, count: n * n)
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let variance = parameters.variance
        let columns = self.columns
        columns.withUnsafeBufferPointer { columns in
            time.withUnsafeBufferPointer { t in
                matrix.withUnsafeMutableBufferPointer { k in
                    for i in 0..<n {
                        let row = k.baseAddress! + i * n
                        for c in 0..<m {
                            let column = columns.baseAddress! + c * n
                            let value = column[i]
                            for j in 0..<i {
                                let difference = value - column[j]
                                row[j] += difference * difference
                            }
                        }
                        let now = t[i]
                        for j in 0..<i { row[j] = -row[j] * inverseLength + halfLogDecay * abs(now - t[j]) }
                        exponentiate(row, count: i)
                        for j in 0..<i { row[j] *= variance }
                        row[i] = variance
                    }
                }
            }
        }
        return matrix
    }

    /// The mixed kernel matrix (PB2-Mix) without noise, lower triangle with the diagonal:
    /// `σ² · (E · ((1 − λ)/2 + λ O) + (1 − λ)/2 · O · T)` with `T = (1 − ε)^{|Δt|/2}`,
    /// `E = exp(−‖Δz‖²/ℓ) · T` and `O` the overlaps, row by row like `kernelMatrix`.
    private func mixedKernelMatrix(_ parameters: PB2KernelParameters) -> [Double] {
        let n = count, m = dimension, c = categoryCount
        var matrix = [Double](repeating: 0, count: n * n)
        var decay = [Double](repeating: 0, count: max(n, 1))
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let variance = parameters.variance, mix = parameters.mix!, half = (1 - mix) / 2
        let columns = self.columns
        columns.withUnsafeBufferPointer { columns in
            time.withUnsafeBufferPointer { t in
                categories.withUnsafeBufferPointer { options in
                    matrix.withUnsafeMutableBufferPointer { k in
                        decay.withUnsafeMutableBufferPointer { decay in
                            for i in 0..<n {
                                let row = k.baseAddress! + i * n
                                for column in 0..<m {
                                    let values = columns.baseAddress! + column * n
                                    let value = values[i]
                                    for j in 0..<i {
                                        let difference = value - values[j]
                                        row[j] += difference * difference
                                    }
                                }
                                let now = t[i]
                                for j in 0..<i {
                                    decay[j] = halfLogDecay * abs(now - t[j])
                                    row[j] = -row[j] * inverseLength + decay[j]
                                }
                                exponentiate(row, count: i)
                                exponentiate(decay.baseAddress!, count: i)
                                for j in 0..<i {
                                    var equal = 0
                                    for k in 0..<c where options[i * c + k] == options[j * c + k] { equal += 1 }
                                    let overlap = Double(equal) / Double(c)
                                    row[j] = variance * (row[j] * (half + mix * overlap) + half * overlap * decay[j])
                                }
                                row[i] = variance
                            }
                        }
                    }
                }
            }
        }
        return matrix
    }
}
