import Foundation
import PBT
import PBTRuntime

/// `pbt compare`'s text output: one table with a row per arm (summary of the runs' best final
/// scores, training steps actually run, one-sided p-values (unpaired and paired) and A12 of
/// PBT against the arm, PBT's
/// wins/ties/losses by seed), then the scores seed by seed and the fixed arm's configuration.
struct ComparisonText: CustomStringConvertible {
    let result: ComparisonSummary

    init(_ result: ComparisonSummary) {
        self.result = result
    }

    var description: String {
        let seeds = result.seeds
        let seedText = seeds.count == 1 ? "seed \(seeds[0])" : "seeds \(seeds[0])–\(seeds[seeds.count - 1])"
        let direction = result.mode == .max ? "higher" : "lower"
        var lines = [
            "compare \(result.experiment): \(seedText) × \(result.population) members × \(result.steps) steps; "
                + "best member's final score per run (\(result.mode.rawValue): \(direction) is better)"
        ]
        let titles = ["arm", "median", "mean", "min", "max", "steps run"] + ArmSummary.versusPBTHeaders
        let widths = [-14, 11, 11, 11, 11, 11, 8, 15, 9, 6, 10]
        lines.append("  " + zip(titles, widths).map { Self.pad($0, $1) }.joined(separator: " "))
        for arm in result.arms {
            let scores = [arm.median, arm.mean, arm.min, arm.max].map(Format.score)
            let cells = [arm.arm.label] + scores + ["\(arm.stepsRun)"] + arm.versusPBTColumns
            lines.append("  " + zip(cells, widths).map { Self.pad($0, $1) }.joined(separator: " "))
        }
        for seed in seeds {
            let scores = result.arms.compactMap { arm in
                arm.runs.first { $0.seed == seed }.map {
                    "\(arm.arm.rawValue) \(Format.score($0.best)) (\($0.stepsRun) steps)"
                }
            }
            lines.append("  seed \(seed): " + scores.joined(separator: " · "))
        }
        if let fixed = result.fixedConfiguration {
            lines.append(
                "  fixed configuration: \(fixed.hyperparameters) (member \(fixed.member) of \(fixed.experiment), "
                    + "score \(Format.score(fixed.score)))")
        }
        lines.append(
            "  p: one-sided Mann-Whitney U, PBT's final scores better than the arm's; paired p: one-sided Wilcoxon "
                + "signed-rank on the same-seed pairs (ties dropped); A12: P(a PBT run beats the arm's) + ½·P(tie); "
                + "steps run: steps trained, those trained again (or skipped) after copying a donor included")
        return lines.joined(separator: "\n")
    }

    /// `text` right-aligned in `width` characters, or left-aligned for a negative width.
    private static func pad(_ text: String, _ width: Int) -> String {
        width < 0 ? Format.left(text, -width) : Format.right(text, width)
    }
}
