/// PB2's answer: the hyperparameters to train with next, and why.
public struct PB2Suggestion: Hashable, Sendable {
    /// The suggested hyperparameters, in the space (untunable ones at their single value).
    public var hyperparameters: Hyperparameters
    /// The GP's view of the choice; nil when there was too little data and the suggestion is a
    /// draw from the prior.
    public var explanation: PB2Explanation?

    /// Creates a suggestion.
    public init(hyperparameters: Hyperparameters, explanation: PB2Explanation?) {
        self.hyperparameters = hyperparameters
        self.explanation = explanation
    }
}
