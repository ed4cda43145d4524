import ArgumentParser
import Foundation
import PBT
import PBTRuntime

/// How much of a worker process trains at once, shared by `pbt run` and `pbt worker`:
/// `--workers`, `--pool`, and the GPUs or slots of a command workload's live processes.
///
/// The rule with `--gpus` or `--slots`: they fix how many programs may be live at once (devices
/// × `--members-per-gpu`, or N). `--workers` defaults to that number, and `--workers` or
/// `--pool` above it is refused — a live program holds its slot (its GPU memory) even while
/// idle, so more would put two members on one device.
struct ConcurrencyOptions: ParsableArguments {
    @Option(
        help:
            """
            Concurrent workers in this process (default: the number of cores; with --gpus or --slots, \
            the number of slots, which it may not exceed).
            """
    )
    var workers: Int?

    @Option(
        help: ArgumentHelp(
            """
            Live trainables this process keeps, at least --workers (default: --workers): for a command workload, \
            live processes of the program, each reused for any member by loading its checkpoint.
            """,
            valueName: "count"))
    var pool: Int?

    @Option(
        help: ArgumentHelp(
            """
            For a command workload: GPU device ids, comma-separated (e.g. 0,1,2,3 or $CUDA_VISIBLE_DEVICES); \
            each live program gets one in CUDA_VISIBLE_DEVICES, and its slot in PBT_SLOT.
            """,
            valueName: "ids"))
    var gpus: String?

    @Option(
        name: .customLong("members-per-gpu"),
        help: ArgumentHelp(
            "With --gpus: live programs that may share one GPU (default 1); the slots are GPUs × this.",
            valueName: "count"))
    var membersPerGPU: Int?

    @Option(
        help: ArgumentHelp(
            "For a command workload without GPUs: this many slots; each live program holds one (PBT_SLOT, from 0).",
            valueName: "count"))
    var slots: Int?

    /// The GPUs or slots given, nil for neither.
    var slotPlan: Slots? {
        get throws {
            do {
                if let gpus { return try Slots.gpus(gpus, membersPerGPU: membersPerGPU ?? 1) }
                return try slots.map(Slots.anonymous)
            } catch let error as PBTError {
                throw ValidationError(error.description)
            }
        }
    }

    /// `--workers`, or its default: the slots, else the number of cores.
    var workerCount: Int {
        workers ?? (try? slotPlan)?.count ?? ProcessInfo.processInfo.activeProcessorCount
    }

    /// What to tell the user about the slots for `config`: how many a command workload's
    /// programs share, or that a built-in workload (training in this process) ignores them;
    /// nil without `--gpus` or `--slots`.
    func note(for config: ExperimentConfig) -> String? {
        guard let plan = try? slotPlan else { return nil }
        guard config.workload.command != nil else {
            return "pbt: built-in workload '\(config.workload.name)' trains in this process and takes no slot: "
                + "\(plan.option) only bounds --workers (\(workerCount))"
        }
        return "pbt: \(workerCount) workers; each live program holds one of the \(plan.count) slots of \(plan.option)"
    }

    func validate() throws {
        if gpus != nil, slots != nil {
            throw ValidationError("give --gpus IDS or --slots N, not both (--slots is for programs without GPUs)")
        }
        if membersPerGPU != nil, gpus == nil {
            throw ValidationError(
                "--members-per-gpu needs --gpus IDS (with --slots N, N already counts the programs at once)")
        }
        let plan = try slotPlan
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
        if let pool, pool < workerCount {
            throw ValidationError("--pool must be at least --workers (\(workerCount)), got \(pool)")
        }
        guard let plan else { return }
        for (option, value) in [("--workers", workers), ("--pool", pool)] {
            if let value, value > plan.count {
                throw ValidationError(
                    """
                    \(option) \(value) exceeds the \(plan.count) slots of \(plan.option): each live program holds a slot
                    """
                        + (plan.devices == nil ? "" : " (a GPU)")
                        + " for its life, so at most \(plan.count) may train or "
                        + "wait at once; give \(option) "
                        + "\(plan.count) or fewer"
                        + (plan.devices == nil ? "" : ", or more --gpus or --members-per-gpu"))
            }
        }
    }
}
