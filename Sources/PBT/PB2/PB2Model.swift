/// The GP a PB2 suggestion maximises UCB on: the chosen window of the newest observations,
/// normalised, with fitted kernel parameters, and the deciding point in the same units.
///
/// Below `minimumWindow` rows this is Ray Tune's model: every row, normalised over them, the
/// kernel fitted on them. From `minimumWindow` rows on, three deviations make one suggestion
/// cost one O(n³/3) factorisation instead of Ray's refit of every candidate window
/// (see `PB2WindowSelection`):
/// - time and score are min–max normalised over all kept rows, not over the window (within a
///   window this rescales time and the score column, which the fitted ε and ℓ absorb);
/// - the kernel parameters are fitted once, on the newest `min(fitRows, minimumWindow)` rows
///   (their rates standardised over those rows), and used for every window, where Ray refits
///   on each (see `PB2.fitRows`);
/// - the chosen window's factor is the leading block of the selection's factor.
/// The chosen window's targets are Ray's: its rates standardised over it, clipped to [−2, 2].
struct PB2Model {
    /// The GP on the window, rows newest first.
    let process: PB2GaussianProcess
    /// The deciding point's normalised time.
    let time: Double
    /// The deciding point's normalised score.
    let score: Double
    /// The window's rate mean, to read a prediction in score per step.
    let rateMean: Double
    /// The window's rate standard deviation plus 10⁻⁸.
    let rateScale: Double

    /// The rows in the window.
    var window: Int { process.inputs.count }

    /// Fits the model around the deciding point `(step, score)`; nil when no kernel could be
    /// factorised.
    /// - Complexity: the fit on fewer than `minimumWindow` rows, or on `fitRows`, then O(n³/3).
    static func fit(
        _ data: PB2Observations, step: Double, score: Double, minimumWindow: Int, windowStep: Int, fitRows: Int,
        fitStarts: Int, using random: inout PBTRandom
    ) -> PB2Model? {
        let n = data.count
        let all = PB2Window(data, length: n, step: step, score: score, newestFirst: true)
        let rates = Array(data.rate.reversed())
        guard n >= minimumWindow else {
            return PB2Fit.fit(inputs: all.inputs, targets: all.targets, starts: fitStarts, using: &random).map {
                PB2Model(
                    process: $0, time: all.time, score: all.score, rateMean: all.rateMean, rateScale: all.rateScale)
            }
        }
        let fitted = min(fitRows, minimumWindow)
        let newest = PB2Window.standardise(rates[0..<fitted])
        guard
            let parameters = PB2Fit.parameters(
                inputs: all.inputs.prefix(fitted), targets: newest.targets, starts: fitStarts, using: &random)
        else { return nil }
        guard
            let factor = DenseCholesky.factorising(
                n: n,
                {
                    var matrix = all.inputs.kernelMatrix(parameters)
                    for i in 0..<n { matrix[i * n + i] += parameters.noise }
                    return matrix
                })
        else { return nil }
        let likelihoods = PB2WindowSelection.prefixLikelihoods(
            factor: factor, values: all.targets, floor: 1e-8 / all.rateScale)
        let length = PB2WindowSelection.length(likelihoods: likelihoods, minimum: minimumWindow, step: windowStep)
        let window = PB2Window.standardise(rates[0..<length])
        let process = PB2GaussianProcess(
            inputs: all.inputs.prefix(length), targets: window.targets, parameters: parameters,
            factor: factor.leading(length))
        return PB2Model(
            process: process, time: all.time, score: all.score, rateMean: window.mean, rateScale: window.scale)
    }
}
