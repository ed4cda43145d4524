import PBT

extension Array where Element == MemberRecord {
    /// The member with the best latest score (by `mode`) among those not failed, or nil
    /// before any score.
    public func best(by mode: ScoreMode) -> MemberRecord? {
        filter { $0.score != nil && $0.status != .failed }.max { mode.fitness($0.score!) < mode.fitness($1.score!) }
    }

    /// How many members are done or failed.
    public var finishedCount: Int {
        count { $0.status == .done || $0.status == .failed }
    }
}
