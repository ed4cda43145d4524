import Foundation
import PBTStore

/// Deleting an experiment from its store (`pbt delete`, `pbt run --fresh`): refused while a
/// worker holds a live lease on one of its members, unless forced.
public enum ExperimentDeletion {
    /// What a deletion removed.
    public struct Summary: Hashable, Sendable, CustomStringConvertible {
        /// The experiment's members.
        public var members: Int
        /// The scores recorded.
        public var scores: Int
        /// The exploit and explore events recorded.
        public var events: Int
        /// The checkpoints the store kept.
        public var checkpoints: Int

        /// Creates a summary.
        public init(members: Int, scores: Int, events: Int, checkpoints: Int) {
            self.members = members
            self.scores = scores
            self.events = events
            self.checkpoints = checkpoints
        }

        /// `4 members, 120 scores, 9 events, 8 checkpoints`.
        public var description: String {
            "\(members) members, \(scores) scores, \(events) events, \(checkpoints) checkpoints"
        }
    }

    /// Workers hold live leases on members of the experiment: deleting it under them would
    /// make them fail when they next reach the store.
    public struct LiveWorkers: Error, Hashable, Sendable, CustomStringConvertible {
        /// The experiment.
        public var experiment: String
        /// The members with a live lease and their workers, by slot.
        public var leases: [Int: String]

        /// What is wrong and the fix.
        public var description: String {
            let held = leases.keys.sorted().map { "member \($0) (worker \(leases[$0]!))" }.joined(separator: ", ")
            return
                "experiment '\(experiment)' is being trained: live leases on \(held); stop its workers (or wait until "
                + "their leases lapse), or delete it anyway with pbt delete \(experiment) --force"
        }
    }

    /// Deletes experiment `name` and everything the store holds of it.
    /// - Parameters:
    ///   - name: the experiment's name.
    ///   - store: the store holding it.
    ///   - force: delete even while workers hold live leases (they fail when they next reach
    ///     the store).
    ///   - now: the time leases are compared with.
    /// - Returns: what was deleted.
    /// - Throws: `LiveWorkers` (nothing is deleted); `StoreError.experimentNotFound`.
    @discardableResult
    public static func delete(
        _ name: String, from store: any PopulationStore, force: Bool = false, now: Date = Date()
    ) async throws -> Summary {
        let members = try await store.members(of: name)
        let live = members.filter { ($0.lease?.expiresAt ?? .distantPast) > now }
        guard force || live.isEmpty else {
            throw LiveWorkers(
                experiment: name, leases: Dictionary(uniqueKeysWithValues: live.map { ($0.slot, $0.lease!.worker) }))
        }
        let summary = Summary(
            members: members.count, scores: try await store.scores(of: name).count,
            events: try await store.events(of: name).count,
            checkpoints: try await store.storedCheckpoints(of: name).count)
        try await store.delete(experiment: name)
        return summary
    }
}
