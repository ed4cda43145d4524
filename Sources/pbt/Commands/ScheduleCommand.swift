import ArgumentParser

/// `pbt schedule NAME --member M`: the hyperparameter schedule that produced a member's weights.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Show the hyperparameter schedule that produced a member's weights, following its donors back.",
        discussion: """
            Each row is a stretch of training: steps FROM..<TO were trained with these hyperparameters \
            by that member; a change of member is an exploit (the weights were copied). \
            `pbt replay` trains a fresh member along this schedule. Reads only.
            """
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "The member (slot) whose weights to trace.")
    var member: Int

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let member = self.member
        let report = try await ExperimentReader.with(name, store) { try await ScheduleReport($0, member: member) }
        print(json ? try JSONOutput.text(report) : report.text)
    }
}
