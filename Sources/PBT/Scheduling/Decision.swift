/// What a member does at a ready point: the scheduler's answer, as a value.
public enum Decision: Hashable, Sendable {
    /// Train on with the same weights and hyperparameters.
    case `continue`
    /// Copy the donor's state (weights, optimizer, step) and take `hyperparameters`, which
    /// exploration derived from the donor's; `mutations` says how.
    case exploit(donor: Int, donorStep: Int, hyperparameters: Hyperparameters, mutations: [Mutation])
    /// Keep the weights but take new `hyperparameters` explored from the member's own (the
    /// paper's explore-only ablation: exploit `none` with an explore strategy).
    case explore(hyperparameters: Hyperparameters, mutations: [Mutation])
    /// The member has reached its budget.
    case done
}
