/// Population Based Bandits (Parker-Holder et al., NeurIPS 2020): suggests the hyperparameters
/// a member explores with by GP-UCB on how fast the score improved under each configuration.
///
/// Pure and seeded: the same records, point, pending configurations and generator give the
/// same suggestion. See the files beside this one for each step: `PB2Observations` (rows),
/// `PB2Model` (normalisation, `PB2Fit` of the kernel parameters, `PB2WindowSelection`),
/// `PB2Acquisition` (UCB) and `PB2Encoding` (the map to and from `[0, 1]^d`).
///
/// Unordered choices make it PB2-Mix (Parker-Holder et al., NeurIPS 2021): first a
/// time-varying EXP3 bandit per choice, replayed from the records, draws its option
/// (`PB2Bandit`); then the GP, whose kernel mixes the time-varying squared exponential over
/// the numeric columns with an overlap kernel over the choices (`PB2KernelParameters`),
/// suggests the numeric values given those options. A space of numeric and ordered domains
/// only takes none of these steps.
public struct PB2: Sendable, CustomStringConvertible {
    /// The domains; every suggestion lies in them.
    public let space: SearchSpace
    /// The most observations kept, newest first (Ray Tune: 1,000).
    public let maximumRows: Int
    /// Below this many observations the GP uses them all; above, the window search starts
    /// here (Ray Tune: 200).
    public let minimumWindow: Int
    /// The spacing of candidate window lengths (Ray Tune: 10).
    public let windowStep: Int
    /// From `minimumWindow` observations on, the kernel parameters are fitted on the newest
    /// `min(fitRows, minimumWindow)` of them, then used for every window (Ray Tune refits on each
    /// window, of at least 200). Below `minimumWindow` they are fitted on all, as in Ray Tune.
    /// A fit costs O(rows³) per likelihood evaluation: with the default 100, a 1,000-row
    /// decision takes about 71% of the time it takes with 200 (`pbt bench pb2` times both), and on
    /// histories with a known best configuration (`pbt bench pb2 --quality`) its suggestions
    /// were as good.
    public let fitRows: Int
    /// The default `fitRows`, in this initialiser and in experiment files.
    public static let defaultFitRows = 100
    /// Starts of the kernel fit (the first is Ray Tune's initial point).
    public let fitStarts: Int
    /// Seeded random starts of the acquisition's maximisation (Ray Tune: 10).
    public let acquisitionStarts: Int
    /// How far a suggestion may lie from the configuration it explores from (the donor's,
    /// after a copy), in each numeric coordinate of `[0, 1]^d` (log scale for log-uniform
    /// domains; unordered choices are the bandit's, whatever the region): in
    /// `(0, 1]`; 1, this initialiser's default, lets it lie anywhere in the domains (Ray Tune;
    /// experiment files default to 0.1, see `PB2Settings` in PBTRuntime). A smaller
    /// region keeps GP-UCB from jumping to the corners of the domains, where the GP knows least
    /// and its upper bound is highest (Wan et al. 2022, BG-PBT, use such a trust region).
    public let trustRegion: Double
    let encoding: PB2Encoding

    /// Creates PB2 for a space.
    /// - Throws: `PBTError` naming `explore.strategy` when no hyperparameter is tunable (every
    ///   one a constant or a choice of one option), or the setting out of range.
    public init(
        space: SearchSpace, maximumRows: Int = 1000, minimumWindow: Int = 200, windowStep: Int = 10,
        fitRows: Int = defaultFitRows, fitStarts: Int = 3, acquisitionStarts: Int = 10, trustRegion: Double = 1
    ) throws {
        let settings = [
            ("explore.maximum_rows", maximumRows, 2), ("explore.minimum_window", minimumWindow, 2),
            ("explore.window_step", windowStep, 1), ("explore.fit_rows", fitRows, 2),
            ("explore.fit_starts", fitStarts, 1),
            ("explore.acquisition_starts", acquisitionStarts, 1),
        ]
        for (field, value, least) in settings where value < least {
            throw PBTError.invalidSetting(field, "must be at least \(least), got \(value)")
        }
        guard trustRegion > 0, trustRegion <= 1 else {
            throw PBTError.invalidSetting("explore.trust_region", "must be in (0, 1], got \(trustRegion)")
        }
        encoding = try PB2Encoding(space)
        self.space = space
        self.maximumRows = maximumRows
        self.minimumWindow = minimumWindow
        self.windowStep = windowStep
        self.fitRows = fitRows
        self.fitStarts = fitStarts
        self.acquisitionStarts = acquisitionStarts
        self.trustRegion = trustRegion
    }

