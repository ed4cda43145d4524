import Neural
import Testing

@testable import PBTWorkloads

/// Acrobot-v1 dynamics against gymnasium's trajectories (`scripts/acrobot_reference.py`).
@Suite struct AcrobotPhysicsTests {
    @Test(arguments: acrobotReference.map(\.name))
    func matchesGymnasium(_ name: String) throws {
        let episode = try #require(acrobotReference.first { $0.name == name })
        var environment = AcrobotEnvironment(state: episode.initial, steps: 0)
        let actions = Array(episode.actions)
        #expect(episode.states.count == 4 * actions.count)
        #expect(episode.observations.count == 6 * actions.count)
        var worst = 0.0
        var observation = [Float](repeating: 0, count: 6)
        var total = 0.0
        for (step, action) in actions.enumerated() {
            let outcome = environment.step(Int(String(action))!)
            total += Double(AcrobotEnvironment.reward(outcome))
            let expected = Array(episode.states[(4 * step)..<(4 * step + 4)])
            let actual = environment.state
            for (a, e) in zip(actual, expected) { worst = max(worst, abs(a - e)) }
            #expect(zip(actual, expected).allSatisfy { abs($0 - $1) <= 1e-9 }, "step \(step): \(actual) vs \(expected)")
            observation.withUnsafeMutableBufferPointer { environment.observe(into: $0.baseAddress!) }
            #expect(observation == Array(episode.observations[(6 * step)..<(6 * step + 6)]), "step \(step)")
            if step < actions.count - 1 {
                #expect(outcome == .running, "step \(step) ended the episode early")
            } else if episode.terminated {
                #expect(outcome == .terminated)
                #expect(environment.episodeReturn(outcome) == episode.episodeReturn)
            } else {
                #expect(episode.truncated && outcome == .truncated)
                #expect(environment.episodeReturn(outcome) == episode.episodeReturn)
            }
        }
        #expect(total == episode.episodeReturn)
        // On Linux (glibc sin, cos and pow, as numpy calls them) the states agree bit for bit;
        // 1e-9 leaves room for another platform's libm over a few hundred chaotic steps.
        #expect(worst == 0, "largest difference \(worst)")
    }

    @Test func referenceCoversEveryEnding() {
        #expect(acrobotReference.contains { $0.truncated && $0.actions.count == AcrobotEnvironment.maxSteps })
        #expect(acrobotReference.contains { $0.terminated })
        let velocities = acrobotReference.flatMap { episode in
            stride(from: 0, to: episode.states.count, by: 4).map { (episode.states[$0 + 2], episode.states[$0 + 3]) }
        }
        #expect(velocities.contains { abs($0.0) == AcrobotEnvironment.maxVelocity1 })
        #expect(velocities.contains { abs($0.1) == AcrobotEnvironment.maxVelocity2 })
    }

    @Test func resetIsUniformInTheGymnasiumBoxAndFloat32() {
        var rng = NeuralRNG(seed: 3)
        var environment = AcrobotEnvironment(theta1: 1, steps: 7)
        var smallest = 1.0, largest = -1.0
        for _ in 0..<1000 {
            environment.reset(using: &rng)
            let values = environment.state
            #expect(values.allSatisfy { $0 >= -0.1 && $0 <= 0.1 && Double(Float($0)) == $0 })
            smallest = min(smallest, values.min()!)
            largest = max(largest, values.max()!)
            #expect(environment.steps == 0)
        }
        #expect(smallest < -0.099 && largest > 0.099)
    }

    @Test func gymnasiumReferenceResetsAreFloat32() {
        for episode in acrobotReference where episode.name.hasPrefix("random") {
            #expect(episode.initial.allSatisfy { abs($0) <= 0.1 && Double(Float($0)) == $0 })
        }
    }

    @Test func constantsAreGymnasiums() {
        #expect(AcrobotEnvironment.dt == 0.2)
        #expect(AcrobotEnvironment.maxVelocity1 == 4 * Double.pi)
        #expect(AcrobotEnvironment.maxVelocity2 == 9 * Double.pi)
        #expect(AcrobotEnvironment.torques == [-1, 0, 1])
        #expect(AcrobotEnvironment.maxSteps == 500)
        #expect(AcrobotEnvironment.scoreBeforeFirstEpisode == -500)
        #expect(AcrobotEnvironment.reward(.running) == -1 && AcrobotEnvironment.reward(.truncated) == -1)
        #expect(AcrobotEnvironment.reward(.terminated) == 0)
    }

    @Test func wrapAndBoundAreGymnasiums() {
        #expect(AcrobotEnvironment.wrap(Double.pi) == Double.pi)
        #expect(AcrobotEnvironment.wrap(-Double.pi) == -Double.pi)
        #expect(AcrobotEnvironment.wrap(3.5) == 3.5 - 2 * Double.pi)
        #expect(AcrobotEnvironment.wrap(-3.5) == -3.5 + 2 * Double.pi)
        #expect(AcrobotEnvironment.wrap(13) == 13 - 2 * Double.pi - 2 * Double.pi)
        #expect(AcrobotEnvironment.bound(13, 4 * Double.pi) == 4 * Double.pi)
        #expect(AcrobotEnvironment.bound(-13, 4 * Double.pi) == -4 * Double.pi)
        #expect(AcrobotEnvironment.bound(1.5, 4 * Double.pi) == 1.5)
    }

    @Test func statesOutsideTheStepsRangesAreRefused() {
        #expect(AcrobotEnvironment.problem(restoring: [0.1, -0.1, 1, -1]) == nil)
        #expect(AcrobotEnvironment.problem(restoring: [Double.pi, -Double.pi, 4 * Double.pi, -9 * Double.pi]) == nil)
        let states: [[Double]] = [[4, 0, 0, 0], [0, -.infinity, 0, 0], [0, 0, .nan, 0], [0, 0, 0, 30]]
        for bad in states {
            #expect(AcrobotEnvironment.problem(restoring: bad) != nil, "\(bad)")
        }
    }
}
