import Foundation
import PBT
import PBTStore

/// An external program: a child process spoken to over the protocol, started for one member
/// and handed to others by the worker's pool (`move(to:)`, then `load`).
///
/// Any failure kills the child and throws `ExternalProgramError`; the worker then closes this
/// trainable and the member restarts from its last committed checkpoint.
final class ExternalTrainable: Trainable, MemberMovable {
    private let program: ExternalProgram
    /// The member trained now.
    private var member: Int
    private var logPath: String
    private let scratch: String
    private var log: FileHandle?
    private var child: ChildProcess?
    /// The program after a failure killed it, until `close` has seen it exit.
    private var killed: ChildProcess?
    /// The slot (GPU) the program holds for its life, given back when it has exited.
    private var slot: Int?
    private var lastLine: String?
    /// Hyperparameters to send before the next request that trains, evaluates or saves.
    private var pending: Hyperparameters?
    /// What the program was last told; nil when unknown (after a load).
    private var sent: Hyperparameters?
    private var counter = 0
    /// The protocol version the program chose in `hello`.
    private var version = 1

    /// Starts the program (no messages yet) in a free slot of the program's `slots`, if any.
    init(program: ExternalProgram, member: Int) throws {
        self.program = program
        self.member = member
        logPath = ExternalLogs.path(member: member, in: program.logDirectory)
        scratch = NSTemporaryDirectory() + "pbt-\(program.experiment)-member-\(member)-\(UUID().uuidString)"
        let manager = FileManager.default
        do {
            if let table = program.slotTable {
                guard let slot = table.take() else {
                    throw SlotsTaken(slots: table.slots)
                }
                self.slot = slot
            }
            try manager.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let command = program.spec.arguments.joined(separator: " ")
            let log = try ExternalLogs.append(
                to: logPath,
                "--- pbt: member \(member): starting \(command) in \(program.spec.directory)\(slotNote) at \(Date())")
            self.log = log
            child = try ChildProcess(
                executable: program.executable, arguments: Array(program.spec.arguments.dropFirst()),
                directory: program.spec.directory, environment: program.environment(member: member, slot: slot),
                log: log.fileDescriptor)
        } catch {
            giveSlotBack()
            try? manager.removeItem(atPath: scratch)
            throw ExternalProgramError(
                .launchFailed, member: member, message: "cannot start \(program.spec.arguments): \(error)",
                lastLine: nil,
                logPath: logPath)
        }
    }

