import Neural

extension CartPoleAgent {
    private static let tag: StaticString = "CPOL"
    private static let version: UInt16 = 1

    /// The whole state: both networks (with their generators), both optimizers, the training
    /// generator, every environment's state and step count, and the recent episode returns.
    public func save() -> [UInt8] {
        var writer = CheckpointWriter(tag: Self.tag, version: Self.version)
        writer.write(policy)
        writer.write(value)
        writer.write(policyOptimizer)
        writer.write(valueOptimizer)
        writer.write(rng)
        writer.write(environments.count)
        for environment in environments {
            writer.write([environment.x, environment.xDot, environment.theta, environment.thetaDot])
            writer.write(environment.steps)
        }
        writer.write(finishedEpisodes)
        writer.write(recentReturns)
        writer.write(updates)
        return writer.bytes
    }

    /// Replaces the state with a saved one; call ``apply(_:)`` afterwards.
    /// - Throws: `WorkloadError` when the bytes are not a `cartpole` checkpoint of the same
    ///   network and environment sizes.
    public func restore(from checkpoint: [UInt8]) throws {
        var reader = try CheckpointReader(checkpoint, tag: Self.tag, version: Self.version, what: "cartpole checkpoint")
        let h = workload.hidden
        let policy = try reader.model("policy", sizes: [4, h, h, 2], maxBatch: 64)
        let value = try reader.model("value", sizes: [4, h, h, 1], maxBatch: 64)
        let policyOptimizer = try reader.adam("policy", parameterCount: policy.parameterCount)
        let valueOptimizer = try reader.adam("value", parameterCount: value.parameterCount)
        let rng = try reader.rng("training generator")
        let count = try reader.integer("environment count", in: 0...1 << 20)
        guard count == workload.environments else {
            throw WorkloadError(
                """
                cartpole checkpoint holds \(count) environments, but this workload's option envs is \
                \(workload.environments)
                """
            )
        }
        var environments: [CartPoleEnvironment] = []
        for _ in 0..<count {
            let s = try reader.doubles("environment state", count: 4)
            let steps = try reader.integer("environment steps", in: 0...CartPoleEnvironment.maxSteps)
            environments.append(CartPoleEnvironment(x: s[0], xDot: s[1], theta: s[2], thetaDot: s[3], steps: steps))
        }
        let finished = try reader.integer("finished episodes", in: 0...Int.max)
        let recent = try reader.doubles("recent returns", count: Self.scoredEpisodes)
        let updates = try reader.integer("updates", in: 0...Int.max)
        try reader.finish()
        (self.policy, self.value, self.policyOptimizer, self.valueOptimizer) = (
            policy, value, policyOptimizer, valueOptimizer
        )
        (self.rng, self.environments, self.finishedEpisodes, self.recentReturns, self.updates) =
            (rng, environments, finished, recent, updates)
    }
}
