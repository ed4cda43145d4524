import PBT
import PBTStore

/// A store's latest scores and events as PB2 reads them (`PB2Record`): each score, and after
/// each change of hyperparameters the start of the member's new segment — the step it
/// continues from, the score there (its donor's) and its new hyperparameters.
struct PB2History {
    /// The records, each member's in the order recorded.
    private(set) var records: [PB2Record] = []
    /// The segment starts whose member has not recorded a score since: configurations taken
    /// and not yet trained with (PB2's pending points).
    var openSegments: [PB2Record] { open.values.sorted { $0.member < $1.member } }

    private var open: [Int: PB2Record] = [:]

    /// Merges `scores` and `events` (both oldest first). An event belongs to the member's
    /// score at the step where it decided: each score takes the member's next event at its
    /// step, if any. A start is left out when the donor's score at the copied step is not
    /// among `scores` (the window cut it): the member's next score then measures nothing.
    init(scores: [ScoreRecord], events: [ExploitEvent]) {
        guard !scores.isEmpty else { return }
        let scored = Set(scores.map { Key(member: $0.member, step: $0.step) })
        var queues: [Int: ArraySlice<ExploitEvent>] = [:]
        for event in events where scored.contains(Key(member: event.member, step: event.step)) {
            queues[event.member, default: []].append(event)
        }
        var latest: [Key: Double] = [:]
        records.reserveCapacity(scores.count + events.count)
        for score in scores {
            records.append(PB2Record(member: score.member, step: score.step, score: score.score, hyperparameters: score.hyperparameters))
            latest[Key(member: score.member, step: score.step)] = score.score
            open[score.member] = nil
            guard let event = queues[score.member]?.first, event.step == score.step else { continue }
            queues[score.member]?.removeFirst()
            guard let start = latest[Key(member: event.donor, step: event.donorStep)] else { continue }
            let segment = PB2Record(member: score.member, step: event.donorStep, score: start, hyperparameters: event.after)
            records.append(segment)
            open[score.member] = segment
        }
    }

    private struct Key: Hashable {
        let member: Int
        let step: Int
    }
}
