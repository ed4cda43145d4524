import PBT
import PBTRuntime

/// The `signals` workload: an MLP classifier (40 → `hidden` × `layers` ReLU → 10, AdamW and
/// dropout; see ``MLPClassifier`` for the hyperparameters `lr`, `weight_decay`, `dropout`) on
/// a procedurally generated, seeded dataset of 1-D signals: harder than `digits` for an MLP,
/// so the budget and the hyperparameters' schedules matter.
///
/// The data is generated from `data_seed` when the workload is made (no download); every
/// member sees the same rows. Score: accuracy on the validation rows; the best member's
/// accuracy on the test rows is reported by `pbt run`.
public struct Signals: ClassificationWorkload {
    /// Hidden width.
    public let hidden: Int
    /// Hidden layers.
    public let layers: Int
    /// Rows per minibatch.
    public let batchSize: Int
    let setup: ClassifierSetup

    /// Creates the workload and generates its data.
    /// - Parameters:
    ///   - hidden: hidden width, 1...4096 (option `hidden`, default 128).
    ///   - layers: hidden layers, 1...8 (option `layers`, default 2).
    ///   - batchSize: rows per step (option `batch`, default 64).
    ///   - trainRows: training rows (option `train_rows`, default 4,000).
    ///   - heldOutRows: validation and test rows each (option `held_out_rows`, default 5,000).
    ///   - correlatedNoise: standard deviation of the correlated noise (option `noise`,
    ///     default 0.3).
    ///   - dataSeed: the dataset's seed (option `data_seed`, default 0).
    public init(
        hidden: Int = 128, layers: Int = 2, batchSize: Int = 64, trainRows: Int = 4000, heldOutRows: Int = 5000,
        correlatedNoise: Double = 0.3, dataSeed: UInt64 = 0
    ) {
        self.hidden = hidden
        self.layers = layers
        self.batchSize = batchSize
        let data = SignalsDataset.make(
            seed: dataSeed, trainRows: trainRows, heldOutRows: heldOutRows, correlatedNoise: correlatedNoise)
        setup = ClassifierSetup(
            workload: "signals", tag: "SGNL", data: data, hidden: Array(repeating: hidden, count: layers),
            batchSize: batchSize)
    }

    /// Reads the workload's options: `hidden`, `layers`, `batch`, `train_rows`,
    /// `held_out_rows`, `noise`, `data_seed`.
    static func make(_ options: inout WorkloadOptions) throws -> Signals {
        let hidden = try options.integer("hidden", default: 128, in: 1...4096)
        let layers = try options.integer("layers", default: 2, in: 1...8)
        let trainRows = try options.integer("train_rows", default: 4000, in: 10...1_000_000)
        let batch = try options.integer("batch", default: 64, in: 1...trainRows)
        let heldOutRows = try options.integer("held_out_rows", default: 5000, in: 10...1_000_000)
        let noise = try options.number("noise", default: 0.3, in: 0...10)
        let dataSeed = try options.integer("data_seed", default: 0, in: 0...Int.max)
        return Signals(
            hidden: hidden, layers: layers, batchSize: batch, trainRows: trainRows, heldOutRows: heldOutRows,
            correlatedNoise: noise, dataSeed: UInt64(dataSeed))
    }
}
