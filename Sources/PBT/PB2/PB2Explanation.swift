/// Why PB2 chose what it chose: the GP's prediction at the chosen point and the fitted model,
/// and with unordered choices (PB2-Mix) the bandit's probabilities.
///
/// Means and deviations are in standardised rate units (the GP's targets); multiply by
/// `rateScale` and add `rateMean` (for the mean) to read score per step.
public struct PB2Explanation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The data GP's posterior mean at the chosen point.
    public var mean: Double
    /// The posterior standard deviation at the chosen point (from the GP with pending points).
    public var standardDeviation: Double
    /// κ = √β_t, the weight of the deviation in the acquisition.
    public var kappa: Double
    /// The fitted kernel parameters.
    public var kernel: PB2KernelParameters
    /// The data GP's log marginal likelihood at `kernel`.
    public var logMarginalLikelihood: Double
    /// The number of newest observations the GP used (the window length).
    public var window: Int
    /// The number of observations available (after the 1,000-row cap).
    public var rows: Int
    /// The number of pending configurations that lowered the uncertainty.
    public var pending: Int
    /// The mean of the raw rates (score per step) in the window.
    public var rateMean: Double
    /// The standard deviation of the raw rates in the window, plus 10⁻⁸.
    public var rateScale: Double
    /// PB2-Mix: how the bandit chose each unordered hyperparameter's option (the GP's
    /// prediction is at those options); nil without unordered choices.
    public var categories: [PB2BanditChoice]?

    /// Creates an explanation.
    /// - Parameters:
    ///   - mean: the data GP's posterior mean at the chosen point.
    ///   - standardDeviation: the posterior standard deviation there.
    ///   - kappa: κ.
    ///   - kernel: the fitted kernel parameters.
    ///   - logMarginalLikelihood: the data GP's log marginal likelihood.
    ///   - window: the observations the GP used.
    ///   - rows: the observations available.
    ///   - pending: the pending configurations.
    ///   - rateMean: the mean of the raw rates in the window.
    ///   - rateScale: their standard deviation plus 10⁻⁸.
    ///   - categories: the bandit's choices (PB2-Mix), or nil.
    public init(
        mean: Double, standardDeviation: Double, kappa: Double, kernel: PB2KernelParameters,
        logMarginalLikelihood: Double, window: Int, rows: Int, pending: Int, rateMean: Double, rateScale: Double,
        categories: [PB2BanditChoice]? = nil
    ) {
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.kappa = kappa
        self.kernel = kernel
        self.logMarginalLikelihood = logMarginalLikelihood
        self.window = window
        self.rows = rows
        self.pending = pending
        self.rateMean = rateMean
        self.rateScale = rateScale
        self.categories = categories
    }

    /// The predicted rate at the chosen point, in score per step.
    public var predictedRate: Double { mean * rateScale + rateMean }

    /// The predicted rate's standard deviation, in score per step.
    public var rateDeviation: Double { standardDeviation * rateScale }

    /// E.g. `rate 0.0124 ± 0.0031 per step, κ 1.48, 40 of 40 rows, kernel σ² 1.1, ℓ 0.52, ε 0.01, noise 0.001`,
    /// then `; bandit: ` and each `PB2BanditChoice` with unordered choices.
    public var description: String {
        func format(_ value: Double) -> String { HyperparameterValue.number(value).description }
        let bandit = categories.map { "; bandit: " + $0.map(\.description).joined(separator: "; ") } ?? ""
        return "rate \(format(predictedRate)) ± \(format(rateDeviation)) per step, κ \(format(kappa)), "
            + "\(window) of \(rows) rows\(pending > 0 ? ", \(pending) pending" : ""), kernel \(kernel)\(bandit)"
    }
}
