/// Where PBT stands against another arm of a comparison: a one-sided Mann-Whitney U test
/// (alternative: PBT's final scores are better), the one-sided Wilcoxon signed-rank test on
/// the same-seed pairs, the Vargha–Delaney A12 of PBT against the arm, and PBT's wins, ties
/// and losses seed by seed.
///
/// Everything is in fitness terms (`ScoreMode.fitness`), so "better" means lower for
/// `mode: min`.
public struct VersusPBT: Sendable, Hashable, Codable {
    /// The one-sided p-value of `scipy.stats.mannwhitneyu(pbt, other, alternative='greater')`
    /// on fitness; nil when either arm has no run.
    public var pValue: Double?
    /// The one-sided p-value of `scipy.stats.wilcoxon(pbt, other, alternative='greater')` on
    /// the fitness of the seeds both arms ran: the arms share seeds, initial draws and trainable
    /// seeds, so this test sees PBT's effect seed by seed where Mann–Whitney's compares it with
    /// the spread between seeds. Nil when no seed was run by both.
    public var pairedPValue: Double?
    /// P(PBT's run beats the arm's) + 0.5 · P(tie), over all pairs of runs; nil as `pValue`.
    public var a12: Double?
    /// Seeds where PBT's final score is better than the arm's.
    public var wins: Int
    /// Seeds where both are equal.
    public var ties: Int
    /// Seeds where PBT's is worse.
    public var losses: Int

    /// Compares PBT's final scores with another arm's.
    /// - Parameters:
    ///   - pbt: PBT's best final score by seed, as reported.
    ///   - other: the other arm's, by seed.
    ///   - mode: whether higher or lower scores are better.
    public init(pbt: [UInt64: Double], other: [UInt64: Double], mode: ScoreMode) {
        let x = pbt.keys.sorted().map { mode.fitness(pbt[$0]!) }
        let y = other.keys.sorted().map { mode.fitness(other[$0]!) }
        pValue = MannWhitneyU(x, y, alternative: .greater)?.pValue
        let paired = pbt.keys.sorted().filter { other[$0] != nil }
        pairedPValue =
            WilcoxonSignedRank(
                paired.map { mode.fitness(pbt[$0]!) }, paired.map { mode.fitness(other[$0]!) }, alternative: .greater)?
            .pValue
        a12 = VarghaDelaneyA12(x, y)?.value
        var wins = 0, ties = 0, losses = 0
        for seed in pbt.keys where other[seed] != nil {
            let a = mode.fitness(pbt[seed]!), b = mode.fitness(other[seed]!)
            if a > b { wins += 1 } else if a == b { ties += 1 } else { losses += 1 }
        }
        (self.wins, self.ties, self.losses) = (wins, ties, losses)
    }
}
