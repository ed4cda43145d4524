import PBT
import PBTRuntime

/// The toy problem of the PBT paper's Figure 2.
///
/// θ starts at (0.9, 0.9). Training climbs the surrogate Q̂(θ|h) = 1.2 − (h₀θ₀² + h₁θ₁²) by
/// gradient ascent with step size `stepSize`; the score is the true objective
/// Q(θ) = 1.2 − (θ₀² + θ₁²), whose maximum 1.2 is at θ = 0. A member with h = (1, 0) can only
/// shrink θ₀ and one with h = (0, 1) only θ₁: alone, each stalls at Q = 0.39.
public struct Quadratic: Workload {
    /// The gradient-ascent step size η: each step multiplies θᵢ by (1 − 2ηhᵢ).
    public let stepSize: Double

    /// Creates the workload.
    /// - Parameter stepSize: η in (0, 0.5]; 0.01 by default.
    public init(stepSize: Double = 0.01) {
        self.stepSize = stepSize
    }

    /// `h0` and `h1`.
    public var hyperparameterNames: [String] { ["h0", "h1"] }

    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
        let model = QuadraticModel(stepSize: stepSize)
        try await model.apply(hyperparameters)
        return model
    }
}

/// One member of the toy problem: θ and the step counter.
final class QuadraticModel: Trainable {
    private let stepSize: Double
    private var theta = (0.9, 0.9)
    private var h = (0.0, 0.0)

    init(stepSize: Double) {
        self.stepSize = stepSize
    }

    func apply(_ hyperparameters: Hyperparameters) async throws {
        guard let h0 = hyperparameters.number("h0"), let h1 = hyperparameters.number("h1") else {
            throw WorkloadError("quadratic needs numeric hyperparameters h0 and h1, got \(hyperparameters)")
        }
        h = (h0, h1)
    }

    func train(steps: Int) async throws {
        // ∂Q̂/∂θᵢ = −2hᵢθᵢ, so one ascent step is θᵢ ← θᵢ(1 − 2ηhᵢ).
        let decay0 = 1 - 2 * stepSize * h.0, decay1 = 1 - 2 * stepSize * h.1
        for _ in 0..<steps {
            theta.0 *= decay0
            theta.1 *= decay1
        }
    }

    func evaluate() async throws -> Double {
        1.2 - (theta.0 * theta.0 + theta.1 * theta.1)
    }

    /// The score Q(θ), with the surrogate `q_hat` = Q̂(θ|h) that training ascends and θ itself
    /// (`theta0`, `theta1`).
    func evaluation() async throws -> Evaluation {
        let surrogate = 1.2 - (h.0 * theta.0 * theta.0 + h.1 * theta.1 * theta.1)
        return Evaluation(
            score: try await evaluate(), metrics: Metrics(["q_hat": surrogate, "theta0": theta.0, "theta1": theta.1]))
    }

    func save() async throws -> [UInt8] {
        var writer = ByteWriter()
        writer.append(theta.0)
        writer.append(theta.1)
        return writer.bytes
    }

    func restore(from checkpoint: [UInt8]) async throws {
        var reader = ByteReader(checkpoint, what: "quadratic checkpoint")
        let theta0 = try reader.double(), theta1 = try reader.double()
        try reader.finish()
        theta = (theta0, theta1)
    }
}
