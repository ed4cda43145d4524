import Foundation
import PBT

/// The cost of one PB2 suggestion on a full history (issue #14's target: ≤ 20 ms median with
/// 1,000 rows and 4 hyperparameters on one core), beside PBT's perturb decision.
enum PB2Benchmark {
    /// Median and 90th-percentile milliseconds of `samples` suggestions per setting, each from
    /// its own generator, on `members` members' histories of `rows` records in all over 4 tuned
    /// hyperparameters (scores rise faster at some momentum and learning rate, with noise).
    /// The settings take turns, sample by sample, after one untimed suggestion each, so a change
    /// in the machine's speed during the run (this VM's moves with its host) reaches them alike.
    /// - Parameters:
    ///   - rows: the records in the history.
    ///   - members: the members they come from.
    ///   - samples: the suggestions timed per setting.
    ///   - choice: add an unordered choice of 3 optimisers (PB2-Mix; adam scores faster).
    ///   - fitRows: the settings: the rows the kernel is fitted on (`PB2.fitRows`).
    static func decisionCosts(
        rows: Int = 1000, members: Int = 8, samples: Int = 7, choice: Bool = false,
        fitRows: [Int] = [PB2.defaultFitRows]
    ) throws -> [(median: Double, p90: Double)] {
        var domains = syntheticDomains
        if choice { domains["optimizer"] = .choice(["sgd", "adam", "rmsprop"], ordered: false) }
        let space = try SearchSpace(domains)
        let settings = try fitRows.map { try PB2(space: space, fitRows: $0) }
        let history = syntheticHistory(space: space, rows: rows, members: members, seed: 11) { h, _ in
            1 - abs(h.number("momentum")! - 0.8) - 0.1 * abs(log10(h.number("lr")!) + 3)
                + (h.text("optimizer") == "adam" ? 0.3 : 0)
        }
        let last = history[history.count - 1]
        var timings = [[Double]](repeating: [], count: settings.count)
        let clock = ContinuousClock()
        for sample in -1..<samples {
            for (index, pb2) in settings.enumerated() {
                var generator = PBTRandom(seed: UInt64(max(sample, 0)))
                let start = clock.now
                _ = try pb2.suggest(history: history, step: last.step, score: last.score, using: &generator)
                if sample >= 0 { timings[index].append(EngineBenchmark.microseconds(clock.now - start) / 1000) }
            }
        }
        return timings.map {
            let sorted = $0.sorted()
            return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 9 / 10)])
        }
    }

    /// The 4 hyperparameters of the synthetic histories (learning rate, momentum, batch size, dropout).
    static let syntheticDomains: [String: Domain] = [
        "lr": .logUniform(lower: 1e-5, upper: 1e-1), "momentum": .uniform(lower: 0, upper: 1),
        "batch": .integer(lower: 16, upper: 512), "dropout": .uniform(lower: 0, upper: 0.5),
    ]

    /// `rows` records of `members` members taking turns, 10 steps apart each, each adding
    /// 10 · `rate(h, progress)` ± 0.25 (uniform noise) to its score, with `progress` the record's
    /// index over `rows`; before each record its member redraws its configuration from the prior
    /// with probability 0.1.
    static func syntheticHistory(
        space: SearchSpace, rows: Int, members: Int, seed: UInt64, rate: (Hyperparameters, Double) -> Double
    ) -> [PB2Record] {
        var random = PBTRandom(seed: seed)
        var history: [PB2Record] = []
        history.reserveCapacity(rows)
        var scores = [Double](repeating: 0, count: members)
        var current = (0..<members).map { _ in space.sample(using: &random) }
        for index in 0..<rows {
            let member = index % members, step = 10 * (index / members + 1)
            if random.unit() < 0.1 { current[member] = space.sample(using: &random) }
            let h = current[member]
            scores[member] += 10 * rate(h, Double(index) / Double(rows)) + 0.5 * (random.unit() - 0.5)
            history.append(PB2Record(member: member, step: step, score: scores[member], hyperparameters: h))
        }
        return history
    }
}
