import Foundation
import Neural

/// A procedurally generated, seeded classification dataset of 1-D signals, in the spirit of
/// MNIST-1D (Greydanus 2020): each of 10 classes is a short template (12 points) that is
/// scaled, stretched, placed at a random circular shift, sheared and buried in correlated noise,
/// giving 40 values per row. Position, width and slope vary freely, so an MLP must learn every
/// shifted copy of every shape from limited data: its accuracy has headroom, and learning rate,
/// weight decay and dropout (and their schedules) matter.
///
/// Generation, per row of class k (every draw from a generator seeded by the dataset seed and
/// the part — train, validation or test — so the parts never share rows):
/// 1. amplitude a ~ U(0.6, 1.4); width w ~ U(12, 24) positions; shift s ~ U{0, …, 39};
///    shear g ~ U(−0.75, 0.75);
/// 2. position j (0…39) holds a · template_k(((j − s) mod 40) · 11 / (w − 1)), linearly
///    interpolated between template points, 0 past the template's end;
/// 3. plus g · (j / 39 − 0.5), plus correlated noise (white Gaussian noise smoothed by a
///    circular Gaussian filter of σ = 2 positions, rescaled to standard deviation
///    `correlatedNoise`), plus white noise of standard deviation 0.05.
///
/// Labels cycle 0, 1, …, 9, so every part is balanced.
enum SignalsDataset {
    /// Values per row.
    static let length = 40
    /// Classes.
    static let classes = 10
    /// Points per template.
    static let templateLength = 12
    /// Standard deviation of the white noise added to every value.
    static let whiteNoise = 0.05
    /// Width of the noise filter, in positions.
    static let noiseFilterWidth = 2.0

    /// The class templates: hump, spike, rising ramp, falling ramp, two humps, step up, step
    /// down, valley, one sine period, zigzag.
    static let templates: [[Double]] = {
        let hump: [Double] = [0, 0.3, 0.6, 0.85, 1, 1, 1, 1, 0.85, 0.6, 0.3, 0]
        let ramp = (0..<templateLength).map { -1 + 2 * Double($0) / Double(templateLength - 1) }
        return [
            hump,
            [0, 0, 0, 0, 0.2, 1, 1, 0.2, 0, 0, 0, 0],
            ramp,
            ramp.reversed(),
            [0, 0.7, 1, 0.7, 0, 0, 0, 0, 0.7, 1, 0.7, 0],
            [-1, -1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1],
            hump.map { -$0 },
            (0..<templateLength).map { sin(2 * Double.pi * Double($0) / Double(templateLength)) },
            [0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0, -1],
        ]
    }()

    /// The three parts of the dataset.
    /// - Parameters:
    ///   - seed: the dataset seed.
    ///   - trainRows: rows to train on; validation and test have `heldOutRows` each.
    ///   - correlatedNoise: standard deviation of the correlated noise.
    static func make(seed: UInt64, trainRows: Int, heldOutRows: Int, correlatedNoise: Double) -> ClassificationData {
        func part(_ index: UInt64, _ rows: Int) -> LabeledRows {
            var rng = NeuralRNG(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ index)
            return generate(rows: rows, correlatedNoise: correlatedNoise, using: &rng)
        }
        return ClassificationData(
            features: length, classes: classes, train: part(1, trainRows), validation: part(2, heldOutRows),
            test: part(3, heldOutRows))
    }

    /// `rows` rows, labels cycling through the classes.
    static func generate(rows: Int, correlatedNoise: Double, using rng: inout NeuralRNG) -> LabeledRows {
        var values = [Float](repeating: 0, count: rows * length)
        var row = [Double](repeating: 0, count: length)
        var noise = row
        let filter = gaussianFilter()
        for r in 0..<rows {
            draw(class: r % classes, into: &row, using: &rng)
            for j in 0..<length { noise[j] = rng.normal() }
            let smoothed = circularConvolution(noise, filter)
            let scale = correlatedNoise / standardDeviation(smoothed)
            for j in 0..<length {
                values[r * length + j] = Float(row[j] + scale * smoothed[j] + rng.normal(standardDeviation: whiteNoise))
            }
        }
        return LabeledRows(features: length, values: values, labels: (0..<rows).map { $0 % classes })
    }

    /// One clean row of class `label` (steps 1 and 2, plus the shear).
    static func draw(class label: Int, into row: inout [Double], using rng: inout NeuralRNG) {
        let amplitude = 0.6 + 0.8 * rng.nextDouble()
        let width = 12 + 12 * rng.nextDouble()
        let shift = Int(rng.next() % UInt64(length))
        let shear = -0.75 + 1.5 * rng.nextDouble()
        let template = templates[label]
        let last = Double(templateLength - 1)
        for j in 0..<length {
            let position = Double((j - shift + length) % length) * last / (width - 1)
            var value = 0.0
            if position <= last {
                let lower = min(Int(position), templateLength - 2)
                let fraction = position - Double(lower)
                value = template[lower] * (1 - fraction) + template[lower + 1] * fraction
            }
            row[j] = amplitude * value + shear * (Double(j) / Double(length - 1) - 0.5)
        }
    }

    /// A normalised Gaussian kernel of σ = `noiseFilterWidth`, radius 3σ.
    static func gaussianFilter() -> [Double] {
        let radius = Int((3 * noiseFilterWidth).rounded(.up))
        let weights = (-radius...radius).map { exp(-Double($0 * $0) / (2 * noiseFilterWidth * noiseFilterWidth)) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// `signal` convolved with the centred `kernel`, wrapping around the ends.
    static func circularConvolution(_ signal: [Double], _ kernel: [Double]) -> [Double] {
        let radius = kernel.count / 2, n = signal.count
        return (0..<n).map { j in
            kernel.indices.reduce(0) { sum, k in sum + kernel[k] * signal[((j + k - radius) % n + n) % n] }
        }
    }

    static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return max(variance.squareRoot(), 1e-12)
    }
}
