import Foundation
import PBTStore

extension HTMLReport {
    /// Reads `name` and, when it belongs to a `pbt compare`, its comparison runs from `catalog`,
    /// and makes the report.
    ///
    /// When no experiment is called `name` but a comparison `name.pbt.seedS` exists, the report
    /// is of its first PBT run, with the comparison.
    /// - Parameters:
    ///   - name: the experiment's name, or a compared experiment's base name.
    ///   - catalog: the experiments to look in.
    ///   - options: how the score and metric charts are drawn.
    /// - Throws: `ReportError.experimentNotFound` naming the experiments the catalogue holds.
    public static func make(
        _ name: String, catalog: StoreCatalog, options: ChartOptions = .init()
    ) async throws -> HTMLReport {
        let candidates = try await catalog.candidates()
        var target = name
        if try await catalog.entry(named: name) == nil,
            let first = candidates.map(\.name).sorted().first(where: { ComparisonRuns.arm(of: $0, base: name) == .pbt })
        {
            target = first
        }
        guard let entry = try await catalog.entry(named: target) else {
            let names = candidates.map(\.name)
            throw ReportError(
                .experimentNotFound,
                "no experiment named '\(name)' in \(catalog.sourceDescription); found: "
                    + (names.isEmpty ? "none (pass --store URL for another store)" : names.joined(separator: ", ")))
        }
        let history = try await ExperimentHistory.load(target, from: entry.store)
        let comparison = try await ComparisonRuns.load(for: target, candidates: candidates)
        return HTMLReport(
            history: history, comparison: comparison, location: entry.location.description, options: options)
    }
}
