/// A saved model state: the bytes a `Trainable` produced at a ready point.
public struct Checkpoint: Hashable, Sendable {
    /// The store's identifier.
    public var id: Int64
    /// The member that saved it.
    public var member: Int
    /// The step of the saved weights.
    public var step: Int
    /// The saved state.
    public var bytes: [UInt8]

    /// Creates a checkpoint.
    public init(id: Int64, member: Int, step: Int, bytes: [UInt8]) {
        self.id = id
        self.member = member
        self.step = step
        self.bytes = bytes
    }
}
