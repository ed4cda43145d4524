/// The `cartpole` workload: an advantage actor-critic (A2C) agent learning CartPole-v1
/// (``CartPoleEnvironment``), with the options, hyperparameters and training step of
/// ``ActorCritic``.
///
/// Score: the mean return of the last 10 training episodes that finished (terminated or
/// truncated at 500), with the stochastic training policy. Before any episode has finished the
/// score is 0, below every episode's return.
public typealias CartPole = ActorCritic<CartPoleEnvironment>

/// One `cartpole` member (see ``ActorCriticAgent``).
public typealias CartPoleAgent = ActorCriticAgent<CartPoleEnvironment>
