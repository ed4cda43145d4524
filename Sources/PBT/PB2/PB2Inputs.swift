#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The normalised inputs of a GP: per row a time `t` and a vector `z` (score before, then the
/// hyperparameters), with the pairwise squared distances the kernel needs, computed once.
struct PB2Inputs {
    /// The number of rows.
    let count: Int
    /// The length of each `z`.
    let dimension: Int
    /// `t` per row.
    let time: [Double]
    /// `z` per row, row-major `count × dimension`.
    let z: [Double]
    /// `‖zᵢ − zⱼ‖²`, row-major `count × count`.
    let squaredDistance: [Double]
    /// `|tᵢ − tⱼ|`, row-major `count × count`.
    let timeDistance: [Double]

    /// Creates the inputs and their pairwise distances.
    /// - Complexity: O(count² · dimension).
    init(time: [Double], z: [Double], dimension: Int) {
        let n = time.count
        self.count = n
        self.dimension = dimension
        self.time = time
        self.z = z
        var squared = [Double](repeating: 0, count: n * n)
        var temporal = [Double](repeating: 0, count: n * n)
        z.withUnsafeBufferPointer { z in
            squared.withUnsafeMutableBufferPointer { d in
                for i in 0..<n {
                    for j in 0..<i {
                        var sum = 0.0
                        for k in 0..<dimension {
                            let difference = z[i * dimension + k] - z[j * dimension + k]
                            sum += difference * difference
                        }
                        d[i * n + j] = sum
                        d[j * n + i] = sum
                    }
                }
            }
        }
        for i in 0..<n {
            for j in 0..<i {
                let distance = abs(time[i] - time[j])
                temporal[i * n + j] = distance
                temporal[j * n + i] = distance
            }
        }
        self.squaredDistance = squared
        self.timeDistance = temporal
    }

    /// The kernel matrix without noise, `K_f`, row-major.
    /// - Complexity: O(count²) exponentials.
    func kernelMatrix(_ parameters: PB2KernelParameters) -> [Double] {
        let n = count
        var matrix = [Double](repeating: 0, count: n * n)
        let inverseLength = 1 / parameters.lengthscale
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let variance = parameters.variance
        squaredDistance.withUnsafeBufferPointer { d in
            timeDistance.withUnsafeBufferPointer { t in
                matrix.withUnsafeMutableBufferPointer { k in
                    for i in 0..<n {
                        k[i * n + i] = variance
                        for j in 0..<i {
                            let value = variance * exp(-d[i * n + j] * inverseLength + halfLogDecay * t[i * n + j])
                            k[i * n + j] = value
                            k[j * n + i] = value
                        }
                    }
                }
            }
        }
        return matrix
    }
}
