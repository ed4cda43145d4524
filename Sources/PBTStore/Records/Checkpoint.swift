/// A saved model state: what a `Trainable` produced at a ready point.
public struct Checkpoint: Hashable, Sendable {
    /// The store's identifier.
    public var id: Int64
    /// The member that saved it.
    public var member: Int
    /// The step of the saved weights.
    public var step: Int
    /// The saved state: bytes, or a file for large states.
    public var payload: CheckpointPayload

    /// Creates a checkpoint.
    public init(id: Int64, member: Int, step: Int, payload: CheckpointPayload) {
        self.id = id
        self.member = member
        self.step = step
        self.payload = payload
    }

    /// Creates a checkpoint of bytes.
    public init(id: Int64, member: Int, step: Int, bytes: [UInt8]) {
        self.init(id: id, member: member, step: step, payload: .bytes(bytes))
    }
}
