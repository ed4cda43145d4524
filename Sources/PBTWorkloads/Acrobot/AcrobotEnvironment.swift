import Foundation
import Neural

/// The Acrobot-v1 environment: gymnasium's two-link pendulum with the book's dynamics, its
/// fourth-order Runge–Kutta step, angle wrapping, velocity bounds, termination and 500-step
/// time limit, in `Double` as gymnasium computes them.
///
/// Two links of 1 m and 1 kg hang from a fixed pivot; a torque of −1, 0 or +1 N·m at the joint
/// between them (actions 0, 1, 2; no noise) acts for 0.2 s a step. θ₁ is the first link's angle
/// from straight down, θ₂ the second link's angle relative to the first. Every step earns −1
/// except the one that raises the free end above the pivot by more than one link length
/// (`−cos θ₁ − cos(θ₁ + θ₂) > 1`), which earns 0 and *terminates* the episode; it is
/// *truncated* after 500 steps. Observations are (cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂)
/// rounded to `Float`, as gymnasium returns them.
public struct AcrobotEnvironment: ActorCriticEnvironment, Hashable {
    /// Seconds per step.
    public static let dt = 0.2
    /// Length of the first link, m.
    public static let linkLength1 = 1.0
    /// Length of the second link, m (gymnasium's constant; the dynamics never read it).
    public static let linkLength2 = 1.0
    /// Mass of the first link, kg.
    public static let linkMass1 = 1.0
    /// Mass of the second link, kg.
    public static let linkMass2 = 1.0
    /// Position of the first link's centre of mass from its pivot, m.
    public static let linkCenterOfMass1 = 0.5
    /// Position of the second link's centre of mass from its pivot, m.
    public static let linkCenterOfMass2 = 0.5
    /// Moment of inertia of either link, kg·m².
    public static let linkMomentOfInertia = 1.0
    /// Gravity, m/s².
    public static let gravity = 9.8
    /// The bound of |θ̇₁|, rad/s: 4π.
    public static let maxVelocity1 = 4 * Double.pi
    /// The bound of |θ̇₂|, rad/s: 9π.
    public static let maxVelocity2 = 9 * Double.pi
    /// The torque of each action, N·m.
    public static let torques = [-1.0, 0.0, 1.0]
    /// The time limit, steps.
    public static let maxSteps = 500

    /// How a step ended: `terminated` when the free end rose above the line, `truncated` at the
    /// time limit below it.
    public typealias Outcome = EpisodeOutcome

    /// `acrobot`.
    public static var workloadName: String { "acrobot" }
    /// `ACRO`.
    public static var checkpointTag: StaticString { "ACRO" }
    /// cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂.
    public static var observationSize: Int { 6 }
    /// Torque −1, 0 or +1 (actions 0, 1, 2).
    public static var actionCount: Int { 3 }
    /// θ₁, θ₂, θ̇₁, θ̇₂.
    public static var stateSize: Int { 4 }
    /// −500, the worst return: an episode truncated at the time limit. (0 would be better than
    /// any episode can score, so a member that has not finished one would rank first.)
    public static var scoreBeforeFirstEpisode: Double { -Double(maxSteps) }

    /// Angle of the first link from straight down, rad, in [−π, π].
    public var theta1: Double
    /// Angle of the second link relative to the first, rad, in [−π, π].
    public var theta2: Double
    /// θ̇₁, rad/s, in [−4π, 4π].
    public var theta1Dot: Double
    /// θ̇₂, rad/s, in [−9π, 9π].
    public var theta2Dot: Double
    /// Steps taken in this episode.
    public var steps: Int

    /// Creates an environment in a given state (angles within [−π, π], velocities within
    /// their bounds, as every state a step produces is).
    public init(theta1: Double = 0, theta2: Double = 0, theta1Dot: Double = 0, theta2Dot: Double = 0, steps: Int = 0) {
        self.theta1 = theta1
        self.theta2 = theta2
        self.theta1Dot = theta1Dot
        self.theta2Dot = theta2Dot
        self.steps = steps
    }

    /// Creates an environment in the state `[θ₁, θ₂, θ̇₁, θ̇₂]` after `steps` steps.
    public init(state: [Double], steps: Int) {
        self.init(theta1: state[0], theta2: state[1], theta1Dot: state[2], theta2Dot: state[3], steps: steps)
    }

    /// `[θ₁, θ₂, θ̇₁, θ̇₂]`.
    public var state: [Double] { [theta1, theta2, theta1Dot, theta2Dot] }

    /// Starts a new episode: every state variable uniform in [−0.1, 0.1) and then rounded to
    /// `Float`, as gymnasium's reset (which stores the draw as `float32`).
    public mutating func reset(using rng: inout NeuralRNG) {
        theta1 = Double(Float(-0.1 + 0.2 * rng.nextDouble()))
        theta2 = Double(Float(-0.1 + 0.2 * rng.nextDouble()))
        theta1Dot = Double(Float(-0.1 + 0.2 * rng.nextDouble()))
        theta2Dot = Double(Float(-0.1 + 0.2 * rng.nextDouble()))
        steps = 0
    }

