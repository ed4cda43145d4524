import PBT
import PBTRuntime

/// A built-in workload that trains an ``MLPClassifier`` (`digits`, `signals`): everything but
/// its data and network sizes, which ``setup`` gives.
protocol ClassificationWorkload: Workload {
    /// The data, network and checkpoint tag.
    var setup: ClassifierSetup { get }
}

extension ClassificationWorkload {
    /// `lr`, `weight_decay`, `dropout`.
    public var hyperparameterNames: [String] { MLPClassifier.ranges.map(\.name) }

    /// See `MLPClassifier.ranges`.
    public var hyperparameterRanges: [HyperparameterRange] { MLPClassifier.ranges }

    /// A fresh classifier with seeded weights.
    /// - Throws: `WorkloadError` for a bad hyperparameter.
    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
        try makeClassifier(hyperparameters: hyperparameters, seed: seed)
    }

    /// A fresh classifier, synchronously.
    /// - Throws: `WorkloadError` for a bad hyperparameter.
    public func makeClassifier(hyperparameters: Hyperparameters, seed: UInt64) throws -> MLPClassifier {
        let classifier = try MLPClassifier(setup: setup, seed: seed)
        try classifier.apply(hyperparameters)
        return classifier
    }

    /// The test accuracy of the member saved in `checkpoint`.
    /// - Throws: `WorkloadError` when the bytes are not a checkpoint of this workload.
    public func heldOutScore(checkpoint: () async throws -> [UInt8]) async throws -> Double? {
        let classifier = try MLPClassifier(setup: setup, seed: 0)
        try classifier.restore(from: try await checkpoint())
        return classifier.testAccuracy()
    }
}
