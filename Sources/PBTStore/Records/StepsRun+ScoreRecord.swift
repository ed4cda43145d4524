import PBT

extension StepsRun {
    /// The training steps an experiment's population actually ran, from its stored scores (in
    /// the order recorded) and events (see `StepsRun.perMember`).
    public static func total(members: Int, scores: [ScoreRecord], events: [ExploitEvent]) -> Int {
        total(members: members, scores: scores.map { Point(member: $0.member, step: $0.step) }, events: events)
    }
}
