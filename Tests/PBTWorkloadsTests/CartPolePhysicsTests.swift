import Neural
import Testing

@testable import PBTWorkloads

/// CartPole-v1 physics against gymnasium's trajectories (`scripts/cartpole_reference.py`).
@Suite struct CartPolePhysicsTests {
    @Test(arguments: cartPoleReference.map(\.name))
    func matchesGymnasium(_ name: String) throws {
        let episode = try #require(cartPoleReference.first { $0.name == name })
        let s = episode.initial
        var environment = CartPoleEnvironment(x: s[0], xDot: s[1], theta: s[2], thetaDot: s[3])
        let actions = Array(episode.actions)
        #expect(episode.states.count == 4 * actions.count)
        var worst = 0.0
        for (step, action) in actions.enumerated() {
            let outcome = environment.step(action == "1" ? 1 : 0)
            let expected = episode.states[(4 * step)..<(4 * step + 4)].map { $0 }
            let actual = [environment.x, environment.xDot, environment.theta, environment.thetaDot]
            for (a, e) in zip(actual, expected) { worst = max(worst, abs(a - e)) }
            #expect(zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "step \(step): \(actual) vs \(expected)")
            if step < actions.count - 1 {
                #expect(outcome == .running, "step \(step) ended the episode early")
            } else if episode.terminated {
                #expect(outcome == .terminated)
            } else {
                #expect(episode.truncated && outcome == .truncated)
            }
        }
        // On Linux (glibc sin/cos) the states agree bit for bit; 1e-6 leaves room for
        // another platform's libm.
        #expect(worst <= 1e-6)
    }

    @Test func resetIsUniformInTheGymnasiumBox() {
        var rng = NeuralRNG(seed: 3)
        var environment = CartPoleEnvironment(x: 1, steps: 7)
        for _ in 0..<1000 {
            environment.reset(using: &rng)
            let values = [environment.x, environment.xDot, environment.theta, environment.thetaDot]
            #expect(values.allSatisfy { $0 >= -0.05 && $0 < 0.05 })
            #expect(environment.steps == 0)
        }
    }

    @Test func thresholdsAreGymnasiums() {
        #expect(CartPoleEnvironment.thetaThreshold == 12 * 2 * Double.pi / 360)
        #expect(CartPoleEnvironment.xThreshold == 2.4)
        #expect(CartPoleEnvironment.maxSteps == 500)
        #expect(CartPoleEnvironment.totalMass == 1.1)
    }
}
