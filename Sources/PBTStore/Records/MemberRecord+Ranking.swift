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

    /// How many members failed.
    public var failedCount: Int {
        count { $0.status == .failed }
    }

    /// "2/3 members done" or "2/3 members done, 1 failed": how a line names finished members.
    public static func doneText(finished: Int, failed: Int, of members: Int) -> String {
        "\(finished - failed)/\(members) members done" + (failed > 0 ? ", \(failed) failed" : "")
    }
}
