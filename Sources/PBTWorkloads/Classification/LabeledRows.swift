/// Rows of features with one class label each, as a classifier reads them.
struct LabeledRows: Sendable {
    /// Values per row.
    let features: Int
    /// `count × features` values, row-major.
    let values: [Float]
    /// One label per row, in `0..<classes`.
    let labels: [Int]

    /// The number of rows.
    var count: Int { labels.count }
}

/// A classification task's data: the rows a member trains on, the rows its score is measured
/// on, and held-out rows for reporting the best member.
struct ClassificationData: Sendable {
    /// Values per row.
    let features: Int
    /// Classes; labels are `0..<classes`.
    let classes: Int
    /// The rows minibatches are drawn from.
    let train: LabeledRows
    /// The rows the score (accuracy) is measured on.
    let validation: LabeledRows
    /// Held out: never seen by training or selection.
    let test: LabeledRows
}
