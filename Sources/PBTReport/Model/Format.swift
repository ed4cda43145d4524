import Foundation
import PBT

/// Number formatting for reports: short, locale-independent, and fast for path data.
enum Format {
    /// A value for tables and labels: six significant digits, integers without a fraction.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        return HyperparameterValue.number(value).description
    }

    /// A pixel coordinate with one decimal (`12.3`, `-4`, `100`), written without Foundation.
    static func pixel(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let whole = tenths / 10, fraction = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// An axis tick label: `%g` with up to 4 significant digits.
    static func tick(_ value: Double) -> String {
        if value == 0 { return "0" }
        return String(format: "%.4g", value)
    }
}