    deinit {
        child?.kill()
        giveSlotBack()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// Sends `hello` and checks the version and capabilities of the reply.
    func handshake(seed: UInt64) async throws {
        let reply = try await call(.hello(member: member, seed: seed, experiment: program.experiment))
        guard case .hello(let version, let capabilities, let names) = reply else { return }
        guard ExternalProtocol.versions.contains(version) else {
            throw failure(
                .incompatible, "the program speaks protocol \(version); this engine speaks \(ExternalProtocol.versions)"
            )
        }
        self.version = version
        if program.timeBudgets && version < ExternalProtocol.timeBudgetVersion {
            throw failure(
                .incompatible,
                "the experiment's interval is in seconds ('interval: {seconds: S}'), which needs protocol "
                    + "\(ExternalProtocol.timeBudgetVersion) (train with a time budget); "
                    + "the program speaks protocol \(version). "
                    + "Update it (pbt_client speaks 2) or use 'interval: STEPS'")
        }
        let missing = ExternalProtocol.requiredCapabilities.filter { !capabilities.contains($0) }
        guard missing.isEmpty else {
            throw failure(
                .incompatible, "the program lacks the capabilities \(missing) that protocol \(version) requires")
        }
        if let names {
            let unread = program.hyperparameterNames.filter { !names.contains($0) }.sorted()
            guard unread.isEmpty else {
                throw failure(
                    .incompatible,
                    "the experiment tunes \(unread), which the program does not read (it reads \(names.sorted()))")
            }
        }
    }

    func apply(_ hyperparameters: Hyperparameters) async throws {
        pending = hyperparameters
    }

    func train(steps: Int) async throws {
        try await sendHyperparameters()
        _ = try await call(.train(steps: steps))
    }

    /// One `train` request carrying the time left until `deadline` as `seconds` (protocol 2);
    /// the program replies with the steps it did.
    func train(steps: Int, until deadline: ContinuousClock.Instant) async throws -> Int {
        guard version >= ExternalProtocol.timeBudgetVersion else {
            throw failure(
                .incompatible,
                "a time budget needs protocol \(ExternalProtocol.timeBudgetVersion); the program speaks \(version)")
        }
        try await sendHyperparameters()
        let left = max(0, (deadline - ContinuousClock.now).seconds)
        guard case .trained(let done) = try await call(.train(steps: steps, seconds: left)) else {
            preconditionFailure("ExternalProtocol.parse answers a 'train' with 'seconds' with .trained or throws")
        }
        return done
    }

    func evaluate() async throws -> Double {
        try await evaluation().score
    }

    func evaluation() async throws -> Evaluation {
        try await sendHyperparameters()
        guard case .score(let score, let metrics) = try await call(.evaluate) else {
            preconditionFailure("ExternalProtocol.parse answers 'evaluate' with .score or throws")
        }
        return Evaluation(score: score, metrics: metrics)
    }

    func save() async throws -> [UInt8] {
        try await packing { try CheckpointArchive.pack($0) }
    }

    /// Packs the program's checkpoint into a file in `directory`, streaming: however large the
    /// program's save, memory holds one chunk of it.
    func saveCheckpoint(in directory: String) async throws -> CheckpointPayload {
        .file(try await packing { try CheckpointArchive.pack($0, intoFileIn: directory) })
    }

    func restore(from checkpoint: [UInt8]) async throws {
        try await restore(from: .bytes(checkpoint))
    }

    /// Unpacks the checkpoint for the program a chunk at a time, verifying a file as it reads
    /// it, and has the program load it.
    /// - Throws: `StoreError.checkpointCorrupt` when the checkpoint's file is missing or
    ///   damaged; `ExternalProgramError` otherwise.
    func restore(from checkpoint: CheckpointPayload) async throws {
        let path = nextPath("load")
        // Once loaded, the unpacked copy goes on a thread of its own: removing gigabytes takes
        // a fraction of a second that the member need not wait for.
        defer { Thread.detachNewThread { try? FileManager.default.removeItem(atPath: path) } }
        do {
            try CheckpointArchive.unpack(CheckpointReader(checkpoint), to: path)
        } catch let error as CheckpointArchive.Failure {
            throw failure(.badCheckpoint, "cannot unpack the checkpoint to load: \(error)")
        }
        _ = try await call(.load(path: path, member: member))
        sent = nil
    }

    /// Trains `member` from now on: the program's standard error goes to its log (both logs
    /// say so), and the next `load` names it.
    func move(to member: Int) {
        guard member != self.member, let child else { return }
        let path = ExternalLogs.path(member: member, in: program.logDirectory)
        let process = "process \(child.processIdentifier)"
        if let log = try? ExternalLogs.append(
            to: path,
            "--- pbt: member \(member): continues in \(process), started for member \(self.member), at \(Date())")
        {
            child.redirectLog(to: log.fileDescriptor)
            try? self.log?.write(contentsOf: Data("--- pbt: \(process) trains member \(member) from now on\n".utf8))
            try? self.log?.close()
            self.log = log
            logPath = path
        }
        self.member = member
    }

    /// Asks the program to save, and packs what it saved with `pack`.
    private func packing<T>(_ pack: (String) throws -> T) async throws -> T {
        try await sendHyperparameters()
        let path = nextPath("save")
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard case .saved(let written) = try await call(.save(path: path)) else {
            preconditionFailure("ExternalProtocol.parse answers 'save' with .saved or throws")
        }
        guard written == path else {
            throw failure(.badCheckpoint, "the program says it saved at '\(written)'; the engine asked for '\(path)'")
        }
        do {
            return try pack(path)
        } catch let error as CheckpointArchive.Failure {
            throw failure(.badCheckpoint, "the program claims it saved a checkpoint, but \(error)")
        }
    }

    func close() async {
        if let child {
            try? child.send(ExternalProtocol.Request.shutdown.line())
            await child.stop(grace: .seconds(2))
        }
        // A program killed after a failure gives its slot (its GPU's memory) back once it exited.
        if let killed { await killed.stop(grace: .seconds(2)) }
        child = nil
        killed = nil
        giveSlotBack()
        try? log?.close()
        log = nil
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private func nextPath(_ kind: String) -> String {
        counter += 1
        return "\(scratch)/\(kind)-\(counter)"
    }

    private func sendHyperparameters() async throws {
        guard let pending, pending != sent else { return }
        _ = try await call(.setHyperparameters(pending))
        sent = pending
    }

    /// Sends `request` and reads its reply; any failure kills the program.
    private func call(_ request: ExternalProtocol.Request) async throws -> ExternalProtocol.Reply {
        guard let child else { throw failure(.exited, "the program is not running (it failed earlier)") }
        do {
            try child.send(request.line())
            let line = try await child.nextLine(timeout: .seconds(program.spec.timeout))
            lastLine = line
            return try ExternalProtocol.parse(line, answering: request)
        } catch let violation as ExternalProtocol.Violation {
            throw failure(violation.code, violation.message)
        } catch ChildProcess.End.timedOut {
            throw failure(
                .timedOut,
                """
                no reply to '\(request.type)' within \(program.spec.timeout) s (the workload's timeout); \
                the program was killed
                """
            )
        } catch ChildProcess.End.tooLong {
            throw failure(.malformed, "the program wrote a line longer than \(ChildProcess.maximumLineLength) bytes")
        } catch {
            let status = await child.exitStatus(within: .seconds(1)) ?? "closed its standard output"
            throw failure(.exited, "the program \(status) while the engine waited for the reply to '\(request.type)'")
        }
    }

    /// ` (PBT_SLOT=2, CUDA_VISIBLE_DEVICES=1)` for the log's start line; empty without slots.
    private var slotNote: String {
        guard let slot, let slots = program.slots else { return "" }
        return " ("
            + slots.environment(slot: slot).sorted { $0.key > $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ", ") + ")"
    }

    /// Gives the program's slot back (it has exited, or never started).
    private func giveSlotBack() {
        if let slot { program.slotTable?.give(slot) }
        slot = nil
    }

    /// Kills the program and describes the failure.
    private func failure(_ code: ExternalProgramError.Code, _ message: String) -> ExternalProgramError {
        child?.kill()
        if let child { killed = child }
        child = nil
        return ExternalProgramError(code, member: member, message: message, lastLine: lastLine, logPath: logPath)
    }
}

/// Every slot of a worker process is held by a live program: more programs were started than
/// the process allows (`Workload.liveLimit`; `LocalRunner` keeps its pool within it).
struct SlotsTaken: Error, CustomStringConvertible {
    let slots: Slots

    var description: String {
        """
        all \(slots.count) slots of \(slots.option) are held by live programs; a worker process keeps at most that many
        """
    }
}
