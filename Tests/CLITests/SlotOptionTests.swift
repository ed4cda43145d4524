import Foundation
import PBTTestSupport
import Testing

/// `pbt run` and `pbt worker` with `--gpus`, `--members-per-gpu` and `--slots`.
@Suite("CLI: GPUs and slots")
struct SlotOptionTests {
    /// A protocol program in POSIX shell: the state is the steps trained, also its score. At
    /// start it appends `start PID PBT_SLOT CUDA_VISIBLE_DEVICES` to `events` in its folder,
    /// and `exit PID` when it exits.
    /// A line ending in `\#` goes on at the next line's start (Swift's line continuation).
    static let program = #"""
        #!/bin/sh
        echo "start $$ ${PBT_SLOT:--} ${CUDA_VISIBLE_DEVICES:--}" >> events
        trap 'echo "exit $$" >> events' EXIT
        x=0
        field() { echo "$line" | sed -n "s/.*\"$1\":\"*\([^\",}]*\).*/\1/p"; }
        while IFS= read -r line; do
          case "$line" in
            *'"type":"hello"'*) echo \#
        '{"type":"hello","protocol":1,"capabilities":["train","evaluate","save","load","set_hyperparameters"]}' ;;
            *'"type":"train"'*) x=$((x + $(field steps))); echo '{"type":"ok"}' ;;
            *'"type":"evaluate"'*) echo "{\"type\":\"score\",\"score\":$x}" ;;
            *'"type":"save"'*) path=$(field path); echo "$x" > "$path"; \#
        echo "{\"type\":\"saved\",\"path\":\"$path\"}" ;;
            *'"type":"load"'*) x=$(cat "$(field path)"); echo '{"type":"ok"}' ;;
            *'"type":"shutdown"'*) exit 0 ;;
            *) echo '{"type":"ok"}' ;;
          esac
        done
        """#

    static let experiment = """
        name: gpus
        workload: {command: [sh, program.sh], timeout: 30}
        population: 5
        steps: 20
        interval: 5
        seed: 3
        exploit: {strategy: truncation, fraction: 0.4}
        explore: {strategy: perturb, factors: [0.8, 1.2]}
        hyperparameters:
          lr: {uniform: [0, 1]}

        """

    @Test("pbt run --gpus: each live program gets its own device and slot, all from the list")
    func runGivesEachLiveProgramItsOwnDevice() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("program.sh", Self.program)
        try directory.write("gpus.yaml", Self.experiment)
        // --workers defaults to the 2 slots.
        try await pbt(["run", "gpus.yaml", "--quiet", "--gpus", "gpu-x,gpu-y", "--pool", "2"], in: directory)
        let events = try String(contentsOf: directory.url.appendingPathComponent("events"), encoding: .utf8)
        var live: [String: (slot: String, device: String)] = [:]
        var starts = 0
        for line in events.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            if fields[0] == "exit" {
                live[fields[1]] = nil
                continue
            }
            starts += 1
            let (slot, device) = (fields[2], fields[3])
            #expect([("0", "gpu-x"), ("1", "gpu-y")].contains { $0 == (slot, device) }, "\(line)")
            #expect(!live.values.contains { $0.device == device }, "two live programs on \(device): \(line)")
            live[fields[1]] = (slot, device)
        }
        #expect(starts >= 2 && live.isEmpty, "\(events)")
    }

    @Test("a built-in workload trains in the pbt process: --gpus only bounds --workers, and pbt says so")
    func builtInWorkloadsTakeNoSlot() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("q.yaml", quadraticExperiment(name: "q", population: 3, steps: 8, interval: 4))
        let output = try await pbt(["run", "q.yaml", "--gpus", "0,1"], in: directory)
        #expect(
            output.stderr.contains("built-in workload 'quadratic' trains in this process and takes no slot"),
            "\(output.stderr)")
        #expect(output.stderr.contains("--gpus 0,1 only bounds --workers (2)"), "\(output.stderr)")
    }

    @Test(
        "bad --gpus, --slots, --members-per-gpu and --workers/--pool beyond the slots are refused naming the option",
        arguments: [
            (["--gpus", ""], ["--gpus", "no device id", "e.g. --gpus 0,1,2,3"]),
            (["--gpus", "0,1,0"], ["--gpus", "device '0' is listed twice", "--members-per-gpu"]),
            (["--slots", "0"], ["--slots", "at least 1", "got 0"]),
            (["--gpus", "0", "--slots", "2"], ["--gpus", "--slots", "not both"]),
            (["--gpus", "0,1", "--members-per-gpu", "0"], ["--members-per-gpu", "at least 1"]),
            (["--slots", "2", "--members-per-gpu", "2"], ["--members-per-gpu needs --gpus"]),
            (["--gpus", "0,1", "--workers", "3"], ["--workers 3 exceeds the 2 slots of --gpus 0,1", "2 or fewer"]),
            (["--slots", "2", "--pool", "3"], ["--pool 3 exceeds the 2 slots of --slots 2"]),
        ])
    func badSlotOptionsAreRefused(options: [String], words: [String]) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("program.sh", Self.program)
        try directory.write("gpus.yaml", Self.experiment)
        try await refuse(["run", "gpus.yaml"] + options, in: directory, mentioning: words)
        try await refuse(["worker", "--experiment", "gpus"] + options, in: directory, mentioning: words)
    }
}
