import Foundation
import PBT
import PBTStore

/// How far an experiment has come, read from its store.
public struct Progress: Sendable, Equatable {
    /// Members done or failed.
    public var finishedMembers: Int
    /// Members failed.
    public var failedMembers: Int
    /// All members.
    public var members: Int
    /// Steps trained, counting each member's current step.
    public var steps: Int
    /// Steps of the whole budget (members × steps).
    public var totalSteps: Int
    /// The best latest score, as reported.
    public var bestScore: Double?
    /// Exploits so far.
    public var exploits: Int

    /// Reads the progress of `experiment`.
    public init(experiment: String, store: any PopulationStore, budget: Int, mode: ScoreMode) async throws {
        let records = try await store.members(of: experiment)
        let events = try await store.events(of: experiment)
        finishedMembers = records.finishedCount
        failedMembers = records.failedCount
        members = records.count
        steps = records.reduce(0) { $0 + ($1.status == .done || $1.status == .failed ? budget : $1.step) }
        totalSteps = budget * records.count
        bestScore = records.best(by: mode)?.score
        exploits = events.filter(\.isExploit).count
    }

    /// The fraction of the budget trained, 0...1.
    public var fraction: Double { totalSteps == 0 ? 1 : Double(steps) / Double(totalSteps) }

    /// One line: members done, steps, best score, exploits, elapsed and remaining time.
    public func line(elapsed: Double) -> String {
        let remaining = fraction > 0 && fraction < 1 ? elapsed * (1 - fraction) / fraction : 0
        let best = bestScore.map { String(format: "%.6g", $0) } ?? "—"
        let percent = Int((fraction * 100).rounded(.down))
        return [MemberRecord].doneText(finished: finishedMembers, failed: failedMembers, of: members)
            + " · \(steps)/\(totalSteps) steps (\(percent)%) · "
                + """
                best \(best) · \(exploits) exploits · \(Self.duration(elapsed)) elapsed · \(Self.duration(remaining)) \
                left
                """
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return String(format: "%.1fs", seconds) }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", total / 60 % 60))m"
    }
}
