@testable import PBT

/// Builders shared by the PB2 tests.
enum PB2TestData {
    /// GP inputs from row-major rows whose column 0 is time.
    static func inputs(_ rows: [Double], columns: Int) -> PB2Inputs {
        let n = rows.count / columns
        let time = (0..<n).map { rows[$0 * columns] }
        let z = (0..<n).flatMap { rows[($0 * columns + 1)..<(($0 + 1) * columns)] }
        return PB2Inputs(time: time, z: z, dimension: columns - 1)
    }

    /// A population of `members` whose score grows at rate `rate(h)` per step, each member
    /// changing to a fresh prior draw every `segment` records, over `records` records each.
    static func history(
        space: SearchSpace, members: Int = 6, records: Int = 12, segment: Int = 3, seed: UInt64 = 1,
        rate: (Hyperparameters) -> Double
    ) -> [PB2Record] {
        var random = PBTRandom(seed: seed)
        var result: [PB2Record] = []
        var configurations = (0..<members).map { _ in space.sample(using: &random) }
        var scores = [Double](repeating: 0, count: members)
        for record in 1...records {
            for member in 0..<members {
                let step = record * 10
                if record % segment == 0 {
                    configurations[member] = space.sample(using: &random)
                    result.append(
                        PB2Record(
                            member: member, step: step, score: scores[member], hyperparameters: configurations[member]))
                }
                scores[member] += 10 * rate(configurations[member]) + 0.01 * (random.unit() - 0.5)
                result.append(
                    PB2Record(
                        member: member, step: step + 10, score: scores[member], hyperparameters: configurations[member])
                )
            }
        }
        return result
    }
}
