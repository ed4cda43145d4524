import Foundation
import PBT
import Synchronization

/// Where the live processes of an external program run: on GPUs (`pbt run --gpus 0,1,2,3`) or
/// in anonymous slots (`--slots N`). Each live process holds one slot for its whole life and
/// finds it in its environment: `PBT_SLOT` (0..<`count`) and, for GPUs, `CUDA_VISIBLE_DEVICES`
/// (its device id). Slot `i` is on device `i % devices.count`, so processes spread over every
/// device before any device gets a second one, and a device never has more than `perDevice`.
///
/// Built-in workloads train inside the engine's process and take no slot.
public struct Slots: Hashable, Sendable {
    /// The device ids (any text without commas), each once; nil for anonymous slots.
    public let devices: [String]?
    /// How many live processes may share one device (1 for anonymous slots).
    public let perDevice: Int
    /// How many processes may be live at once: devices × `perDevice`, or the anonymous count.
    public let count: Int

    /// Slots on the GPUs of `list`.
    /// - Parameters:
    ///   - list: device ids separated by commas, e.g. `0,1,2,3` or Slurm's `$CUDA_VISIBLE_DEVICES`;
    ///     spaces around an id are ignored.
    ///   - membersPerGPU: how many live processes may share one device (at least 1).
    /// - Throws: `PBTError.invalidSetting` naming `--gpus` or `--members-per-gpu` when the list
    ///   is empty, has an empty id or an id twice, or `membersPerGPU` is below 1.
    public static func gpus(_ list: String, membersPerGPU: Int = 1) throws -> Slots {
        let ids = list.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let example = "give device ids separated by commas, e.g. --gpus 0,1,2,3 (or --gpus $CUDA_VISIBLE_DEVICES)"
        guard ids.contains(where: { !$0.isEmpty }) else {
            throw PBTError.invalidSetting("--gpus", "no device id in '\(list)'; \(example)")
        }
        guard !ids.contains(where: \.isEmpty) else {
            throw PBTError.invalidSetting("--gpus", "an empty device id in '\(list)'; \(example)")
        }
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw PBTError.invalidSetting(
                "--gpus",
                "device '\(id)' is listed twice in '\(list)'; list each device once "
                    + "(--members-per-gpu K lets K members share one)")
        }
        guard membersPerGPU >= 1 else {
            throw PBTError.invalidSetting(
                "--members-per-gpu", "must be at least 1 (live processes that may share one GPU), got \(membersPerGPU)")
        }
        return Slots(devices: ids, perDevice: membersPerGPU, count: ids.count * membersPerGPU)
    }

    /// `count` anonymous slots: processes get `PBT_SLOT` only.
    /// - Throws: `PBTError.invalidSetting` naming `--slots` when `count` is below 1.
    public static func anonymous(_ count: Int) throws -> Slots {
        guard count >= 1 else {
            throw PBTError.invalidSetting("--slots", "must be at least 1 (live processes at once), got \(count)")
        }
        return Slots(devices: nil, perDevice: 1, count: count)
    }

    /// The device of slot `slot` (0..<`count`), nil for anonymous slots.
    public func device(of slot: Int) -> String? {
        devices.map { $0[slot % $0.count] }
    }

    /// What a process holding slot `slot` finds in its environment: `PBT_SLOT`, and
    /// `CUDA_VISIBLE_DEVICES` on a GPU.
    public func environment(slot: Int) -> [String: String] {
        var environment = ["PBT_SLOT": String(slot)]
        if let device = device(of: slot) { environment["CUDA_VISIBLE_DEVICES"] = device }
        return environment
    }

    /// `--gpus 0,1 × 2 members per GPU` or `--slots 4`, for messages.
    public var option: String {
        guard let devices else { return "--slots \(count)" }
        return "--gpus \(devices.joined(separator: ","))"
            + (perDevice > 1 ? " with --members-per-gpu \(perDevice)" : "")
    }
}

/// The free and taken slots of one worker process, shared by its live processes.
final class SlotTable: Sendable {
    let slots: Slots
    private let taken: Mutex<[Bool]>

    init(_ slots: Slots) {
        self.slots = slots
        taken = Mutex([Bool](repeating: false, count: slots.count))
    }

    /// Takes the lowest free slot, or returns nil when all are taken.
    func take() -> Int? {
        taken.withLock { taken in
            guard let slot = taken.firstIndex(of: false) else { return nil }
            taken[slot] = true
            return slot
        }
    }

    /// Gives `slot` back.
    func give(_ slot: Int) {
        taken.withLock { $0[slot] = false }
    }
}
