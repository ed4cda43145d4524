import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore

/// `pbt checkpoint NAME --member N --out PATH`: a member's trained state, out of the store.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Write a member's latest checkpoint to a file or folder: the trained model, out of the store.",
        discussion: """
            For an external program (workload: {command: …}) PATH receives exactly what the program saved \
            at its save path — a file, or a folder with its files — so `torch.load(PATH)` works on what \
            `torch.save` wrote. For a built-in workload PATH is a file holding the trainable's state. The \
            checkpoint is verified against its recorded SHA-256 while it is written. PATH must not exist. \
            Reads only.
            """
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "The member (slot) whose checkpoint to write.")
    var member: Int?

    @Flag(help: "The member with the best latest score.")
    var best = false

    @Option(help: ArgumentHelp("Where to write it (must not exist).", valueName: "path"))
    var out: String

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (member == nil) != !best else { throw ValidationError("give either --member N or --best") }
        if let member, member < 0 { throw ValidationError("--member must be 0 or more, got \(member)") }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw ValidationError("--out: '\(out)' exists; name a path that does not (nothing is overwritten)")
        }
    }

    func run() async throws {
        let (name, member, best, out) = (self.name, self.member, self.best, self.out)
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
                    throw CommandError("--member: experiment '\(name)' has members 0…\(members.count - 1), got \(member ?? -1)")
                }
                chosen = members[slot]
            }
            guard let id = chosen.checkpoint else {
                throw CommandError("member \(chosen.slot) of '\(name)' has no checkpoint yet (step \(chosen.step))")
            }
            let checkpoint = try await reader.store.checkpoint(of: name, id: id)
            let reading = try CheckpointReader(checkpoint.payload)
            if reader.config?.workload.command != nil {
                try CheckpointArchive.unpack(reading, to: out)
            } else {
                try Self.write(reading, to: out)
            }
            let score = chosen.score.map { ", score \(Format.score($0))" } ?? ""
            return "pbt checkpoint: member \(chosen.slot) at step \(checkpoint.step)\(score) → \(out) "
                + "(\(checkpoint.payload.size) bytes stored)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Streams the checkpoint to a new file at `path`, then has the reader verify it; a
    /// checkpoint that fails verification leaves no file.
    private static func write(_ reader: CheckpointReader, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CommandError("--out: cannot create '\(path)'")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            while try reader.next(upTo: CheckpointReader.chunkSize, { handle.write(Data($0)) }) {}
            try reader.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}
