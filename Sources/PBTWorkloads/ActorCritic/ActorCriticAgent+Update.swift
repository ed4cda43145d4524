import Foundation
import Neural

extension ActorCriticAgent {
    /// Plays `unroll` steps in every environment with actions sampled from the policy,
    /// recording observations, actions and outcomes.
    func rollout() {
        let count = environments.count
        let n = unroll * count
        let (d, k) = (Environment.observationSize, Environment.actionCount)
        let truncatedBase = n + count
        buffers.truncatedCount = 0
        buffers.observations.withUnsafeMutableBufferPointer { observations in
            let obs = observations.baseAddress!
            for e in 0..<count { environments[e].observe(into: obs + d * e) }
            for t in 0..<unroll {
                let row = t * count
                buffers.logits.withUnsafeMutableBufferPointer { logits in
                    policy.forward(
                        UnsafeBufferPointer(start: obs + d * row, count: d * count), batch: count,
                        output: UnsafeMutableBufferPointer(rebasing: logits[(k * row)..<(k * row + k * count)]))
                }
                for e in 0..<count {
                    let i = row + e
                    let action = sampleAction(logitsAt: k * i)
                    buffers.actions[i] = Int32(action)
                    let outcome = environments[e].step(action)
                    let next = obs + d * (i + count)
                    switch outcome {
                    case .running:
                        buffers.outcomes[i] = 0
                    case .terminated:
                        buffers.outcomes[i] = 1
                        finishEpisode(return: environments[e].episodeReturn(outcome))
                        environments[e].reset(using: &rng)
                    case .truncated:
                        buffers.outcomes[i] = 2
                        buffers.truncatedIndex[i] = Int32(buffers.truncatedCount)
                        environments[e].observe(into: obs + d * (truncatedBase + buffers.truncatedCount))
                        buffers.truncatedCount += 1
                        finishEpisode(return: environments[e].episodeReturn(outcome))
                        environments[e].reset(using: &rng)
                    }
                    environments[e].observe(into: next)
                }
            }
        }
    }

    /// Draws an action from the softmax of the logits at `buffers.logits[base..<base + K]`
    /// with one uniform float of the training generator.
    ///
    /// With two actions it takes action 1 when `u < σ(l₁ − l₀)` — CartPole's original form,
    /// kept so that its runs stay bit for bit what they were; with more, the first action whose
    /// cumulative (unnormalised) probability exceeds `u` times the total.
    @inline(__always)
    private func sampleAction(logitsAt base: Int) -> Int {
        let k = Environment.actionCount
        if k == 2 {
            let l0 = buffers.logits[base], l1 = buffers.logits[base + 1]
            let second = 1 / (1 + expf(l0 - l1))
            return rng.nextFloat() < second ? 1 : 0
        }
        var top = buffers.logits[base]
        for a in 1..<k { top = max(top, buffers.logits[base + a]) }
        var total: Float = 0
        for a in 0..<k { total += expf(buffers.logits[base + a] - top) }
        let threshold = rng.nextFloat() * total
        var cumulative: Float = 0
        for a in 0..<(k - 1) {
            cumulative += expf(buffers.logits[base + a] - top)
            if threshold < cumulative { return a }
        }
        return k - 1
    }