    /// Applies the torque of `action` (0: −1, 1: 0, 2: +1; anything else counts as 1) for
    /// 0.2 s: one step of gymnasium's `rk4` over `[0, dt]`, then θ₁ and θ₂ wrapped into
    /// [−π, π] and the velocities clamped to their bounds.
    ///
    /// The arithmetic follows gymnasium's `AcrobotEnv.step`, `_dsdt` and `rk4` operation for
    /// operation.
    /// - Complexity: O(1); no allocation.
    public mutating func step(_ action: Int) -> Outcome {
        let torque = action == 0 ? -1.0 : action == 2 ? 1.0 : 0.0
        let y = (theta1, theta2, theta1Dot, theta2Dot)
        let dt = Self.dt - 0.0
        let dt2 = dt / 2.0
        let k1 = Self.derivatives(y, torque: torque)
        let k2 = Self.derivatives(
            (y.0 + dt2 * k1.0, y.1 + dt2 * k1.1, y.2 + dt2 * k1.2, y.3 + dt2 * k1.3), torque: torque)
        let k3 = Self.derivatives(
            (y.0 + dt2 * k2.0, y.1 + dt2 * k2.1, y.2 + dt2 * k2.2, y.3 + dt2 * k2.3), torque: torque)
        let k4 = Self.derivatives(
            (y.0 + dt * k3.0, y.1 + dt * k3.1, y.2 + dt * k3.2, y.3 + dt * k3.3), torque: torque)
        let sixth = dt / 6.0
        theta1 = Self.wrap(y.0 + sixth * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0))
        theta2 = Self.wrap(y.1 + sixth * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1))
        theta1Dot = Self.bound(y.2 + sixth * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2), Self.maxVelocity1)
        theta2Dot = Self.bound(y.3 + sixth * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3), Self.maxVelocity2)
        steps += 1
        if -cos(theta1) - cos(theta2 + theta1) > 1.0 { return .terminated }
        return steps >= Self.maxSteps ? .truncated : .running
    }

    /// Writes the observation (cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂ rounded to `Float`) to
    /// `destination[0..<6]`.
    @inline(__always)
    public func observe(into destination: UnsafeMutablePointer<Float>) {
        destination[0] = Float(cos(theta1))
        destination[1] = Float(sin(theta1))
        destination[2] = Float(cos(theta2))
        destination[3] = Float(sin(theta2))
        destination[4] = Float(theta1Dot)
        destination[5] = Float(theta2Dot)
    }

    /// 0 for the step that reaches the goal, −1 for every other.
    public static func reward(_ outcome: Outcome) -> Float { outcome == .terminated ? 0 : -1 }

    /// −(steps − 1) for an episode that reached the goal, −500 for one truncated.
    public func episodeReturn(_ outcome: Outcome) -> Double {
        outcome == .terminated ? Double(1 - steps) : -Double(steps)
    }

    /// Refuses a state outside the ranges a step keeps (angles within [−π, π], θ̇₁ within ±4π,
    /// θ̇₂ within ±9π; NaN included), which could not have been saved and could make the angle
    /// wrapping loop forever.
    public static func problem(restoring state: [Double]) -> String? {
        let limits = [Double.pi, Double.pi, maxVelocity1, maxVelocity2]
        for (value, limit) in zip(state, limits) where !(abs(value) <= limit) {
            return "θ₁ and θ₂ must be within ±π, θ̇₁ within ±4π and θ̇₂ within ±9π"
        }
        return nil
    }

    /// gymnasium's `_dsdt` with the book's equations: (θ̇₁, θ̇₂, θ̈₁, θ̈₂) at `s` = (θ₁, θ₂,
    /// θ̇₁, θ̇₂) under torque `a`.
    @inline(__always)
    static func derivatives(
        _ s: (Double, Double, Double, Double), torque a: Double
    ) -> (Double, Double, Double, Double) {
        let (m1, m2, l1) = (linkMass1, linkMass2, linkLength1)
        let (lc1, lc2) = (linkCenterOfMass1, linkCenterOfMass2)
        let (i1, i2, g) = (linkMomentOfInertia, linkMomentOfInertia, gravity)
        let (theta1, theta2, dtheta1, dtheta2) = s
        let sinTheta2 = sin(theta2)
        let d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos(theta2)) + i1 + i2
        let d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos(theta2)) + i2
        let phi2 = m2 * lc2 * g * cos(theta1 + theta2 - Double.pi / 2.0)
        let phi1a = -m2 * l1 * lc2 * square(dtheta2) * sinTheta2 - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sinTheta2
        let phi1 = phi1a + (m1 * lc1 + m2 * l1) * g * cos(theta1 - Double.pi / 2) + phi2
        let ddtheta2 =
            (a + d2 / d1 * phi1 - m2 * l1 * lc2 * square(dtheta1) * sinTheta2 - phi2)
            / (m2 * (lc2 * lc2) + i2 - square(d2) / d1)
        let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return (dtheta1, dtheta2, ddtheta1, ddtheta2)
    }

    /// Python's `x**2` of a numpy `float64`, which is the C library's `pow(x, 2)` — not always
    /// `x * x` (glibc's `pow` rounds x² differently from the product about once in a thousand
    /// draws). Unoptimised, because LLVM would rewrite `pow(x, 2)` as `x * x`.
    @_optimize(none) @inline(never)
    static func square(_ x: Double) -> Double { pow(x, 2) }

    /// gymnasium's `wrap(x, -π, π)`: add or subtract 2π until `x` is within [−π, π].
    @inline(__always)
    static func wrap(_ x: Double) -> Double {
        let (m, big) = (-Double.pi, Double.pi)
        let diff = big - m
        var x = x
        while x > big { x = x - diff }
        while x < m { x = x + diff }
        return x
    }

    /// gymnasium's `bound(x, -limit, limit)`: `min(max(x, -limit), limit)` with Python's
    /// `min` and `max`.
    @inline(__always)
    static func bound(_ x: Double, _ limit: Double) -> Double {
        let low = -limit > x ? -limit : x
        return limit < low ? limit : low
    }
}
