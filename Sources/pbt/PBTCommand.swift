import ArgumentParser
import PBTRuntime

/// `pbt`: Population Based Training from the command line.
@main
struct PBTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbt",
        abstract: "Population Based Training: tune hyperparameter schedules while a population trains.",
        version:
            """
            pbt \(version) (external-program protocol \
            \(ExternalProtocol.versions.map(String.init).joined(separator: ", ")))
            """,
        subcommands: [
            RunCommand.self,
            WorkerCommand.self,
            CompareCommand.self,
            BenchCommand.self,
            StatusCommand.self, ExportCommand.self, ScheduleCommand.self, CheckpointCommand.self, LogsCommand.self,
            ReplayCommand.self, DeleteCommand.self, ListCommand.self, ReportCommand.self, ServeCommand.self,
        ]
    )

    /// swift-pbt's version: `pbt --version` prints it.
    static let version = "0.1.0"
}
