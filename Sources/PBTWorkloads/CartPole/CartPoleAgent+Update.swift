import Foundation
import Neural

extension CartPoleAgent {
    /// Plays `unroll` steps in every environment with actions sampled from the policy,
    /// recording observations, actions and outcomes.
    func rollout() {
        let count = environments.count
        let n = unroll * count
        let truncatedBase = n + count
        buffers.truncatedCount = 0
        buffers.observations.withUnsafeMutableBufferPointer { observations in
            let obs = observations.baseAddress!
            for e in 0..<count { environments[e].observe(into: obs + 4 * e) }
            for t in 0..<unroll {
                let row = t * count
                buffers.logits.withUnsafeMutableBufferPointer { logits in
                    policy.forward(
                        UnsafeBufferPointer(start: obs + 4 * row, count: 4 * count), batch: count,
                        output: UnsafeMutableBufferPointer(rebasing: logits[(2 * row)..<(2 * row + 2 * count)]))
                }
                for e in 0..<count {
                    let i = row + e
                    let l0 = buffers.logits[2 * i], l1 = buffers.logits[2 * i + 1]
                    let pushRight = 1 / (1 + expf(l0 - l1))
                    let action = rng.nextFloat() < pushRight ? 1 : 0
                    buffers.actions[i] = Int32(action)
                    let outcome = environments[e].step(action)
                    let next = obs + 4 * (i + count)
                    switch outcome {
                    case .running:
                        buffers.outcomes[i] = 0
                    case .terminated:
                        buffers.outcomes[i] = 1
                        finishEpisode(return: Double(environments[e].steps))
                        environments[e].reset(using: &rng)
                    case .truncated:
                        buffers.outcomes[i] = 2
                        buffers.truncatedIndex[i] = Int32(buffers.truncatedCount)
                        environments[e].observe(into: obs + 4 * (truncatedBase + buffers.truncatedCount))
                        buffers.truncatedCount += 1
                        finishEpisode(return: Double(environments[e].steps))
                        environments[e].reset(using: &rng)
                    }
                    environments[e].observe(into: next)
                }
            }
        }
    }

    /// One A2C update from the last unroll: n-step returns bootstrapped from the value network,
    /// policy gradient with entropy bonus, squared-error value regression, clipped Adam steps.
    func update() {
        let count = environments.count
        let n = unroll * count
        let bootstrapRows = count + buffers.truncatedCount
        let scale = 1 / Float(n)
        let maxNorm = Float(workload.maxGradientNorm)
        buffers.observations.withUnsafeBufferPointer { observations in
            let obs = observations.baseAddress!
            buffers.bootstrapValues.withUnsafeMutableBufferPointer { out in
                value.forward(
                    UnsafeBufferPointer(start: obs + 4 * n, count: 4 * bootstrapRows), batch: bootstrapRows,
                    output: UnsafeMutableBufferPointer(rebasing: out[0..<bootstrapRows]))
            }
            buffers.values.withUnsafeMutableBufferPointer { out in
                value.forward(
                    UnsafeBufferPointer(start: obs, count: 4 * n), batch: n,
                    output: UnsafeMutableBufferPointer(rebasing: out[0..<n]), training: true)
            }
            buffers.logits.withUnsafeMutableBufferPointer { out in
                policy.forward(
                    UnsafeBufferPointer(start: obs, count: 4 * n), batch: n,
                    output: UnsafeMutableBufferPointer(rebasing: out[0..<(2 * n)]), training: true)
            }
        }
        computeReturns()
        computeGradients(scale: scale)
        buffers.policyGradient.withUnsafeBufferPointer { g in
            policy.backward(outputGradient: UnsafeBufferPointer(rebasing: g[0..<(2 * n)]), inputGradient: nil)
        }
        buffers.valueGradient.withUnsafeBufferPointer { g in
            value.backward(outputGradient: UnsafeBufferPointer(rebasing: g[0..<n]), inputGradient: nil)
        }
        policy.clipGradientNorm(to: maxNorm)
        value.clipGradientNorm(to: maxNorm)
        policyOptimizer.update(&policy)
        valueOptimizer.update(&value)
    }

    /// `R_t = 1 + γ R_{t+1}`, from `V(s_T)`; a terminated step stops at its reward, a
    /// truncated one bootstraps from the value of its final state.
    private func computeReturns() {
        let count = environments.count
        let gamma = discount
        for e in 0..<count {
            var r = buffers.bootstrapValues[e]
            for t in stride(from: unroll - 1, through: 0, by: -1) {
                let i = t * count + e
                switch buffers.outcomes[i] {
                case 1: r = 1
                case 2: r = 1 + gamma * buffers.bootstrapValues[count + Int(buffers.truncatedIndex[i])]
                default: r = 1 + gamma * r
                }
                buffers.returns[i] = r
            }
        }
    }

    /// Writes `∂loss/∂logits` and `∂loss/∂V` for
    /// `loss = mean(−A·log π(a|s) − β·H(π(·|s)) + ½(V(s) − R)²)`, `A = R − V(s)`.
    private func computeGradients(scale: Float) {
        let n = unroll * environments.count
        let beta = entropyCost
        for i in 0..<n {
            let v = buffers.values[i]
            let advantage = buffers.returns[i] - v
            buffers.valueGradient[i] = (v - buffers.returns[i]) * scale
            let l0 = buffers.logits[2 * i], l1 = buffers.logits[2 * i + 1]
            let top = max(l0, l1)
            let logSum = top + logf(expf(l0 - top) + expf(l1 - top))
            let logP0 = l0 - logSum, logP1 = l1 - logSum
            let p0 = expf(logP0), p1 = expf(logP1)
            let entropy = -(p0 * logP0 + p1 * logP1)
            let taken: (Float, Float) = buffers.actions[i] == 1 ? (0, 1) : (1, 0)
            buffers.policyGradient[2 * i] = (-advantage * (taken.0 - p0) + beta * p0 * (logP0 + entropy)) * scale
            buffers.policyGradient[2 * i + 1] = (-advantage * (taken.1 - p1) + beta * p1 * (logP1 + entropy)) * scale
        }
    }
}
