import Foundation
import PBT

/// A workload trained by an external program (any language) that speaks the line-delimited
/// JSON protocol of `docs/protocol.md` over its standard input and output.
///
/// Each trainable is one long-lived child process for one member; its standard error is
/// appended to the member's log file (`ExternalLogs`). Checkpoints are files or folders the
/// program writes at paths the engine gives, packed into bytes by `CheckpointArchive`.
public struct ExternalProgram: Workload {
    /// The command, its folder, environment, timeout and failure limit.
    public let spec: CommandSpec
    /// The experiment's name, sent in `hello`.
    public let experiment: String
    /// The folder of the member logs.
    public let logDirectory: String
    /// The tuned hyperparameters (the program is asked to read them all).
    public let hyperparameterNames: [String]
    /// The program's absolute path, found when the workload was made.
    public let executable: String
    /// The GPUs or slots the live processes run in, one each; nil: no slots.
    public var slots: Slots? { slotTable?.slots }
    /// The taken slots, shared by the copies of this workload (a worker process's workers).
    let slotTable: SlotTable?
    /// Whether the experiment's readiness is time-based (`interval: {seconds: S}`): then a
    /// program must speak protocol 2, and one that chooses 1 is refused at `hello`.
    public var timeBudgets = false

    /// Creates the workload.
    /// - Parameters:
    ///   - spec: the command.
    ///   - experiment: the experiment's name.
    ///   - logDirectory: where member logs go (see `ExternalLogs.directory(experiment:store:)`).
    ///   - hyperparameterNames: the experiment's tuned hyperparameters.
    ///   - slots: GPUs or slots for the live processes (see `Slots`): each process holds one
    ///     for its life, and no more processes than slots are live at once (`liveLimit`).
    /// - Throws: `PBTError` when the program cannot be found or the folder does not exist.
    public init(
        spec: CommandSpec, experiment: String, logDirectory: String, hyperparameterNames: [String], slots: Slots? = nil
    ) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec.directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw PBTError.invalidValue(
                "workload.cwd",
                "the folder '\(spec.directory)' does not exist on this machine; a worker whose copy of the program "
                    + "lives elsewhere runs it there with 'pbt worker --dir FOLDER'")
        }
        self.spec = spec
        self.experiment = experiment
        self.logDirectory = logDirectory
        self.hyperparameterNames = hyperparameterNames
        self.executable = try Self.locate(spec.arguments[0], in: spec.directory, environment: spec.environment)
        self.slotTable = slots.map(SlotTable.init)
    }

    /// The number of slots: no more processes may be live at once.
    public var liveLimit: Int? { slots?.count }

    /// The trainable for member 0 (the worker names the member; see the other overload).
    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
        try await makeTrainable(hyperparameters: hyperparameters, seed: seed, member: 0)
    }

    /// Starts the program for `member`, shakes hands and sends the hyperparameters.
    /// - Throws: `ExternalProgramError` when it cannot start or the handshake fails.
    public func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64, member: Int) async throws -> any Trainable
    {
        let trainable = try ExternalTrainable(program: self, member: member)
        do {
            try await trainable.handshake(seed: seed)
            try await trainable.apply(hyperparameters)
        } catch {
            await trainable.close()
            throw error
        }
        return trainable
    }

    /// The environment of a member's program: the engine's, the command's `env`,
    /// `PBT_EXPERIMENT`, `PBT_MEMBER` and `PBT_PROTOCOL`, and its slot's `PBT_SLOT` and
    /// `CUDA_VISIBLE_DEVICES` (which win over the command's `env`).
    func environment(member: Int, slot: Int?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.merging(spec.environment) { $1 }
        if let slot, let slots { environment.merge(slots.environment(slot: slot)) { $1 } }
        environment["PBT_EXPERIMENT"] = experiment
        environment["PBT_MEMBER"] = String(member)
        environment["PBT_PROTOCOL"] = ExternalProtocol.versions.map(String.init).joined(separator: ",")
        return environment
    }

    /// The absolute path of `program`: as given when it holds a `/` (relative to `directory`),
    /// else the first executable of that name on `PATH`.
    static func locate(_ program: String, in directory: String, environment: [String: String]) throws -> String {
        let manager = FileManager.default
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : directory + "/" + program
            guard manager.isExecutableFile(atPath: path) else {
                throw PBTError.invalidValue("workload.command[0]", "'\(path)' is not an executable file")
            }
            return path
        }
        let search = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in search.split(separator: ":") where !folder.isEmpty {
            let path = "\(folder)/\(program)"
            if manager.isExecutableFile(atPath: path) { return path }
        }
        throw PBTError.invalidValue("workload.command[0]", "'\(program)' is not found on PATH (\(search))")
    }
}
