import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore

/// `pbt checkpoint NAME --member N [--step S] --out PATH`: a member's trained state, out of the
/// store.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract:
            """
            Write a member's checkpoint (its latest, or the one at --step) to a file or folder: the trained model, \
            out of the store.
            """,
        discussion: """
            For an external program (workload: {command: …}) PATH receives exactly what the program saved \
            at its save path — a file, or a folder with its files — so `torch.load(PATH)` works on what \
            `torch.save` wrote. For a built-in workload PATH is a file holding the trainable's state. The \
            checkpoint is verified against its recorded SHA-256 while it is written. PATH must not exist. \
            With --step S, the checkpoint the member saved at step S, if the store still keeps it (the last 2 \
            of each member, and every one a member points to); an error lists the steps it keeps. Reads only.
            """
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "The member (slot) whose checkpoint to write.")
    var member: Int?

    @Flag(help: "The member with the best latest score.")
    var best = false

    @Option(help: "The member's checkpoint at this step (default: its latest).")
    var step: Int?

    @Option(help: ArgumentHelp("Where to write it (must not exist).", valueName: "path"))
    var out: String

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (member == nil) != !best else { throw ValidationError("give either --member N or --best") }
        if let member, member < 0 { throw ValidationError("--member must be 0 or more, got \(member)") }
        if let step, step < 0 { throw ValidationError("--step must be 0 or more, got \(step)") }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw ValidationError("--out: '\(out)' exists; name a path that does not (nothing is overwritten)")
        }
    }

    func run() async throws {
        let (name, member, best, step, out) = (self.name, self.member, self.best, self.step, self.out)
        let line = try await ExperimentReader.with(name, store) { reader in
            let members = try await reader.store.members(of: name)
            let chosen: MemberRecord
            if best {
                guard let top = members.best(by: reader.mode) else {
                    throw CommandError("experiment '\(name)' has no scored member yet")
                }
                chosen = top
            } else {
                guard let slot = member, members.indices.contains(slot) else {
                    throw CommandError(
                        "--member: experiment '\(name)' has members 0…\(members.count - 1), got \(member ?? -1)")
                }
                chosen = members[slot]
            }
            guard let latest = chosen.checkpoint else {
                throw CommandError("member \(chosen.slot) of '\(name)' has no checkpoint yet (step \(chosen.step))")
            }
            var id = latest
            if let step { id = try await Self.checkpoint(of: chosen, at: step, in: reader) }
            let checkpoint = try await reader.store.checkpoint(of: name, id: id)
            let reading = try CheckpointReader(checkpoint.payload)
            do {
                if reader.config?.workload.command != nil {
                    try CheckpointArchive.unpack(reading, to: out)
                } else {
                    try Self.write(reading, to: out)
                }
            } catch {
                // A checkpoint file found damaged while it was written out leaves nothing at
                // `out` (which did not exist before).
                try? FileManager.default.removeItem(atPath: out)
                throw error
            }
            let score = step == nil ? chosen.score.map { ", score \(Format.score($0))" } ?? "" : ""
            return "pbt checkpoint: member \(chosen.slot) at step \(checkpoint.step)\(score) → \(out) "
                + "(\(checkpoint.payload.size) bytes stored)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The id of `member`'s checkpoint at `step`: one it saved, or the one it points to (after
    /// copying a donor, the donor's); the newest when several have that step.
    /// - Throws: `CommandError` listing the steps the store keeps for the member.
    private static func checkpoint(
        of member: MemberRecord, at step: Int, in reader: ExperimentReader
    ) async throws -> Int64 {
        let kept = try await reader.store.storedCheckpoints(of: reader.record.name)
            .filter { $0.member == member.slot || $0.id == member.checkpoint }
        if let match = kept.last(where: { $0.step == step }) { return match.id }
        let steps = Set(kept.map(\.step)).sorted().map(String.init).joined(separator: ", ")
        throw CommandError(
            "--step: the store keeps no checkpoint of member \(member.slot) at step \(step); it keeps steps \(steps) "
                + "(the last 2 of each member, and the one each member points to)")
    }

    /// Streams the checkpoint to a new file at `path`, then has the reader verify it.
    private static func write(_ reader: CheckpointReader, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CommandError("--out: cannot create '\(path)'")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        while try reader.next(upTo: CheckpointReader.chunkSize, { handle.write(Data($0)) }) {}
        try reader.finish()
    }
}
