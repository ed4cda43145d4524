import Foundation
import Neural

/// The UCI handwritten digits (1,797 8×8 images, `Resources/digits.csv`), pixels scaled to [0, 1].
struct DigitsDataset: Sendable {
    /// Pixels per image.
    static let features = 64
    /// Digit classes.
    static let classes = 10

    /// `count × 64` pixels, row-major.
    let pixels: [Float]
    /// One label 0...9 per image.
    let labels: [Int]

    var count: Int { labels.count }

    /// The copy shipped in the bundle, read once.
    static let bundled: Result<DigitsDataset, WorkloadError> = {
        guard let url = Bundle.module.url(forResource: "digits", withExtension: "csv", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url)
        else {
            return .failure(WorkloadError("digits: cannot read Resources/digits.csv from the PBTWorkloads bundle"))
        }
        return Result { try DigitsDataset(csv: String(decoding: data, as: UTF8.self)) }
            .mapError { $0 as? WorkloadError ?? WorkloadError("digits: \($0)") }
    }()

    /// Parses rows of 64 pixel values 0...16 and a label 0...9.
    init(csv: String) throws {
        var pixels: [Float] = []
        var labels: [Int] = []
        for (index, line) in csv.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: ",")
            guard fields.count == Self.features + 1, let label = Int(fields[Self.features]),
                (0..<Self.classes).contains(label)
            else {
                throw WorkloadError("digits.csv line \(index + 1): expected 64 pixels and a label 0...9")
            }
            for field in fields.prefix(Self.features) {
                guard let value = Int(field), (0...16).contains(value) else {
                    throw WorkloadError("digits.csv line \(index + 1): pixel '\(field)' is not an integer 0...16")
                }
                pixels.append(Float(value) / 16)
            }
            labels.append(label)
        }
        self.pixels = pixels
        self.labels = labels
    }

    /// The rows at `indices`, in that order.
    func subset(_ indices: [Int]) -> LabeledRows {
        var x = [Float]()
        x.reserveCapacity(indices.count * Self.features)
        for i in indices { x.append(contentsOf: pixels[(i * Self.features)..<((i + 1) * Self.features)]) }
        return LabeledRows(features: Self.features, values: x, labels: indices.map { labels[$0] })
    }

    /// A stratified split: shuffles each class's rows with a generator seeded by `seed`, then
    /// gives the first 60% (rounded) to training, the next 20% to validation and the rest to test.
    static func split(_ data: DigitsDataset, seed: UInt64) -> ClassificationData {
        var rng = NeuralRNG(seed: seed)
        var train: [Int] = [], validation: [Int] = [], test: [Int] = []
        for label in 0..<classes {
            var rows = data.labels.indices.filter { data.labels[$0] == label }
            rows.fisherYatesShuffle(using: &rng)
            let trainCount = Int((Double(rows.count) * 0.6).rounded())
            let validationCount = Int((Double(rows.count) * 0.2).rounded())
            train += rows[0..<trainCount]
            validation += rows[trainCount..<(trainCount + validationCount)]
            test += rows[(trainCount + validationCount)...]
        }
        return ClassificationData(
            features: features, classes: classes, train: data.subset(train.sorted()),
            validation: data.subset(validation.sorted()), test: data.subset(test.sorted()))
    }
}
