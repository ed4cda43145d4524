import PBT
import PBTStore

/// What `pbt schedule` shows: the hyperparameter schedule that produced a member's weights,
/// following its donors back through the events, and the exploits on that chain.
struct ScheduleReport: Codable {
    /// One stretch of the schedule: steps `from..<to` trained with `hyperparameters` by `member`.
    struct Stretch: Codable {
        var from: Int
        var to: Int
        var member: Int
        var hyperparameters: Hyperparameters
    }

    /// One copy on the chain: at `step`, `member` took `donor`'s weights at `donorStep`.
    struct Copy: Codable {
        var sequence: Int
        var member: Int
        var step: Int
        var donor: Int
        var donorStep: Int
        var after: Hyperparameters
        var mutations: [String]
        /// Why PB2 chose `after`, when it did.
        var explanation: String?

        enum CodingKeys: String, CodingKey {
            case sequence, member, step, donor, after, mutations, explanation
            case donorStep = "donor_step"
        }
    }

    var experiment: String
    var member: Int
    /// The step the member's weights have reached.
    var step: Int
    var score: Double?
    /// The member whose initial weights the chain started from (whose seed a replay uses).
    var origin: Int
    var schedule: [Stretch]
    /// The exploits on the chain, oldest first.
    var copies: [Copy]

    /// Reads the schedule of `member`.
    /// - Throws: `StoreError.memberOutOfRange`.
    init(_ reader: ExperimentReader, member: Int) async throws {
        try reader.check(member: member)
        let name = reader.record.name
        let records = try await reader.store.members(of: name)
        let events = try await reader.store.events(of: name)
        let lineage = Lineage(initial: records.map(\.initialHyperparameters), events: events)
        let entries = lineage.schedule(of: member)
        let record = records[member]
        experiment = name
        self.member = member
        step = record.step
        score = record.score
        origin = entries.first?.member ?? member
        schedule = entries.enumerated().map { index, entry in
            let end = index + 1 < entries.count ? entries[index + 1].step : max(record.step, entry.step)
            return Stretch(from: entry.step, to: end, member: entry.member, hyperparameters: entry.hyperparameters)
        }
        copies = lineage.ancestry(of: member).reversed().map {
            Copy(
                sequence: $0.sequence, member: $0.member, step: $0.step, donor: $0.donor, donorStep: $0.donorStep,
                after: $0.after, mutations: $0.mutations.map(\.description), explanation: $0.explanation?.description)
        }
    }

    /// The schedule as a table, then the copies on the chain.
    var text: String {
        var lines = [
            "schedule of member \(member)'s weights in \(experiment) (step \(step), score \(Format.score(score))), "
                + "starting from member \(origin)'s initial weights:",
            "      from        to  trained by  hyperparameters",
        ]
        for stretch in schedule {
            lines.append(
                Format.right(String(stretch.from), 10) + Format.right(String(stretch.to), 10) + "  "
                    + Format.left("member \(stretch.member)", 10) + "  \(stretch.hyperparameters)")
        }
        if copies.isEmpty {
            lines.append("no copies: these weights were trained by member \(origin) alone")
        } else {
            lines.append("copies on the chain (oldest first):")
            for copy in copies {
                var mutations = copy.mutations.isEmpty ? "" : " (\(copy.mutations.joined(separator: ", ")))"
                if let explanation = copy.explanation { mutations += "; PB2: \(explanation)" }
                lines.append(
                    "  #\(copy.sequence): member \(copy.member) at step \(copy.step) copied member \(copy.donor) "
                        + "at step \(copy.donorStep) → \(copy.after)\(mutations)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
