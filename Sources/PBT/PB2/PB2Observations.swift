/// PB2's regression data in raw units, oldest first: per row the time (step at the end of the
/// observation), the score before, the encoded hyperparameters, the unordered choices' option
/// indices and the rate Δscore / Δstep.
struct PB2Observations {
    /// The step at which each observation ended.
    var time: [Double] = []
    /// The score when each observation started.
    var scoreBefore: [Double] = []
    /// The hyperparameters in `[0, 1]^d`, row-major.
    var hyperparameters: [Double] = []
    /// Δscore / Δstep.
    var rate: [Double] = []
    /// The option index of each unordered choice, row-major `count × categoryCount` (empty
    /// without unordered choices).
    var categories: [Int] = []
    /// `d`.
    let dimension: Int
    /// The number of unordered choices.
    let categoryCount: Int
    /// The number of distinct members among the records: the population as PB2 sees it,
    /// the bandit's batch.
    let members: Int

    /// The number of rows.
    var count: Int { rate.count }

    /// Builds the rows from records: consecutive records of one member with equal
    /// hyperparameters make a row; a row whose Δstep ≤ 0 or whose rate is not finite (a
    /// diverged score) is dropped; rows are sorted by time (stable) and the last
    /// `maximumRows` kept.
    /// - Throws: `PBTError.invalidValue` naming `history[i].name` for a value outside the space.
    init(_ records: [PB2Record], encoding: PB2Encoding, maximumRows: Int) throws {
        dimension = encoding.dimension
        categoryCount = encoding.categoryCount
        var previous: [Int: Int] = [:]
        var rows: [(time: Int, before: Double, index: Int, rate: Double)] = []
        var encoded: [[Double]] = [], categorical: [[Int]] = []
        for (index, record) in records.enumerated() {
            encoded.append(try encoding.encode(record.hyperparameters, context: "history[\(index)]"))
            if categoryCount > 0 {
                categorical.append(try encoding.categories(record.hyperparameters, context: "history[\(index)]"))
            }
            defer { previous[record.member] = index }
            guard let last = previous[record.member].map({ records[$0] }),
                last.hyperparameters == record.hyperparameters, record.step > last.step
            else { continue }
            let rate = (record.score - last.score) / Double(record.step - last.step)
            guard rate.isFinite, last.score.isFinite else { continue }
            rows.append((record.step, last.score, index, rate))
        }
        let kept = rows.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .suffix(maximumRows).map(\.element)
        for row in kept {
            time.append(Double(row.time))
            scoreBefore.append(row.before)
            hyperparameters.append(contentsOf: encoded[row.index])
            if categoryCount > 0 { categories.append(contentsOf: categorical[row.index]) }
            rate.append(row.rate)
        }
        members = previous.count
    }
}
