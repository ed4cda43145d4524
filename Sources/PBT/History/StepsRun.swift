/// The training steps an experiment actually ran, counted from its recorded history: what
/// "equal compute" means in a comparison.
///
/// A member's budget counts the steps of its *weights*; a member that copies a donor at an
/// earlier step inherits the donor's step counter and trains those steps again. So each score
/// closes one segment of training: from the member's previous position to the score's step,
/// where the position is the previous score's step, or the donor's step when the member
/// exploited (or explored) at that ready point, or 0 for the first score.
public enum StepsRun {
    /// One recorded score, reduced to what the count needs.
    public struct Point: Sendable, Hashable {
        /// The member that was evaluated.
        public var member: Int
        /// Its step when evaluated.
        public var step: Int

        /// Creates a point.
        public init(member: Int, step: Int) {
            self.member = member
            self.step = step
        }
    }

    /// The steps each member trained, indexed by slot.
    ///
    /// Steps trained after a member's last committed score (lost by a crash, or not yet
    /// committed) are not counted, nor are steps a member trained again after falling back to
    /// an older checkpoint of its own.
    /// - Parameters:
    ///   - members: the population size.
    ///   - scores: every score in the order recorded (each member's in the order it reached them).
    ///   - events: the experiment's events (ordered here by `sequence`); each belongs to the
    ///     ready point of its member at `step` that preceded it.
    /// - Complexity: O(S + E log E) for S scores and E events.
    public static func perMember(members: Int, scores: [Point], events: [ExploitEvent]) -> [Int] {
        var pending = [[ExploitEvent]](repeating: [], count: members)
        for event in events.sorted(by: { $0.sequence < $1.sequence }) where (0..<members).contains(event.member) {
            pending[event.member].append(event)
        }
        var next = [Int](repeating: 0, count: members)  // each member's first unconsumed event
        var position = [Int](repeating: 0, count: members)
        var steps = [Int](repeating: 0, count: members)
        for score in scores where (0..<members).contains(score.member) {
            let member = score.member
            steps[member] += max(0, score.step - position[member])
            position[member] = score.step
            // A member's events and scores alternate in time, so its next event (if at this
            // step) was decided at this ready point; a later visit to the same step comes only
            // after another event at a higher step.
            if next[member] < pending[member].count, pending[member][next[member]].step == score.step {
                position[member] = pending[member][next[member]].donorStep
                next[member] += 1
            }
        }
        return steps
    }

    /// The steps the whole population trained (the sum of `perMember`).
    public static func total(members: Int, scores: [Point], events: [ExploitEvent]) -> Int {
        perMember(members: members, scores: scores, events: events).reduce(0, +)
    }
}
