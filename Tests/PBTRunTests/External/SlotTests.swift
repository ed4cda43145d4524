import Foundation
import PBT
import PBTRuntime
import PBTStore
import Testing

/// `--gpus` and `--slots`: every live program holds a slot of its own (`PBT_SLOT`, and on a GPU
/// `CUDA_VISIBLE_DEVICES`) for its whole life; live programs never share a device beyond
/// `--members-per-gpu`. The devices are fake ids: the fake program only records them.
@Suite("External program: GPUs and slots")
struct SlotTests {
    /// One program's life in the fake program's `EVENTS` file.
    struct Start {
        var process: String
        var slot: String
        var device: String
    }

    /// Replays the `EVENTS` file, checking at each start that the new program's slot is free,
    /// and that its device (`-` for anonymous slots) is the slot's and, for GPUs, holds at most
    /// `slots.perDevice` live programs.
    /// - Returns: every start, in order.
    private func replay(_ text: String, slots: Slots, sourceLocation: SourceLocation = #_sourceLocation) -> [Start] {
        var live: [String: Start] = [:]
        var starts: [Start] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            switch fields.first {
            case "start":
                let start = Start(process: fields[1], slot: fields[3], device: fields[4])
                let slot = Int(start.slot)
                #expect(slot.map { (0..<slots.count).contains($0) } == true, "\(line)", sourceLocation: sourceLocation)
                if let slot {
                    #expect(start.device == slots.device(of: slot) ?? "-", "\(line)", sourceLocation: sourceLocation)
                }
                #expect(
                    !live.values.contains { $0.slot == start.slot }, "slot taken twice: \(line)",
                    sourceLocation: sourceLocation)
                if slots.devices != nil {
                    let sharing = live.values.filter { $0.device == start.device }.count
                    #expect(
                        sharing < slots.perDevice, "device \(start.device) overbooked: \(line)",
                        sourceLocation: sourceLocation)
                }
                live[start.process] = start
                starts.append(start)
            case "exit":
                live[fields[1]] = nil
            default:
                break
            }
        }
        return starts
    }

    /// A 6-member experiment of the fake program, each member's first program dying at its
    /// second `train` (so slots are also given back by failed programs), run with `slots`.
    private func run(slots: Slots, workers: Int, pool: Int) async throws -> (starts: [Start], store: InMemoryStore) {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let events = folder.path + "/events"
        let program = try folder.workload(
            ["EVENTS": events, "MODE": "exit", "ONCE": "1", "FAIL_AT": "2"], slots: slots)
        let config = ExperimentConfig(
            name: "fake", workload: WorkloadSpec(command: program.spec), population: 6,
            schedule: try TrainingSchedule(steps: 30, interval: 5), seed: 5, exploit: .truncation(fraction: 0.34),
            explore: .perturb(factors: [0.8, 1.2]), hyperparameters: ["lr": .uniform(lower: 0, upper: 1)])
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: program).run(workers: workers, pool: pool)
        let members = try await store.members(of: "fake")
        // A member fails at most once (`ONCE`), in whichever program trains it a second time.
        for member in members { #expect(member.status == .done && member.failures <= 1, "\(member)") }
        #expect(members.map(\.failures).reduce(0, +) >= 1)
        // Each member's log says where its programs ran.
        for member in 0..<6 {
            let starts = folder.log(member: member).split(separator: "\n").filter { $0.contains(": starting ") }
            #expect(starts.allSatisfy { $0.contains(" (PBT_SLOT=") }, "\(starts)")
            if slots.devices != nil {
                #expect(starts.allSatisfy { $0.contains(", CUDA_VISIBLE_DEVICES=") }, "\(starts)")
            }
        }
        return (replay(try String(contentsOfFile: events, encoding: .utf8), slots: slots), store)
    }

    @Test func liveProgramsNeverShareAGPU() async throws {
        let slots = try Slots.gpus("gpu-a,gpu-b,gpu-c")
        let (starts, _) = try await run(slots: slots, workers: 2, pool: 3)
        #expect(starts.count >= 6)
        // Programs spread over the devices: the lowest free slot is taken.
        #expect(Set(starts.map(\.device)) == ["gpu-a", "gpu-b", "gpu-c"])
    }

    @Test func membersPerGPULetsThatManyShareOne() async throws {
        let slots = try Slots.gpus("7, 3", membersPerGPU: 2)
        #expect(slots.devices == ["7", "3"] && slots.count == 4)
        let (starts, _) = try await run(slots: slots, workers: 4, pool: 4)
        #expect(Set(starts.map(\.device)) == ["7", "3"])
        #expect(Set(starts.map(\.slot)).isSubset(of: ["0", "1", "2", "3"]))
    }

    @Test func anonymousSlotsSetOnlyPBTSlot() async throws {
        let slots = try Slots.anonymous(2)
        let (starts, _) = try await run(slots: slots, workers: 2, pool: 2)
        #expect(starts.allSatisfy { $0.device == "-" })
        #expect(Set(starts.map(\.slot)) == ["0", "1"])
    }

    @Test func aPoolLargerThanTheSlotsIsRefused() async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let program = try folder.workload(slots: try Slots.gpus("0,1"))
        #expect(program.liveLimit == 2)
        let config = ExperimentConfig(
            name: "fake", workload: WorkloadSpec(command: program.spec), population: 4,
            schedule: try TrainingSchedule(steps: 10, interval: 5), exploit: .none, explore: .none,
            hyperparameters: ["lr": .uniform(lower: 0, upper: 1)])
        let store = InMemoryStore()
        await #expect {
            try await LocalRunner(config: config, store: store, workload: program).run(workers: 2, pool: 3)
        } throws: { error in
            "\(error)".contains("pool") && "\(error)".contains("2 slots")
        }
        #expect(try await store.scores(of: "fake").isEmpty)
    }
}
