import Neural

extension GANModel {
    private static let tag: StaticString = "GAN2"
    private static let version: UInt16 = 1

    /// The whole state: both networks, both optimizers, the training generator, the step count.
    public func save() -> [UInt8] {
        var writer = CheckpointWriter(tag: Self.tag, version: Self.version)
        writer.write(generator)
        writer.write(discriminator)
        writer.write(generatorOptimizer)
        writer.write(discriminatorOptimizer)
        writer.write(rng)
        writer.write(updates)
        return writer.bytes
    }

    /// Replaces the state with a saved one; call ``apply(_:)`` afterwards.
    /// - Throws: `WorkloadError` when the bytes are not a `gan` checkpoint of the same sizes.
    public func restore(from checkpoint: [UInt8]) throws {
        var reader = try CheckpointReader(checkpoint, tag: Self.tag, version: Self.version, what: "gan checkpoint")
        let batch = workload.batchSize
        let generator = try reader.model("generator", sizes: Self.generatorSizes(workload), maxBatch: batch)
        let discriminator = try reader.model("discriminator", sizes: Self.discriminatorSizes(workload), maxBatch: batch)
        let generatorOptimizer = try reader.adam("generator", parameterCount: generator.parameterCount)
        let discriminatorOptimizer = try reader.adam("discriminator", parameterCount: discriminator.parameterCount)
        let rng = try reader.rng("training generator")
        let updates = try reader.integer("updates", in: 0...Int.max)
        try reader.finish()
        (self.generator, self.discriminator, self.generatorOptimizer, self.discriminatorOptimizer) =
            (generator, discriminator, generatorOptimizer, discriminatorOptimizer)
        (self.rng, self.updates) = (rng, updates)
    }
}
