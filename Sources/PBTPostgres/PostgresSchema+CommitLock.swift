extension PostgresSchema {
    /// Migration v7: each schema's commits take a lock of their own. v2 keyed the commit lock
    /// by (7365236, experiment id), and advisory locks are shared by the whole database, so
    /// experiments with the same id in different schemas (`?schema=`) waited for each other's
    /// commits. The key is now (a hash of the schema's name, experiment id): the functions are
    /// v2's, with only the lock's first key changed. A hash collision between two schemas
    /// costs waiting, never correctness.
    static let commitLockPerSchema: (id: String, statements: [String]) = (
        "v7 a commit lock per schema",
        claimAndCommitFunctions.statements.filter { $0.contains(v2CommitLockKey) }.map { function in
            function
                .replacingOccurrences(of: "CREATE FUNCTION", with: "CREATE OR REPLACE FUNCTION")
                .replacingOccurrences(of: v2CommitLockKey, with: commitLockKey)
        }
    )

    /// The first key of an experiment's commit lock (the second is its id), as SQL.
    static let commitLockKey = "hashtext('pbt commit ' || current_schema())"

    /// The first key of v2's commit lock.
    private static let v2CommitLockKey = "7365236"
}
