import PBT
import PBTStore
import Synchronization

/// The live trainables of one worker process, shared by its workers: at most `capacity` at
/// once (for an external program: live processes), at most one per member.
///
/// A worker checks a trainable out for the member it claimed and puts it back after the
/// commit. The member's own trainable comes back as it was left (after an exploit it still
/// holds the member's old state: the worker restores the donor's checkpoint into it). While
/// the pool has room, a member without one gets a new trainable. When it is full, the least
/// recently used idle trainable (those of finished members first) is handed over for the
/// member's checkpoint to be restored into it; a member without a checkpoint needs a fresh
/// trainable made with its seed, so that idle one is closed to make room instead. Trainables
/// of members that are done stay idle, to be reused.
///
/// With `capacity` at least the number of workers sharing the pool, a checkout never waits:
/// each worker holds at most one trainable, so a full pool always has an idle one.
public final class TrainablePool: Sendable {
    /// What a checkout hands the worker.
    enum Checkout {
        /// The member's own trainable, at `checkpoint` with `hyperparameters` applied.
        case own(LiveTrainable, checkpoint: Int64, hyperparameters: Hyperparameters)
        /// Another member's idle trainable, to restore the member's checkpoint into.
        case other(LiveTrainable, member: Int)
        /// Nothing: make a trainable, after closing `evicted` (the pool was full).
        case fresh(evicted: LiveTrainable?)
    }

    private struct Idle {
        let trainable: LiveTrainable
        /// The checkpoint the live state equals.
        let checkpoint: Int64
        let hyperparameters: Hyperparameters
        /// Checkouts so far when it was put back; done members' trainables count as oldest.
        let lastUse: Int
    }

    private struct State {
        var idle: [Int: Idle] = [:]
        var busy = 0
        var clock = 0
        var starts = 0
    }

    /// The most live trainables at once.
    public let capacity: Int
    /// Whether workers ask the store for members whose trainable is idle here first
    /// (`PopulationStore.claim(experiment:worker:lease:preferring:)`). Off for a process with
    /// one worker, so that `--workers 1` claims in the store's order whatever the pool holds.
    public let prefersHeldMembers: Bool
    private let state = Mutex(State())

    /// Creates an empty pool.
    /// - Parameters:
    ///   - capacity: the most live trainables at once (at least 1); give at least the number
    ///     of workers that share the pool.
    ///   - prefersHeldMembers: whether claims prefer members whose trainable is idle here.
    public init(capacity: Int, prefersHeldMembers: Bool = false) {
        self.capacity = max(1, capacity)
        self.prefersHeldMembers = prefersHeldMembers
    }

    /// How many trainables the pool's workers have made so far (for an external program:
    /// processes started).
    public var starts: Int { state.withLock { $0.starts } }

    /// The members whose trainable is idle in the pool, for a claim to prefer (empty unless
    /// `prefersHeldMembers`).
    var held: Set<Int> {
        guard prefersHeldMembers else { return [] }
        return state.withLock { Set($0.idle.keys) }
    }

    /// A trainable for `member`: its own, or another to restore into, or room for a new one.
    /// The caller must `keep` or `drop` what it gets (or what it makes after `.fresh`).
    func checkOut(_ member: MemberRecord) -> Checkout {
        state.withLock { state in
            state.busy += 1
            if let own = state.idle.removeValue(forKey: member.slot) {
                return .own(own.trainable, checkpoint: own.checkpoint, hyperparameters: own.hyperparameters)
            }
            guard state.idle.count + state.busy > capacity,
                let (slot, idle) = state.idle.min(by: { ($0.value.lastUse, $0.key) < ($1.value.lastUse, $1.key) })
            else { return .fresh(evicted: nil) }
            state.idle[slot] = nil
            return member.checkpoint == nil ? .fresh(evicted: idle.trainable) : .other(idle.trainable, member: slot)
        }
    }

    /// Puts `trainable` back as `member`'s, holding `checkpoint` with `hyperparameters`
    /// applied; `finished` when the member will not train again (its trainable is reused first).
    /// - Returns: an idle trainable of the member that this one displaces, which the caller
    ///   must close and then `drop()`. (A worker puts a trainable back after its commit, which
    ///   releases the member: another worker may have claimed, trained and put back the member
    ///   with another trainable in between.)
    func keep(
        _ trainable: LiveTrainable, member: Int, checkpoint: Int64, hyperparameters: Hyperparameters, finished: Bool
    ) -> LiveTrainable? {
        state.withLock { state in
            state.clock += 1
            let displaced = state.idle.updateValue(
                Idle(
                    trainable: trainable, checkpoint: checkpoint, hyperparameters: hyperparameters,
                    lastUse: finished ? 0 : state.clock),
                forKey: member)
            if displaced == nil { state.busy -= 1 }  // else the displaced one stays counted until closed
            return displaced?.trainable
        }
    }

    /// Records that the pool's worker made a trainable (for an external program: started a
    /// process).
    func recordStart() {
        state.withLock { $0.starts += 1 }
    }

    /// Records that a checked-out trainable was closed (it failed), making room for another.
    func drop() {
        state.withLock { $0.busy -= 1 }
    }

    /// Closes every idle trainable (the pool's workers have stopped).
    public func closeAll() async {
        let idle = state.withLock { state in
            defer { state.idle = [:] }
            return Array(state.idle.values.map(\.trainable))
        }
        for live in idle { await live.trainable.close() }
    }
}

/// A trainable handed between the workers of a pool. Trainables are not `Sendable`; the pool
/// gives each to one worker at a time, which alone uses it until it puts it back.
struct LiveTrainable: @unchecked Sendable {
    let trainable: any Trainable
}
