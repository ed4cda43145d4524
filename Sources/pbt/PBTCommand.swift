import ArgumentParser

/// `pbt`: Population Based Training from the command line.
@main
struct PBTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbt",
        abstract: "Population Based Training: tune hyperparameter schedules while a population trains.",
        subcommands: [
            RunCommand.self,
            WorkerCommand.self,
            CompareCommand.self,
            BenchCommand.self,
            StatusCommand.self, ExportCommand.self, ScheduleCommand.self, ReplayCommand.self, ListCommand.self, ReportCommand.self, ServeCommand.self,
        ]
    )
}
