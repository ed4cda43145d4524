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
    /// step, if any. The new segment starts from the donor's score at the copied step, the
    /// latest recorded before the member's next score (in a synchronous round the donor may
    /// commit after the copier); a start is left out when the window cut that score (the
    /// member's next score then measures nothing).
    init(scores: [ScoreRecord], events: [ExploitEvent]) {
        guard !scores.isEmpty else { return }
        var positions: [Key: [Int]] = [:]
        var next = [Int](repeating: scores.count, count: scores.count)
        var last: [Int: Int] = [:]
        for (index, score) in scores.enumerated() {
            positions[Key(member: score.member, step: score.step), default: []].append(index)
            if let previous = last[score.member] { next[previous] = index }
            last[score.member] = index
        }
        var queues: [Int: ArraySlice<ExploitEvent>] = [:]
        for event in events where positions[Key(member: event.member, step: event.step)] != nil {
            queues[event.member, default: []].append(event)
        }
        records.reserveCapacity(scores.count + events.count)
        for (index, score) in scores.enumerated() {
            records.append(
                PB2Record(
                    member: score.member, step: score.step, score: score.score, hyperparameters: score.hyperparameters))
            open[score.member] = nil
            guard let event = queues[score.member]?.first, event.step == score.step else { continue }
            queues[score.member]?.removeFirst()
            guard
                let donor = positions[Key(member: event.donor, step: event.donorStep)]?.last(where: { $0 < next[index] }
                )
            else { continue }
            let segment = PB2Record(
                member: score.member, step: event.donorStep, score: scores[donor].score, hyperparameters: event.after)
            records.append(segment)
            open[score.member] = segment
        }
    }

    private struct Key: Hashable {
        let member: Int
        let step: Int
    }
}
