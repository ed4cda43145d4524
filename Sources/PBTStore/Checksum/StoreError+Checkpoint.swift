extension StoreError {
    /// `checkpointCorrupt`, naming the experiment, member, step and checkpoint id.
    public static func corrupt(experiment: String, id: Int64, member: Int, step: Int, expected: String, actual: String) -> StoreError {
        StoreError(
            .checkpointCorrupt,
            "experiment '\(experiment)': checkpoint \(id) of member \(member) at step \(step) is corrupt "
                + "(sha256 \(actual.prefix(12))… does not match the recorded \(expected.prefix(12))…)")
    }

    /// `checkpointMissing`, naming the experiment and checkpoint id.
    public static func missing(experiment: String, id: Int64) -> StoreError {
        StoreError(.checkpointMissing, "experiment '\(experiment)': checkpoint \(id) is not in the store")
    }

    /// `invalid`: a NaN score, which no store records.
    public static func nanScore(experiment: String, member: Int, step: Int) -> StoreError {
        StoreError(
            .invalid,
            "experiment '\(experiment)': member \(member) reported a NaN score at step \(step); "
                + "record the mode's worst score (-infinity for max, +infinity for min) instead")
    }
}
