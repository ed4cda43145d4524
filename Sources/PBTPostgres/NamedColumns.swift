import PBTStore
import PostgresNIO

/// A result row read by column name, so that reading it does not depend on where a column
/// stands in the `SELECT` or in a function's `RETURNS TABLE`: a missing column, or a value that
/// is not of the asked type, is a `StoreError` naming the column (PostgresNIO's own lookup by
/// name stops the process on a missing one).
struct NamedColumns {
    private let row: PostgresRandomAccessRow
    private let context: String

    /// Reads `row`; errors start with `context` (e.g. "experiment 'x'").
    init(_ row: PostgresRow, context: String) {
        self.row = row.makeRandomAccess()
        self.context = context
    }

    /// The value of column `name`.
    /// - Throws: `StoreError.invalid` naming the column.
    func callAsFunction<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) throws -> Value {
        guard row.contains(name) else { throw StoreError(.invalid, "\(context): the row has no column '\(name)'") }
        guard let value = try? row[name].decode(Value.self) else {
            throw StoreError(.invalid, "\(context): column '\(name)' does not hold a value of type \(Value.self)")
        }
        return value
    }
}
