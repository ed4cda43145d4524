import PBTRuntime
import PBTStore
import PBTWorkloads

/// The workload an experiment names: an external program for `workload: {command: ...}`,
/// else a built-in workload.
enum WorkloadFactory {
    /// Reads an experiment file, checking its domains against the built-in workload it names.
    /// - Throws: `ConfigError` naming the file, field, line and what is allowed.
    static func config(contentsOf file: String) throws -> ExperimentConfig {
        try ExperimentConfig(contentsOf: file) { $0.command == nil ? BuiltinWorkloads.ranges(of: $0.name) : [] }
    }

    /// Makes the workload of `config`, whose store is at `location` (external programs log
    /// beside it, or under `logs` when given; see `ExternalLogs`). An external program's live
    /// processes run in `slots`; built-in workloads train in this process and ignore them.
    /// - Throws: when the workload or its options are unknown, or the program cannot be found.
    static func make(
        _ config: ExperimentConfig, store location: StoreLocation, slots: Slots? = nil, logs: String? = nil
    ) throws -> any Workload {
        guard let command = config.workload.command else { return try BuiltinWorkloads.make(config.workload) }
        var program = try ExternalProgram(
            spec: command, experiment: config.name,
            logDirectory: ExternalLogs.directory(experiment: config.name, store: location, root: logs),
            hyperparameterNames: config.hyperparameters.keys.sorted(), slots: slots)
        program.timeBudgets = config.schedule.isTimeBased
        return program
    }
}
