import PBT

/// One arm's best-score curve over its runs (seeds): at each step where any run has a ready
/// point, the median, smallest and largest of the runs' best scores, each run holding its
/// latest value between its own ready points (and counted from its first one on).
struct ArmBand: Sendable {
    /// One step of the band.
    struct Point: Sendable, Equatable {
        var step: Int
        var median: Double
        var low: Double
        var high: Double
    }

    /// The band's points, by step.
    let points: [Point]

    /// The band of `curves` (each a run's best score by step, steps increasing); non-finite
    /// scores are left out.
    /// - Complexity: O(S · R log R) for S distinct steps and R runs.
    init(_ curves: [[(step: Int, score: Double)]]) {
        let finite = curves.map { $0.filter { $0.score.isFinite } }
        let steps = Set(finite.flatMap { $0.map(\.step) }).sorted()
        var positions = [Int](repeating: -1, count: finite.count)
        var points: [Point] = []
        for step in steps {
            var values: [Double] = []
            for run in finite.indices {
                while positions[run] + 1 < finite[run].count, finite[run][positions[run] + 1].step <= step {
                    positions[run] += 1
                }
                if positions[run] >= 0 { values.append(finite[run][positions[run]].score) }
            }
            if let summary = SampleSummary(values) {
                points.append(Point(step: step, median: summary.median, low: summary.min, high: summary.max))
            }
        }
        self.points = points
    }
}
