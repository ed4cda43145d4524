#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PB2-Mix's choice of one unordered hyperparameter's option: a time-varying EXP3 batch bandit
/// (Parker-Holder, Nguyen, Desai, Roberts, NeurIPS 2021, "Tuning Mixed Input Hyperparameters on
/// the Fly for Efficient Population Based AutoRL"), replayed from the recorded rows at every
/// decision, so it keeps no state of its own: resuming a run rebuilds it exactly.
///
/// The options are the arms (`C` of them); each observation row (a member's rate under one
/// configuration between two ready points) is a play of its option, and the rows that end at
/// one step make a round, rounds in step order. From uniform weights, each round:
/// 1. Probabilities (EXP3.M, Uchiya, Nakamura & Kudo 2010): `qᵢ = (1 − γ) w′ᵢ / Σw′ + γ / C`.
///    When the batch `B` (the members in the records) is below `C`, the weights are first
///    capped at the threshold α that keeps every option's chance of being among `B` distinct
///    plays, `B · qᵢ`, at most 1; `w′ = min(w, α)`, and the capped options are not updated.
/// 2. Rewards in [0, 1]: each row's rate standardised over all kept rows and clipped to
///    [−2, 2] exactly as the GP's targets (`PB2Window.standardise`), then mapped by
///    `(z + 2) / 4`.
/// 3. Update: every play of an uncapped option i multiplies `wᵢ` by `exp(γ · (x − x̄) / (C · qᵢ))`
///    (the importance-weighted reward `x / qᵢ` with EXP3's learning rate `γ / C`, less the
///    round's mean reward `x̄` as a baseline; see below); then, as Exp3.S (Auer et al. 2002)
///    forgets, `e · forgetting / C · Σw` is added to every weight once per play of the round,
///    and the weights are normalised.
///
/// The baseline: EXP3 assumes each play was drawn from `q`, and then subtracting the same
/// amount from every reward of a round changes nothing in expectation. Here most rows are not
/// the bandit's draws: members train on with what they have, the first configurations come
/// from the prior. With rewards in [0, 1] an option nobody happens to train would then lose
/// weight to every option that is trained at all, whatever their rates (in a test, a
/// population that drew no adam at the start kept adam's probability falling from 1/3 to 0.13
/// although adam was best). Centred on its round, a reward says how a row did against the
/// other members at the same step, an option that is not played keeps its weight, and the
/// rates' drift over training (large early, small late) cancels. A round of one row teaches
/// nothing.
///
/// The decision draws one option from `q` for the one member deciding (a dependent-rounding
/// draw of one play, as the paper's code makes, is a draw from `q`).
///
/// Deviations from the paper's code (`exp3.py` in jparkerholder/procgen_autorl), each stated:
/// - γ = 0.2 always (the code's value when `B ≥ C`; for `B < C` it derives γ from the budget,
///   which PB2 does not know).
/// - Forgetting: the share is added to every option, as Exp3.S does (the code adds it to the
///   played options' multipliers only, so an unplayed option never recovers), with
///   `forgetting = 0.001` per play (the code: 1 / (10 · ready points per member), again from the
///   budget); the probabilities are EXP3.M's without the code's extra `2.71 · ω · Σw / C`.
/// - Rewards: the standardised, clipped rates mapped to [0, 1] (the code min–max normalises the
///   raw rates, so one diverged row squashes every other reward towards one end), centred on
///   their round's mean (the code uses them as they are).
/// - Capping: α in closed form over the sorted weights (the code searches it by BFGS from 100
///   random starts); the importance weight is `qᵢ` (the code divides by `qᵢ · B` twice when
///   `B < C`).
/// - Several unordered hyperparameters get one bandit each, as in the code; pending choices of
///   other members do not change the draw (in the code they only enter the capping set, which
///   already holds them).
struct PB2Bandit {
    /// γ: the share of uniform exploration in the probabilities, and (divided by `C`) the
    /// learning rate.
    static let gamma = 0.2
    /// How much weight each play moves back towards uniform (Exp3.S's α): a memory of about
    /// 1 / 0.001 = 1,000 plays, the rows PB2 keeps (`PB2.maximumRows`' default). With 3 options
    /// and a best option whose rewards beat the others' by 0.3, the weights settle where the
    /// best one's gain per play, `γ/C · 0.3 · w(1 − w)`, equals the share it gives back,
    /// `e · 0.001 · (w − 1/C)`: w ≈ 0.9, a probability of 0.8 (0.005 would stop at w ≈ 0.6,
    /// and below 0.35 with 6 options).
    static let forgetting = 0.001

