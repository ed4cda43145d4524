import ArgumentParser
import PBT
import Testing

@testable import pbt

/// The command line parsed in this process, as argument-parser's own tests do
/// (`parseAsRoot` and the message `pbt` prints): what needs no child process, no store and no
/// experiment file is checked here, in microseconds.
@Suite("pbt's command line, parsed in-process")
struct CommandParsingTests {
    /// The subcommand `arguments` parse to, or the message `pbt` would print for them.
    static func parse(_ arguments: [String]) -> Result<any ParsableCommand, ParseRefusal> {
        do {
            return .success(try PBTCommand.parseAsRoot(arguments))
        } catch {
            return .failure(
                ParseRefusal(message: PBTCommand.message(for: error), exitCode: PBTCommand.exitCode(for: error)))
        }
    }

    /// A refused command line: the message printed and the exit status.
    struct ParseRefusal: Error {
        var message: String
        var exitCode: ExitCode
    }

    /// The message for a command line that must be refused; an issue if it parses.
    static func refusal(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        switch parse(arguments) {
        case .success(let command):
            Issue.record(
                "\(arguments) parsed to \(type(of: command)), expected a refusal", sourceLocation: sourceLocation)
            return ""
        case .failure(let refusal):
            #expect(refusal.exitCode == .validationFailure, "\(arguments)", sourceLocation: sourceLocation)
            return refusal.message
        }
    }

    @Test("compare: seeds, first seed and arms are read as given; defaults are the README's")
    func compareOptions() throws {
        let command = try #require(
            try Self.parse(["compare", "f.yaml", "--seeds", "10", "--first-seed", "100", "--arms", "pbt, pb2"]).get()
                as? CompareCommand)
        #expect(command.file == "f.yaml" && command.seeds == 10 && command.firstSeed == "100")
        #expect(command.arms == "pbt, pb2")
        let defaults = try #require(try Self.parse(["compare", "f.yaml"]).get() as? CompareCommand)
        #expect(defaults.seeds == 5 && defaults.firstSeed == nil && defaults.workers >= 1 && !defaults.json)
        #expect(defaults.arms == ComparisonArm.defaults.map(\.rawValue).joined(separator: ","))
    }

    @Test("compare: a bad worker count, first seed or arm is refused naming the option and the allowed values")
    func compareRefusals() {
        #expect(Self.refusal(["compare", "f.yaml", "--workers", "0"]).contains("--workers must be at least 1, got 0"))
        let seed = Self.refusal(["compare", "f.yaml", "--first-seed", "-1"])
        #expect(seed.contains("--first-seed") && seed.contains("'-1'") && seed.contains("\(UInt64.max)"))
        let arm = Self.refusal(["compare", "f.yaml", "--arms", "pbt,grid"])
        #expect(arm.contains("unknown arm 'grid'") && arm.contains(ComparisonArm.allowedNames))
        #expect(Self.refusal(["compare", "f.yaml", "--seeds", "many"]).contains("--seeds"))
    }

    @Test("export: the format is one of the allowed ones, and TensorBoard needs a folder")
    func exportOptions() {
        #expect(Self.refusal(["export", "small", "--format", "xml"]).contains("xml"))
        #expect(Self.refusal(["export", "small", "--format", "tensorboard"]).contains("--output DIR"))
        #expect((try? Self.parse(["export", "small", "--format", "csv"]).get()) is ExportCommand)
    }

    @Test("bench subcommands resolve, with their options")
    func benchSubcommands() throws {
        let bench = try #require(try Self.parse(["bench", "pb2", "--samples", "3"]).get() as? PB2Bench)
        #expect(bench.samples == 3)
        #expect(Self.refusal(["bench", "pb2", "--samples", "0"]).contains("--samples must be at least 1, got 0"))
        let quality = try #require(
            try Self.parse(["bench", "pb2", "--quality", "--histories", "5"]).get() as? PB2Bench)
        #expect(quality.quality && quality.histories == 5)
        #expect(Self.refusal(["bench", "pb2", "--histories", "0"]).contains("--histories must be at least 1, got 0"))
        let checkpoint = try #require(
            try Self.parse(["bench", "checkpoint", "--rounds", "2", "--size", "4096"]).get() as? CheckpointBench)
        #expect(checkpoint.rounds == 2 && checkpoint.size == 4096)
        #expect(Self.refusal(["bench", "checkpoint", "--rounds", "0"]).contains("--rounds must be at least 1, got 0"))
        #expect(Self.refusal(["bench", "checkpoint", "--size", "0"]).contains("--size must be at least 1 byte, got 0"))
    }

    @Test("an unknown command or option is named")
    func unknownNames() {
        #expect(Self.refusal(["frobnicate"]).contains("frobnicate"))
        #expect(Self.refusal(["run", "f.yaml", "--no-such-option"]).contains("--no-such-option"))
        #expect(Self.refusal(["run"]).contains("<file>"))
    }
}
