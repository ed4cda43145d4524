#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses how many of the newest observations the GP uses: all of them below
/// `minimum`, otherwise the length `L ∈ {minimum, minimum + step, …} ≤ n` with the highest log
/// marginal likelihood.
///
/// Ray Tune refits the GP on every candidate window, each normalised on its own, and compares
/// the likelihoods of differently scaled data (and then returns `(index + 200) · 10`, not the
/// length it scored). Here every candidate is scored under one model: the data normalised over
/// all `n` rows, the kernel fitted on the newest `minimum` rows, and the rows ordered newest
/// first, so that each window is a leading block of one kernel matrix and one Cholesky
/// factorisation gives every window's likelihood as a prefix sum of
/// `−½ wᵢ² − log Lᵢᵢ − ½ log 2π` with `w = L⁻¹ y`.
/// - Complexity: one fit on `minimum` rows and one O(n³/3) factorisation.
enum PB2WindowSelection {
    /// The chosen window length.
    static func length(
        _ data: PB2Observations, minimum: Int, step: Int, fitStarts: Int, using random: inout PBTRandom
    ) -> Int {
        let n = data.count
        guard n >= minimum else { return n }
        let all = PB2Window(data, length: n, step: 0, score: 0, newestFirst: true)
        // The reference fit uses the all-rows scaling: take the newest rows of `all`.
        let d = all.inputs.dimension
        let reference = PB2Inputs(
            time: Array(all.inputs.time[0..<minimum]), z: Array(all.inputs.z[0..<minimum * d]), dimension: d)
        guard let fitted = PB2Fit.fit(
                inputs: reference, targets: Array(all.targets[0..<minimum]), starts: fitStarts, using: &random),
            let process = PB2GaussianProcess(inputs: all.inputs, targets: all.targets, parameters: fitted.parameters)
        else { return n }
        let whitened = process.factor.forward(all.targets)
        var best = (length: n, likelihood: -Double.infinity)
        var likelihood = 0.0
        for i in 0..<n {
            likelihood += -0.5 * whitened[i] * whitened[i] - log(process.factor.lower[i * n + i]) - 0.5 * log(2 * Double.pi)
            let length = i + 1
            if length >= minimum, (length - minimum) % step == 0, likelihood > best.likelihood {
                best = (length, likelihood)
            }
        }
        return best.length
    }
}
