extension StoreError {
    /// `checkpointCorrupt`, naming the experiment, member, step and checkpoint id.
    public static func corrupt(
        experiment: String, id: Int64, member: Int, step: Int, expected: String, actual: String
    ) -> StoreError {
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

    /// `invalid`: a decision's update that gives a member a NaN score.
    public static func nanUpdateScore(experiment: String, member: Int) -> StoreError {
        StoreError(.invalid, "experiment '\(experiment)': update gives member \(member) a NaN score")
    }
}

extension Checkpoint {
    /// The checkpoint, after checking it against `sha256`, the digest recorded when it was
    /// saved: bytes are hashed now; a file is checked to be present and of its size, and hashed
    /// now when smaller than `CheckpointPayload.fileThreshold` or with `readingFile`, else when
    /// it is read (`CheckpointReader`).
    /// - Throws: `StoreError.checkpointCorrupt` naming `experiment` when they differ.
    public func verified(against sha256: String, experiment: String, readingFile: Bool = false) throws -> Checkpoint {
        switch payload {
        case .bytes(let bytes):
            guard ContentDigest.matches(sha256, bytes) else {
                throw StoreError.corrupt(
                    experiment: experiment, id: id, member: member, step: step, expected: sha256,
                    actual: ContentDigest.hex(bytes))
            }
        case .file(let file):
            let what = "experiment '\(experiment)': checkpoint \(id) of member \(member) at step \(step)"
            _ = try file.checked(what)
            guard readingFile || file.size < CheckpointPayload.fileThreshold else { break }
            do {
                try CheckpointReader(payload).finish()
            } catch let error as StoreError {
                throw StoreError(error.code, "\(what): \(error.message)")
            }
        }
        return self
    }
}
