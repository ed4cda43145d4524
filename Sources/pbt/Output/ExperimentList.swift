import Foundation
import PBT
import PBTRuntime
import PBTStore

/// What `pbt list` shows: one row per experiment in one or more stores.
struct ExperimentList: Codable {
    /// One experiment.
    struct Row: Codable {
        var experiment: String
        /// The store, with any password hidden.
        var store: String
        var members: Int
        /// Members done or failed.
        var done: Int
        var bestScore: Double?
        var created: Date

        enum CodingKeys: String, CodingKey {
            case experiment, store, members, done, created
            case bestScore = "best_score"
        }
    }

    var experiments: [Row] = []

    /// Adds every experiment of `store`, oldest first.
    mutating func add(_ store: any PopulationStore, at location: StoreLocation) async throws {
        for record in try await store.experiments() {
            let config = try? JSONDecoder().decode(ExperimentConfig.self, from: Data(record.configuration.utf8))
            let mode = config?.mode ?? .max
            let members = try await store.members(of: record.name)
            experiments.append(
                Row(
                    experiment: record.name, store: location.description, members: members.count,
                    done: members.finishedCount, bestScore: members.best(by: mode)?.score,
                    created: record.createdAt))
        }
    }

    /// The rows as a table; the store column only when there are several stores.
    var text: String {
        guard !experiments.isEmpty else { return "no experiments" }
        let width = max(10, experiments.map(\.experiment.count).max() ?? 0)
        let showStore = Set(experiments.map(\.store)).count > 1
        var lines = [
            Format.left("experiment", width) + "  members   done   best score  created"
                + (showStore ? "                  store" : "")
        ]
        for row in experiments {
            lines.append(
                Format.left(row.experiment, width) + Format.right(String(row.members), 9)
                    + Format.right(String(row.done), 7)
                    + Format.right(Format.score(row.bestScore), 13) + "  " + Format.date(row.created)
                    + (showStore ? "  \(row.store)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
