/// A checkpoint a store keeps, without its bytes: what `PopulationStore.storedCheckpoints(of:)`
/// lists, to pick one by member and step before reading it with `checkpoint(of:id:)`.
public struct StoredCheckpoint: Hashable, Sendable {
    /// The store's identifier.
    public var id: Int64
    /// The member that saved it.
    public var member: Int
    /// The step of the saved weights.
    public var step: Int
    /// Its size in bytes.
    public var size: Int

    /// Creates a listing entry.
    public init(id: Int64, member: Int, step: Int, size: Int) {
        self.id = id
        self.member = member
        self.step = step
        self.size = size
    }

    /// The listing entry of `checkpoint`.
    public init(_ checkpoint: Checkpoint) {
        self.init(id: checkpoint.id, member: checkpoint.member, step: checkpoint.step, size: checkpoint.payload.size)
    }
}