    /// `C`, the number of options.
    let options: Int
    /// `B`, the number of members that play each round (at least 1).
    let batch: Int

    /// The rewards in [0, 1] of rows with these rates (see the type's step 2).
    static func rewards(_ rates: [Double]) -> [Double] {
        PB2Window.standardise(rates[...]).targets.map { ($0 + 2) / 4 }
    }

    /// The probabilities at `weights` and which options the capping held at the threshold.
    /// - Complexity: O(C log C).
    func probabilities(_ weights: [Double]) -> (probabilities: [Double], capped: [Bool]) {
        let gamma = Self.gamma, c = Double(options)
        var capped = [Bool](repeating: false, count: options)
        var adjusted = weights
        let total = weights.reduce(0, +)
        let ratio = (1 / Double(batch) - gamma / c) / (1 - gamma)
        if batch < options, let largest = weights.max(), largest >= ratio * total {
            // α / (s α + Σ of the C − s smallest) = ratio, with the s largest weights at or above α.
            let order = weights.indices.sorted { weights[$0] > weights[$1] }
            var rest = total
            for s in 1..<options where Double(s) * ratio < 1 {
                rest -= weights[order[s - 1]]
                let alpha = ratio * rest / (1 - Double(s) * ratio)
                guard alpha <= weights[order[s - 1]], alpha > weights[order[s]] else { continue }
                for index in order[0..<s] {
                    adjusted[index] = alpha
                    capped[index] = true
                }
                break
            }
        }
        let sum = adjusted.reduce(0, +)
        return (adjusted.map { (1 - gamma) * $0 / sum + gamma / c }, capped)
    }

    /// The normalised weights after replaying the plays, and the number of rounds.
    /// - Parameters:
    ///   - times: each play's round (its row's step), nondecreasing.
    ///   - arms: each play's option index.
    ///   - rewards: each play's reward in [0, 1].
    /// - Complexity: O(plays + rounds · C log C).
    func weights(times: [Double], arms: [Int], rewards: [Double]) -> (weights: [Double], rounds: Int) {
        let c = Double(options)
        var weights = [Double](repeating: 1 / c, count: options)
        var start = 0, rounds = 0
        while start < times.count {
            var end = start
            while end < times.count && times[end] == times[start] { end += 1 }
            let (probabilities, capped) = self.probabilities(weights)
            let baseline = rewards[start..<end].reduce(0, +) / Double(end - start)
            var gains = [Double](repeating: 0, count: options)
            for play in start..<end where !capped[arms[play]] {
                gains[arms[play]] += Self.gamma * (rewards[play] - baseline) / (c * probabilities[arms[play]])
            }
            // wᵢ e^{gᵢ} + plays · e · forgetting / C · Σw, scaled by e^{−max g} (no overflow).
            let top = gains.max()!, total = weights.reduce(0, +)
            let share = Double(end - start) * Self.euler * Self.forgetting / c * total
            for i in 0..<options { weights[i] = weights[i] * exp(gains[i] - top) + share * exp(-top) }
            let sum = weights.reduce(0, +)
            for i in 0..<options { weights[i] /= sum }
            start = end
            rounds += 1
        }
        return (weights, rounds)
    }

    /// One option drawn from `probabilities` with one number from the generator.
    static func draw(_ probabilities: [Double], using random: inout PBTRandom) -> Int {
        let target = random.unit() * probabilities.reduce(0, +)
        var cumulative = 0.0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if target < cumulative { return index }
        }
        return probabilities.count - 1
    }

    /// e.
    private static let euler = exp(1.0)
}
