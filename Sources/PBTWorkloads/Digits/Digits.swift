import Neural
import PBT
import PBTRuntime

/// The `digits` workload: an MLP classifier (64 → `hidden` ReLU → 10) on the UCI handwritten
/// digits, trained with Adam (decoupled weight decay) and dropout on the hidden layer (see
/// ``MLPClassifier`` for the hyperparameters `lr`, `weight_decay`, `dropout`).
///
/// The 1,797 images are split 60/20/20 into train (1,078), validation (359) and test (360)
/// rows, stratified by class, with the generator seeded by ``splitSeed`` — the same split for
/// every member, independent of member seeds. One training **step** is one minibatch of
/// ``batchSize`` rows drawn without replacement from a per-epoch shuffle of the training rows.
///
/// Score: accuracy on the validation rows. `heldOutScore(checkpoint:)` gives the test
/// accuracy of a saved member (for reporting the best one).
public struct Digits: ClassificationWorkload {
    /// Hidden width.
    public let hidden: Int
    /// Rows per minibatch.
    public let batchSize: Int
    /// Seed of the stratified split.
    public let splitSeed: UInt64
    let setup: ClassifierSetup

    /// Creates the workload, loading the bundled data.
    /// - Parameters:
    ///   - hidden: hidden width, 1...4096 (option `hidden`, default 128).
    ///   - batchSize: rows per step, 1...1078 (option `batch`, default 64).
    ///   - splitSeed: split seed (option `split_seed`, default 0).
    /// - Throws: `WorkloadError` when the bundled data cannot be read.
    public init(hidden: Int = 128, batchSize: Int = 64, splitSeed: UInt64 = 0) throws {
        self.hidden = hidden
        self.batchSize = batchSize
        self.splitSeed = splitSeed
        setup = ClassifierSetup(
            workload: "digits", tag: "DGTS",
            data: DigitsDataset.split(try DigitsDataset.bundled.get(), seed: splitSeed),
            hidden: [hidden], batchSize: batchSize)
    }

    /// Rows in the training, validation and test parts.
    public var splitSizes: (train: Int, validation: Int, test: Int) {
        (setup.data.train.count, setup.data.validation.count, setup.data.test.count)
    }

    /// Reads the workload's options: `hidden`, `batch`, `split_seed`.
    static func make(_ options: inout WorkloadOptions) throws -> Digits {
        let hidden = try options.integer("hidden", default: 128, in: 1...4096)
        let batch = try options.integer("batch", default: 64, in: 1...1078)
        let splitSeed = try options.integer("split_seed", default: 0, in: 0...Int.max)
        return try Digits(hidden: hidden, batchSize: batch, splitSeed: UInt64(splitSeed))
    }
}
