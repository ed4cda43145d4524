import PBT
import PBTStore

/// How far an experiment has come, as the dashboard shows it.
public struct ExperimentProgress: Sendable, Hashable, Codable {
    /// Members done or failed.
    public var finishedMembers: Int
    /// Members failed.
    public var failedMembers: Int
    /// All members.
    public var members: Int
    /// Steps trained, counting finished members as their whole budget.
    public var steps: Int
    /// The whole budget (members × steps), or nil when the budget is unknown.
    public var totalSteps: Int?
    /// The best latest score, as reported.
    public var bestScore: Double?
    /// Exploits so far.
    public var exploits: Int
    /// Scores recorded so far.
    public var readyPoints: Int
    /// What ended the experiment before its budget (a `stop:` rule), if anything did.
    public var stop: StopRecord?

    /// Whether every member is done or failed, or a `stop:` rule ended the experiment.
    public var finished: Bool { (members > 0 && finishedMembers == members) || stop != nil }

    /// Computes the progress of `history`.
    public init(_ history: ExperimentHistory) {
        let budget = history.settings.steps
        let isFinished: (MemberRecord) -> Bool = { $0.status == .done || $0.status == .failed }
        finishedMembers = history.members.filter(isFinished).count
        failedMembers = history.members.failedCount
        members = history.members.count
        steps = history.members.reduce(0) { $0 + (isFinished($1) ? (budget ?? $1.step) : $1.step) }
        totalSteps = budget.map { $0 * history.members.count }
        bestScore = history.best?.score
        exploits = history.events.filter(\.isExploit).count
        readyPoints = history.scores.count
        stop = history.experiment.stop
    }

    /// One line: members done, steps of the budget, best score, exploits.
    public var line: String {
        let total = totalSteps.map { "/\($0)" } ?? ""
        let best = bestScore.map { Format.number($0) } ?? "—"
        return [MemberRecord].doneText(finished: finishedMembers, failed: failedMembers, of: members)
            + " · \(steps)\(total) steps · best \(best) · \(exploits) exploits"
            + (stop.map { " · stopped (\($0.summary))" } ?? (finished ? " · finished" : " · running"))
    }
}
