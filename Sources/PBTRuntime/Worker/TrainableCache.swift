import PBT
import PBTStore

/// The live states a worker keeps between ready points, so a member it trains again is not
/// restored from its checkpoint; least recently used states are dropped first.
struct TrainableCache {
    struct Entry {
        let trainable: any Trainable
        /// The checkpoint the live state equals.
        let checkpoint: Int64
        /// The hyperparameters last applied.
        let hyperparameters: Hyperparameters
        var lastUse: Int
    }

    let capacity: Int
    private var entries: [Int: Entry] = [:]
    private var clock = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Removes and returns the member's kept state, current or not.
    mutating func take(_ member: Int) -> Entry? {
        entries.removeValue(forKey: member)
    }

    /// Keeps `trainable` as the member's live state, equal to `checkpoint`.
    /// - Returns: a state dropped to make room, which the caller must close.
    mutating func keep(
        _ trainable: any Trainable, member: Int, checkpoint: Int64, hyperparameters: Hyperparameters
    ) -> (any Trainable)? {
        clock += 1
        entries[member] = Entry(
            trainable: trainable, checkpoint: checkpoint, hyperparameters: hyperparameters, lastUse: clock)
        guard entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) else {
            return nil
        }
        entries[oldest.key] = nil
        return oldest.value.trainable
    }

    /// Closes and forgets every kept state.
    mutating func closeAll() async {
        for entry in entries.values { await entry.trainable.close() }
        entries = [:]
    }
}
