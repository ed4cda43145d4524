import Foundation
import Neural

/// The CartPole-v1 environment: gymnasium's classic-control physics, constants, Euler
/// integration and termination and truncation rules, in `Double` as gymnasium computes them.
///
/// A pole is hinged to a cart on a frictionless track; each step pushes the cart left or right
/// with a force of 10 N for 0.02 s and earns a reward of 1. The episode *terminates* when the
/// pole leans more than 12° or the cart leaves ±2.4, and is *truncated* after 500 steps.
/// Observations are the state rounded to `Float`, as gymnasium returns them.
public struct CartPoleEnvironment: ActorCriticEnvironment, Hashable {
    /// Gravity, m/s².
    public static let gravity = 9.8
    /// Mass of the cart, kg.
    public static let massCart = 1.0
    /// Mass of the pole, kg.
    public static let massPole = 0.1
    /// Cart plus pole.
    public static let totalMass = massPole + massCart
    /// Half the pole's length, m.
    public static let length = 0.5
    /// Pole mass times half-length.
    public static let poleMassLength = massPole * length
    /// The push, N.
    public static let forceMagnitude = 10.0
    /// Seconds per step.
    public static let tau = 0.02
    /// The pole angle that ends an episode: 12°, in radians.
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    /// The cart position that ends an episode, m.
    public static let xThreshold = 2.4
    /// The time limit, steps.
    public static let maxSteps = 500

    /// How a step ended: `terminated` when the pole fell or the cart left the track,
    /// `truncated` at the time limit with the pole up.
    public typealias Outcome = EpisodeOutcome

    /// `cartpole`.
    public static var workloadName: String { "cartpole" }
    /// `CPOL`.
    public static var checkpointTag: StaticString { "CPOL" }
    /// x, ẋ, θ, θ̇.
    public static var observationSize: Int { 4 }
    /// Push left (0) or right (1).
    public static var actionCount: Int { 2 }
    /// x, ẋ, θ, θ̇.
    public static var stateSize: Int { 4 }
    /// 0, below every episode's return (its length, at least 1).
    public static var scoreBeforeFirstEpisode: Double { 0 }

    /// Cart position, m.
    public var x: Double
    /// Cart velocity, m/s.
    public var xDot: Double
    /// Pole angle from vertical, rad.
    public var theta: Double
    /// Pole angular velocity, rad/s.
    public var thetaDot: Double
    /// Steps taken in this episode.
    public var steps: Int

    /// Creates an environment in a given state.
    public init(x: Double = 0, xDot: Double = 0, theta: Double = 0, thetaDot: Double = 0, steps: Int = 0) {
        self.x = x
        self.xDot = xDot
        self.theta = theta
        self.thetaDot = thetaDot
        self.steps = steps
    }

    /// Creates an environment in the state `[x, ẋ, θ, θ̇]` after `steps` steps.
    public init(state: [Double], steps: Int) {
        self.init(x: state[0], xDot: state[1], theta: state[2], thetaDot: state[3], steps: steps)
    }

    /// `[x, ẋ, θ, θ̇]`.
    public var state: [Double] { [x, xDot, theta, thetaDot] }

    /// Starts a new episode: every state variable uniform in [-0.05, 0.05), as gymnasium's reset.
    public mutating func reset(using rng: inout NeuralRNG) {
        x = rng.nextDouble() * 0.1 - 0.05
        xDot = rng.nextDouble() * 0.1 - 0.05
        theta = rng.nextDouble() * 0.1 - 0.05
        thetaDot = rng.nextDouble() * 0.1 - 0.05
        steps = 0
    }

    /// Applies one push (`action` 1 pushes right, anything else left) and advances 0.02 s.
    ///
    /// The arithmetic follows gymnasium's `CartPoleEnv.step` operation for operation.
    /// - Complexity: O(1); no allocation.
    @inline(__always)
    public mutating func step(_ action: Int) -> Outcome {
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(theta)
        let sinTheta = sin(theta)
        let temp = (force + Self.poleMassLength * (thetaDot * thetaDot) * sinTheta) / Self.totalMass
        let thetaAcc =
            (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * (cosTheta * cosTheta) / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass
        x = x + Self.tau * xDot
        xDot = xDot + Self.tau * xAcc
        theta = theta + Self.tau * thetaDot
        thetaDot = thetaDot + Self.tau * thetaAcc
        steps += 1
        if x < -Self.xThreshold || x > Self.xThreshold || theta < -Self.thetaThreshold || theta > Self.thetaThreshold {
            return .terminated
        }
        return steps >= Self.maxSteps ? .truncated : .running
    }

    /// Writes the observation (x, ẋ, θ, θ̇ rounded to `Float`) to `destination[0..<4]`.
    @inline(__always)
    public func observe(into destination: UnsafeMutablePointer<Float>) {
        destination[0] = Float(x)
        destination[1] = Float(xDot)
        destination[2] = Float(theta)
        destination[3] = Float(thetaDot)
    }

    /// 1 for every step, the last included.
    public static func reward(_ outcome: Outcome) -> Float { 1 }

    /// The episode's length.
    public func episodeReturn(_ outcome: Outcome) -> Double { Double(steps) }
}
