@testable import PBT

/// A population with the given scores (nil = no score yet), all at `step`.
func population(
    _ scores: [Double?], step: Int = 8, h: Hyperparameters = Hyperparameters(["x": 0.5])
) -> [MemberSnapshot] {
    scores.enumerated().map {
        MemberSnapshot(
            slot: $0.offset, step: step, score: $0.element, recentScores: $0.element.map { [$0] } ?? [],
            hyperparameters: h)
    }
}
