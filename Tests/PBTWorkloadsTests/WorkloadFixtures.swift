import PBT
import PBTRuntime

@testable import PBTWorkloads

/// Small, fast settings of each workload for debug-build tests.
enum Fixtures {
    static func hyperparameters(_ values: [String: Double]) -> Hyperparameters {
        Hyperparameters(values.mapValues { .number($0) })
    }

    static let cartPole = CartPole(hidden: 16, environments: 4)
    static let cartPoleHyperparameters = hyperparameters(["lr": 3e-3, "entropy": 0.01, "gamma": 0.99, "unroll": 8])

    static func digits() throws -> Digits { try Digits(hidden: 32, batchSize: 32) }
    static let digitsHyperparameters = hyperparameters(["lr": 3e-3, "weight_decay": 1e-4, "dropout": 0.1])

    static let signals = Signals(hidden: 32, layers: 2, batchSize: 32, trainRows: 600, heldOutRows: 300)
    static let signalsHyperparameters = hyperparameters(["lr": 3e-3, "weight_decay": 1e-4, "dropout": 0.1])

    static let gan = GAN(hidden: 16, noise: 2, batchSize: 32)
    static let ganHyperparameters = hyperparameters(["lr_d": 1e-3, "lr_g": 1e-3])

    /// Each workload with its test hyperparameters.
    static func all() throws -> [(name: String, workload: any Workload, hyperparameters: Hyperparameters)] {
        [
            ("cartpole", cartPole, cartPoleHyperparameters),
            ("digits", try digits(), digitsHyperparameters),
            ("signals", signals, signalsHyperparameters),
            ("gan", gan, ganHyperparameters),
        ]
    }
}
