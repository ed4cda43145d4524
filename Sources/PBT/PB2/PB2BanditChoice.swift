import Foundation

/// How PB2-Mix's bandit chose the option of one unordered hyperparameter: the probability it
/// gave each option at the decision, and the option drawn (see `PB2` for the bandit).
public struct PB2BanditChoice: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The hyperparameter's name.
    public var name: String
    /// The domain's options, in order.
    public var options: [HyperparameterValue]
    /// The bandit's probability of each option, parallel to `options` (they sum to 1).
    public var probabilities: [Double]
    /// The index of the option drawn.
    public var chosen: Int
    /// The rounds the bandit learned from (distinct steps at which observations ended).
    public var rounds: Int

    /// Creates a record of one choice.
    /// - Parameters:
    ///   - name: the hyperparameter's name.
    ///   - options: the domain's options.
    ///   - probabilities: the bandit's probability of each option.
    ///   - chosen: the index of the option drawn.
    ///   - rounds: the rounds the bandit learned from.
    public init(name: String, options: [HyperparameterValue], probabilities: [Double], chosen: Int, rounds: Int) {
        self.name = name
        self.options = options
        self.probabilities = probabilities
        self.chosen = chosen
        self.rounds = rounds
    }

    /// The option drawn.
    public var value: HyperparameterValue { options[chosen] }

    /// E.g. `act = tanh (p 0.71; relu 0.29, tanh 0.71; 12 rounds)`.
    public var description: String {
        func format(_ value: Double) -> String { String(format: "%.2f", value) }
        let all = zip(options, probabilities).map { "\($0) \(format($1))" }.joined(separator: ", ")
        return "\(name) = \(value) (p \(format(probabilities[chosen])); \(all); \(rounds) rounds)"
    }
}
