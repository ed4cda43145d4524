import Neural

extension ActorCriticAgent {
    private static var version: UInt16 { 1 }

    /// The whole state: both networks (with their generators), both optimizers, the training
    /// generator, every environment's state and step count, and the recent episode returns,
    /// after the environment's checkpoint tag.
    public func save() -> [UInt8] {
        var writer = CheckpointWriter(tag: Environment.checkpointTag, version: Self.version)
        writer.write(policy)
        writer.write(value)
        writer.write(policyOptimizer)
        writer.write(valueOptimizer)
        writer.write(rng)
        writer.write(environments.count)
        for environment in environments {
            writer.write(environment.state)
            writer.write(environment.steps)
        }
        writer.write(finishedEpisodes)
        writer.write(recentReturns)
        writer.write(updates)
        return writer.bytes
    }

    /// Replaces the state with a saved one; call ``apply(_:)`` afterwards.
    /// - Throws: `WorkloadError` when the bytes are not a checkpoint of this workload with the
    ///   same network and environment sizes.
    public func restore(from checkpoint: [UInt8]) throws {
        let name = Environment.workloadName
        var reader = try CheckpointReader(
            checkpoint, tag: Environment.checkpointTag, version: Self.version, what: "\(name) checkpoint")
        let (h, inputs, actions) = (workload.hidden, Environment.observationSize, Environment.actionCount)
        let policy = try reader.model("policy", sizes: [inputs, h, h, actions], maxBatch: 64)
        let value = try reader.model("value", sizes: [inputs, h, h, 1], maxBatch: 64)
        let policyOptimizer = try reader.adam("policy", parameterCount: policy.parameterCount)
        let valueOptimizer = try reader.adam("value", parameterCount: value.parameterCount)
        let rng = try reader.rng("training generator")
        let count = try reader.integer("environment count", in: 0...1 << 20)
        guard count == workload.environments else {
            throw WorkloadError(
                """
                \(name) checkpoint holds \(count) environments, but this workload's option envs is \
                \(workload.environments)
                """
            )
        }
        var environments: [Environment] = []
        for _ in 0..<count {
            let state = try reader.doubles("environment state", count: Environment.stateSize)
            if let problem = Environment.problem(restoring: state) {
                throw WorkloadError("\(name) checkpoint is malformed: environment state \(state): \(problem)")
            }
            let steps = try reader.integer("environment steps", in: 0...Environment.maxSteps)
            environments.append(Environment(state: state, steps: steps))
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
