#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The normalised inputs of a GP: per row a time `t` and a vector `z` (score before, then the
/// hyperparameters).
struct PB2Inputs {
    /// The number of rows.
    let count: Int
    /// The length of each `z`.
    let dimension: Int
    /// `t` per row.
    let time: [Double]
    /// `z` per row, row-major `count × dimension`.
    let z: [Double]

    /// Creates the inputs.
    init(time: [Double], z: [Double], dimension: Int) {
        self.count = time.count
        self.dimension = dimension
        self.time = time
        self.z = z
    }

    /// The first `rows` rows.
    func prefix(_ rows: Int) -> PB2Inputs {
        PB2Inputs(time: Array(time[0..<rows]), z: Array(z[0..<rows * dimension]), dimension: dimension)
    }

    /// `‖zᵢ − zⱼ‖²` and `|tᵢ − tⱼ|` for j ≤ i, row-major `count × count` (the upper triangle is 0).
    /// - Complexity: O(count² · dimension).
    func distances() -> (squared: [Double], time: [Double]) {
        let n = count, m = dimension
        var squared = [Double](repeating: 0, count: n * n)
        var temporal = [Double](repeating: 0, count: n * n)
        z.withUnsafeBufferPointer { z in
            for i in 0..<n {
                for j in 0..<i {
                    var sum = 0.0
                    for k in 0..<m {
                        let difference = z[i * m + k] - z[j * m + k]
                        sum += difference * difference
                    }
                    squared[i * n + j] = sum
                    temporal[i * n + j] = abs(time[i] - time[j])
                }
            }
        }
        return (squared, temporal)
    }

    /// The kernel matrix without noise, `K_f`, row-major; only the lower triangle (with the
    /// diagonal) is filled, which is all `DenseCholesky` reads.
    /// - Complexity: O(count² · dimension) and count²/2 exponentials.
    func kernelMatrix(_ parameters: PB2KernelParameters) -> [Double] {
        let n = count, m = dimension
        var matrix = [Double](repeating: 0, count: n * n)
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let variance = parameters.variance
        z.withUnsafeBufferPointer { z in
            time.withUnsafeBufferPointer { t in
                matrix.withUnsafeMutableBufferPointer { k in
                    let k = k.baseAddress!
                    for i in 0..<n {
                        let row = k + i * n
                        for j in 0..<i {
                            var sum = 0.0
                            for c in 0..<m {
                                let difference = z[i * m + c] - z[j * m + c]
                                sum += difference * difference
                            }
                            row[j] = -sum * inverseLength + halfLogDecay * abs(t[i] - t[j])
                        }
                        exponentiate(row, count: i)
                        for j in 0..<i { row[j] *= variance }
                        row[i] = variance
                    }
                }
            }
        }
        return matrix
    }
}
