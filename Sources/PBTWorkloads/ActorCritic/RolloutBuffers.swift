/// Preallocated storage for one A2C unroll of `T` steps in `E` environments (`N = T·E`
/// transitions, transition `t·E + e`), for observations of `D` floats and `K` actions.
///
/// A class so that its arrays are separate stored properties: a loop may hold one array's
/// buffer pointer while it writes another (a struct field of the agent would be one access).
final class RolloutBuffers {
    /// Observation rows: `0..<N` the states acted in, `N..<N+E` the states after the unroll
    /// (bootstrap), then up to `N` final states of truncated episodes; `D` floats per row.
    var observations: [Float] = []
    /// The sampled action of each transition.
    var actions: [Int32] = []
    /// 0 running, 1 terminated, 2 truncated, per transition.
    var outcomes: [UInt8] = []
    /// For a truncated transition, the index of its final state among the truncated rows.
    var truncatedIndex: [Int32] = []
    /// Policy logits, `K` per transition.
    var logits: [Float] = []
    /// ∂loss/∂logits.
    var policyGradient: [Float] = []
    /// V(s) of each transition's state.
    var values: [Float] = []
    /// V of the bootstrap rows and truncated final states.
    var bootstrapValues: [Float] = []
    /// ∂loss/∂V.
    var valueGradient: [Float] = []
    /// n-step returns.
    var returns: [Float] = []
    /// Number of truncated transitions in the current unroll.
    var truncatedCount = 0

    /// Grows the buffers to hold an unroll of `unroll` steps (only allocates when growing).
    func reserve(unroll: Int, environments: Int, observationSize: Int, actionCount: Int) {
        let n = unroll * environments
        guard actions.count < n else { return }
        observations = [Float](repeating: 0, count: (2 * n + environments) * observationSize)
        actions = [Int32](repeating: 0, count: n)
        outcomes = [UInt8](repeating: 0, count: n)
        truncatedIndex = [Int32](repeating: 0, count: n)
        logits = [Float](repeating: 0, count: actionCount * n)
        policyGradient = [Float](repeating: 0, count: actionCount * n)
        values = [Float](repeating: 0, count: n)
        bootstrapValues = [Float](repeating: 0, count: n + environments)
        valueGradient = [Float](repeating: 0, count: n)
        returns = [Float](repeating: 0, count: n)
    }
}
