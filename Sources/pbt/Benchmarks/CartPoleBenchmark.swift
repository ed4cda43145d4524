import Foundation
import Neural
import PBT
import PBTWorkloads

/// The outcome of ``runCartPoleBenchmark(seconds:seed:)``.
struct CartPoleBenchmarkResult: Sendable, Codable {
    /// Environment steps per second of one `cartpole` member training (A2C with the workload's
    /// defaults: 8 environments, two 64-unit tanh layers, unroll 5), policy sampling and
    /// updates included — the number to publish.
    var trainingStepsPerSecond: Double
    /// Environment steps per second of the bare physics with alternating pushes, resets
    /// included (the ceiling the agent's networks eat into).
    var physicsStepsPerSecond: Double
    /// Environment steps in the timed training phase.
    var trainingSteps: Int
    /// Mean return of the last 10 training episodes at the end (a sanity check).
    var finalScore: Double
}

/// Measures one `cartpole` member's environment steps per second on one thread, for about
/// `seconds` seconds of training after a short warm-up, plus the bare physics for comparison.
func runCartPoleBenchmark(seconds: Double, seed: UInt64 = 0) throws -> CartPoleBenchmarkResult {
    let workload = CartPole()
    let unroll = 5
    let agent = try workload.makeAgent(
        hyperparameters: Hyperparameters([
            "lr": 1e-3, "entropy": 0.01, "gamma": 0.99, "unroll": .number(Double(unroll)),
        ]),
        seed: seed)
    let clock = ContinuousClock()
    try agent.train(steps: 50)
    var updates = 0
    let start = clock.now
    var elapsed = 0.0
    while elapsed < seconds {
        try agent.train(steps: 100)
        updates += 100
        elapsed = secondsOf(clock.now - start)
    }
    let trainingSteps = updates * unroll * workload.environments
    let physics = cartPolePhysicsStepsPerSecond(seconds: min(seconds, 1), seed: seed)
    return CartPoleBenchmarkResult(
        trainingStepsPerSecond: Double(trainingSteps) / elapsed, physicsStepsPerSecond: physics,
        trainingSteps: trainingSteps, finalScore: agent.evaluate())
}

/// Environment steps per second of the bare CartPole physics (alternating actions).
func cartPolePhysicsStepsPerSecond(seconds: Double, seed: UInt64 = 0) -> Double {
    var rng = NeuralRNG(seed: seed)
    var environment = CartPoleEnvironment()
    environment.reset(using: &rng)
    let clock = ContinuousClock()
    let start = clock.now
    var steps = 0
    var elapsed = 0.0
    var checksum = 0.0
    while elapsed < seconds {
        for i in 0..<100_000 {
            if environment.step(i & 1) != .running { environment.reset(using: &rng) }
            checksum += environment.x
        }
        steps += 100_000
        elapsed = secondsOf(clock.now - start)
    }
    // Keep the loop from being optimised away.
    if checksum.isNaN { print(checksum) }
    return Double(steps) / elapsed
}

/// A duration in seconds.
private func secondsOf(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