    /// One A2C update from the last unroll: n-step returns bootstrapped from the value network,
    /// policy gradient with entropy bonus, squared-error value regression, clipped Adam steps.
    func update() {
        let count = environments.count
        let n = unroll * count
        let (d, k) = (Environment.observationSize, Environment.actionCount)
        let bootstrapRows = count + buffers.truncatedCount
        let scale = 1 / Float(n)
        let maxNorm = Float(workload.maxGradientNorm)
        buffers.observations.withUnsafeBufferPointer { observations in
            let obs = observations.baseAddress!
            buffers.bootstrapValues.withUnsafeMutableBufferPointer { out in
                value.forward(
                    UnsafeBufferPointer(start: obs + d * n, count: d * bootstrapRows), batch: bootstrapRows,
                    output: UnsafeMutableBufferPointer(rebasing: out[0..<bootstrapRows]))
            }
            buffers.values.withUnsafeMutableBufferPointer { out in
                value.forward(
                    UnsafeBufferPointer(start: obs, count: d * n), batch: n,
                    output: UnsafeMutableBufferPointer(rebasing: out[0..<n]), training: true)
            }
            buffers.logits.withUnsafeMutableBufferPointer { out in
                policy.forward(
                    UnsafeBufferPointer(start: obs, count: d * n), batch: n,
                    output: UnsafeMutableBufferPointer(rebasing: out[0..<(k * n)]), training: true)
            }
        }
        computeReturns()
        computeGradients(scale: scale)
        buffers.policyGradient.withUnsafeBufferPointer { g in
            policy.backward(outputGradient: UnsafeBufferPointer(rebasing: g[0..<(k * n)]), inputGradient: nil)
        }
        buffers.valueGradient.withUnsafeBufferPointer { g in
            value.backward(outputGradient: UnsafeBufferPointer(rebasing: g[0..<n]), inputGradient: nil)
        }
        policy.clipGradientNorm(to: maxNorm)
        value.clipGradientNorm(to: maxNorm)
        policyOptimizer.update(&policy)
        valueOptimizer.update(&value)
    }

    /// `R_t = r_t + γ R_{t+1}`, from `V(s_T)`; a terminated step stops at its reward, a
    /// truncated one bootstraps from the value of its final state.
    private func computeReturns() {
        let count = environments.count
        let gamma = discount
        let running = Environment.reward(.running)
        let terminal = Environment.reward(.terminated)
        let truncated = Environment.reward(.truncated)
        for e in 0..<count {
            var r = buffers.bootstrapValues[e]
            for t in stride(from: unroll - 1, through: 0, by: -1) {
                let i = t * count + e
                switch buffers.outcomes[i] {
                case 1: r = terminal
                case 2: r = truncated + gamma * buffers.bootstrapValues[count + Int(buffers.truncatedIndex[i])]
                default: r = running + gamma * r
                }
                buffers.returns[i] = r
            }
        }
    }

    /// Writes `∂loss/∂logits` and `∂loss/∂V` for
    /// `loss = mean(−A·log π(a|s) − β·H(π(·|s)) + ½(V(s) − R)²)`, `A = R − V(s)`.
    ///
    /// The softmax sums run over the actions in order, starting from action 0's term, so with
    /// two actions every operation is CartPole's original two-logit arithmetic.
    private func computeGradients(scale: Float) {
        let n = unroll * environments.count
        let k = Environment.actionCount
        let beta = entropyCost
        for i in 0..<n {
            let v = buffers.values[i]
            let advantage = buffers.returns[i] - v
            buffers.valueGradient[i] = (v - buffers.returns[i]) * scale
            let base = k * i
            var top = buffers.logits[base]
            for a in 1..<k { top = max(top, buffers.logits[base + a]) }
            var sum = expf(buffers.logits[base] - top)
            for a in 1..<k { sum += expf(buffers.logits[base + a] - top) }
            let logSum = top + logf(sum)
            // First pass: the probabilities (kept in the gradient's slots) and the entropy.
            var weighted = Float(0)
            for a in 0..<k {
                let logP = buffers.logits[base + a] - logSum
                let p = expf(logP)
                buffers.policyGradient[base + a] = p
                let term = p * logP
                weighted = a == 0 ? term : weighted + term
            }
            let entropy = -weighted
            let taken = Int(buffers.actions[i])
            for a in 0..<k {
                let logP = buffers.logits[base + a] - logSum
                let p = buffers.policyGradient[base + a]
                let indicator: Float = a == taken ? 1 : 0
                buffers.policyGradient[base + a] = (-advantage * (indicator - p) + beta * p * (logP + entropy)) * scale
            }
        }
    }
}
