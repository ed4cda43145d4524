import Foundation

extension ArmSummary {
    /// The columns PBT's comparison table shows for an arm beyond its scores, as text (the
    /// command line and the report print the same): steps run against PBT's (`+2.5%`), the
    /// one-sided p-values of Mann–Whitney and of the paired Wilcoxon test (4 significant
    /// digits), A12 (2 decimals) and PBT's wins/ties/losses by seed (`3/0/1`); `—` where there
    /// is none (PBT's own row).
    public var versusPBTColumns: [String] {
        [
            stepsVersusPBTPercent.map { String(format: "%+.1f%%", $0) } ?? "—",
            versusPBT?.pValue.map { String(format: "%.4g", $0) } ?? "—",
            versusPBT?.pairedPValue.map { String(format: "%.4g", $0) } ?? "—",
            versusPBT?.a12.map { String(format: "%.2f", $0) } ?? "—",
            versusPBT.map { "\($0.wins)/\($0.ties)/\($0.losses)" } ?? "—",
        ]
    }

    /// The headers of `versusPBTColumns`.
    public static let versusPBTHeaders = ["vs PBT", "p (PBT better)", "paired p", "A12", "PBT W/T/L"]
}
