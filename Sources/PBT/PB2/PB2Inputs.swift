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
    /// diagonal) is filled, which is all `DenseCholesky` reads.
    /// - Complexity: O(count² · dimension) and count²/2 exponentials.
    func kernelMatrix(_ parameters: PB2KernelParameters) -> [Double] {
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
}
