import Foundation

extension Date {
    /// This time as every store keeps a record's time: seconds since 1970 as a `Double`.
    /// Stores record `now().recorded`, so that a record reads back equal to the one committed.
    public var recorded: Date { Date(timeIntervalSince1970: timeIntervalSince1970) }
}
