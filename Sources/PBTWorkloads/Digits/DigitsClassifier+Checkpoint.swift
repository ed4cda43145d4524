import Neural

extension DigitsClassifier {
    private static let tag: StaticString = "DGTS"
    private static let version: UInt16 = 1

    /// The whole state: the network (weights, dropout generator), Adam, the shuffling generator,
    /// the epoch's order and position, and the update count.
    public func save() -> [UInt8] {
        var writer = CheckpointWriter(tag: Self.tag, version: Self.version)
        writer.write(model)
        writer.write(optimizer)
        writer.write(rng)
        writer.write(order)
        writer.write(cursor)
        writer.write(updates)
        return writer.bytes
    }

    /// Replaces the state with a saved one; call ``apply(_:)`` afterwards.
    /// - Throws: `WorkloadError` when the bytes are not a `digits` checkpoint of the same sizes.
    public func restore(from checkpoint: [UInt8]) throws {
        var reader = try CheckpointReader(checkpoint, tag: Self.tag, version: Self.version, what: "digits checkpoint")
        let model = try reader.model("classifier", sizes: Self.sizes(workload), maxBatch: workload.batchSize)
        let optimizer = try reader.adam("classifier", parameterCount: model.parameterCount)
        let rng = try reader.rng("shuffling generator")
        let rows = workload.split.train.count
        let order = try reader.integers("epoch order", count: rows, in: 0...(rows - 1))
        guard Set(order).count == rows else {
            throw WorkloadError("digits checkpoint is malformed: the epoch order is not a permutation of the training rows")
        }
        let cursor = try reader.integer("epoch position", in: 0...rows)
        let updates = try reader.integer("updates", in: 0...Int.max)
        try reader.finish()
        (self.model, self.optimizer, self.rng, self.order, self.cursor, self.updates) =
            (model, optimizer, rng, order, cursor, updates)
    }
}
