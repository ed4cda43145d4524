/// The newest `length` observations, normalised for the GP: time and score-before min–max
/// over the window (the deciding point scaled the same way, so it may fall outside [0, 1]; a
/// column without spread maps to 0), hyperparameters already in `[0, 1]` (unordered choices
/// as option indices), and the rates
/// standardised (`(y − mean) / (std + 10⁻⁸)`, population std, as Ray Tune) then clipped to
/// [−2, 2].
struct PB2Window {
    /// The GP inputs: `t`, then `z = (score before, h…)`, and the option indices.
    let inputs: PB2Inputs
    /// The standardised, clipped rates.
    let targets: [Double]
    /// The deciding point's normalised time.
    let time: Double
    /// The deciding point's normalised score.
    let score: Double
    /// The rates' mean, to read a prediction in score per step.
    let rateMean: Double
    /// The rates' standard deviation plus 10⁻⁸.
    let rateScale: Double

    /// Normalises the last `length` rows of `data` around the point `(step, score)`.
    /// - Parameter newestFirst: store rows newest first (window selection reads prefixes).
    init(_ data: PB2Observations, length: Int, step: Double, score: Double, newestFirst: Bool = false) {
        let rows = Array(data.count - length..<data.count)
        let order = newestFirst ? rows.reversed() : rows
        let d = data.dimension
        func scaler(_ values: [Double]) -> (Double) -> Double {
            let low = values.min()!, spread = values.max()! - low
            return { spread > 0 ? ($0 - low) / spread : 0 }
        }
        let scaleTime = scaler(rows.map { data.time[$0] })
        let scaleScore = scaler(rows.map { data.scoreBefore[$0] })
        var z: [Double] = []
        z.reserveCapacity(length * (d + 1))
        for row in order {
            z.append(scaleScore(data.scoreBefore[row]))
            z.append(contentsOf: data.hyperparameters[row * d..<(row + 1) * d])
        }
        let c = data.categoryCount
        inputs = PB2Inputs(
            time: order.map { scaleTime(data.time[$0]) }, z: z, dimension: d + 1,
            categories: c > 0 ? order.flatMap { data.categories[$0 * c..<($0 + 1) * c] } : [], categoryCount: c)
        (targets, rateMean, rateScale) = Self.standardise(order.map { data.rate[$0] }[...])
        time = scaleTime(step)
        self.score = scaleScore(score)
    }

    /// Ray Tune's standardisation: `(y − mean) / (std + 10⁻⁸)` (population std), clipped to
    /// [−2, 2], with the mean and the scale `std + 10⁻⁸`.
    static func standardise(_ rates: ArraySlice<Double>) -> (targets: [Double], mean: Double, scale: Double) {
        let mean = rates.reduce(0, +) / Double(rates.count)
        let deviation = (rates.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rates.count)).squareRoot()
        return (rates.map { min(2, max(-2, ($0 - mean) / (deviation + 1e-8))) }, mean, deviation + 1e-8)
    }
}