    /// Suggests the hyperparameters for a member about to train on from `(step, score)`.
    ///
    /// With fewer than two observations there is nothing to fit: the suggestion is a draw from
    /// the space's prior (`SearchSpace.sample`) without an explanation.
    /// - Parameters:
    ///   - history: the records of the population (see `PB2Record`), each member's in order.
    ///   - step: the deciding member's step (after an exploit, the donor's).
    ///   - score: its score, oriented so that higher is better.
    ///   - pending: configurations other members chose since the latest time increase; the
    ///     suggestion avoids them through a lowered uncertainty (Desautels et al. 2014).
    ///   - origin: the configuration the member explores from, the centre of the trust region
    ///     (nil: the whole domains, whatever `trustRegion` is).
    ///   - random: the decision's generator (with unordered choices, one number per choice for
    ///     the bandit's draws comes first).
    /// - Throws: `PBTError.invalidValue` naming `history[i].name` or `pending[i].name` for a
    ///   value outside the space.
    /// - Complexity: the kernel fit on fewer than `minimumWindow` rows, or on `fitRows` (O(m³/2)
    ///   per likelihood evaluation), one O(n³/3) factorisation of the `n ≤ maximumRows` rows, and an
    ///   acquisition whose evaluations cost O(configurations²) (see `PB2Model`, `PB2Acquisition`).
    public func suggest(
        history: [PB2Record], step: Int, score: Double, pending: [Hyperparameters] = [],
        around origin: Hyperparameters? = nil, using random: inout PBTRandom
    ) throws -> PB2Suggestion {
        let data = try PB2Observations(history, encoding: encoding, maximumRows: maximumRows)
        let pendingPoints = try pending.enumerated().map {
            try encoding.encode($0.element, context: "pending[\($0.offset)]")
        }
        let pendingCategories =
            encoding.categoryCount == 0
            ? []
            : try pending.enumerated().map {
                try encoding.categories($0.element, context: "pending[\($0.offset)]")
            }
        guard data.count >= 2 else {
            return PB2Suggestion(hyperparameters: space.sample(using: &random), explanation: nil)
        }
        let choices = encoding.categoryCount == 0 ? nil : banditChoices(data, using: &random)
        let categories = choices?.map(\.chosen) ?? []
        guard
            let model = PB2Model.fit(
                data, step: Double(step), score: score, minimumWindow: minimumWindow, windowStep: windowStep,
                fitRows: fitRows, fitStarts: fitStarts, using: &random)
        else { return PB2Suggestion(hyperparameters: space.sample(using: &random), explanation: nil) }
        let process = model.process
        let acquisition = PB2Acquisition(
            process: process, pending: pendingPoints, time: model.time, score: model.score, categories: categories,
            pendingCategories: pendingCategories)
        var lower = Array(repeating: 0.0, count: encoding.dimension),
            upper = Array(repeating: 1.0, count: encoding.dimension)
        if trustRegion < 1, let origin {
            let centre = try encoding.encode(origin, context: "origin")
            lower = centre.map { max(0, $0 - trustRegion) }
            upper = centre.map { min(1, $0 + trustRegion) }
        }
        let optimiser = BoundedLBFGS(
            lower: lower, upper: upper, maximumIterations: 100, gradientTolerance: 1e-7, relativeReduction: 1e-12)
        var best: (x: [Double], value: Double)?
        if encoding.dimension == 0 { best = ([], acquisition.evaluate([]).value) }
        for _ in 0..<(encoding.dimension == 0 ? 0 : acquisitionStarts) {
            let start = (0..<encoding.dimension).map { lower[$0] + (upper[$0] - lower[$0]) * random.unit() }
            let result = optimiser.minimize(from: start) { x in
                let value = acquisition.evaluate(x)
                return (-value.value, value.gradient.map { -$0 })
            }
            if result.value.isFinite, -result.value > best?.value ?? -.infinity { best = (result.x, -result.value) }
        }
        guard let best else { return PB2Suggestion(hyperparameters: space.sample(using: &random), explanation: nil) }
        let chosen = acquisition.evaluate(best.x)
        let explanation = PB2Explanation(
            mean: chosen.mean, standardDeviation: chosen.deviation, kappa: acquisition.kappa,
            kernel: process.parameters,
            logMarginalLikelihood: process.logMarginalLikelihood, window: model.window, rows: data.count,
            pending: pendingPoints.count, rateMean: model.rateMean, rateScale: model.rateScale, categories: choices)
        return PB2Suggestion(hyperparameters: encoding.decode(best.x, categories: categories), explanation: explanation)
    }

    /// PB2-Mix: each unordered choice's option, drawn by its bandit from every kept row, in
    /// `encoding.categoricalNames` order (one number from the generator each).
    private func banditChoices(_ data: PB2Observations, using random: inout PBTRandom) -> [PB2BanditChoice] {
        let rewards = PB2Bandit.rewards(data.rate), c = data.categoryCount
        return encoding.categoricalNames.enumerated().map { index, name in
            let options = encoding.categoricalOptions[index]
            let bandit = PB2Bandit(options: options.count, batch: max(1, data.members))
            let arms = (0..<data.count).map { data.categories[$0 * c + index] }
            let (weights, rounds) = bandit.weights(times: data.time, arms: arms, rewards: rewards)
            let probabilities = bandit.probabilities(weights).probabilities
            let chosen = PB2Bandit.draw(probabilities, using: &random)
            return PB2BanditChoice(
                name: name, options: options, probabilities: probabilities, chosen: chosen, rounds: rounds)
        }
    }

    /// `pb2(maximum_rows: 1000, minimum_window: 200, window_step: 10, fit_rows: 100, fit_starts: 3,
    /// acquisition_starts: 10)`,
    /// with `, trust_region: R` when it is below 1.
    public var description: String {
        "pb2(maximum_rows: \(maximumRows), minimum_window: \(minimumWindow), window_step: \(windowStep), "
            + "fit_rows: \(fitRows), fit_starts: \(fitStarts), acquisition_starts: \(acquisitionStarts)"
            + (trustRegion < 1 ? ", trust_region: \(trustRegion))" : ")")
    }
}
