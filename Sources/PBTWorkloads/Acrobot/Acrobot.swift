/// The `acrobot` workload: an advantage actor-critic (A2C) agent learning Acrobot-v1
/// (``AcrobotEnvironment``), with the options, hyperparameters and training step of
/// ``ActorCritic`` — the same agent as ``CartPole``, with a 6-float observation and 3 actions.
///
/// Score: the mean return of the last 10 training episodes that finished, with the stochastic
/// training policy: −500 for episodes that never reach the goal, about −60 to −80 for a good
/// policy (gymnasium counts −100 as solved). Before any episode has finished the score is −500,
/// the worst return, so a member that has not finished an episode ranks with the worst.
public typealias Acrobot = ActorCritic<AcrobotEnvironment>

/// One `acrobot` member (see ``ActorCriticAgent``).
public typealias AcrobotAgent = ActorCriticAgent<AcrobotEnvironment>
