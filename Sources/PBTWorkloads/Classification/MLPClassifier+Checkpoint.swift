import Neural

extension MLPClassifier {
    private static let version: UInt16 = 1

    /// The whole state: the network (weights, dropout generator), Adam, the shuffling generator,
    /// the epoch's order and position, and the update count.
    public func save() -> [UInt8] {
        var writer = CheckpointWriter(tag: setup.tag, version: Self.version)
        writer.write(model)
        writer.write(optimizer)
        writer.write(rng)
        writer.write(order)
        writer.write(cursor)
        writer.write(updates)
        return writer.bytes
    }

    /// Replaces the state with a saved one; call ``apply(_:)`` afterwards.
    /// - Throws: `WorkloadError` when the bytes are not a checkpoint of this workload with the
    ///   same sizes.
    public func restore(from checkpoint: [UInt8]) throws {
        let what = "\(setup.workload) checkpoint"
        var reader = try CheckpointReader(checkpoint, tag: setup.tag, version: Self.version, what: what)
        let model = try reader.model("classifier", sizes: setup.sizes, maxBatch: setup.batchSize)
        let optimizer = try reader.adam("classifier", parameterCount: model.parameterCount)
        let rng = try reader.rng("shuffling generator")
        let rows = setup.data.train.count
        let order = try reader.integers("epoch order", count: rows, in: 0...(rows - 1))
        guard Set(order).count == rows else {
            throw WorkloadError("\(what) is malformed: the epoch order is not a permutation of the training rows")
        }
        let cursor = try reader.integer("epoch position", in: 0...rows)
        let updates = try reader.integer("updates", in: 0...Int.max)
        try reader.finish()
        (self.model, self.optimizer, self.rng, self.order, self.cursor, self.updates) =
            (model, optimizer, rng, order, cursor, updates)
        // Checkpoints are taken right after an evaluation, which starts a new average.
        trainLoss = (0, 0)
    }
}
