/// A JSON writer for the API's large arrays (scores, events): direct string building, several
/// times faster than `JSONEncoder` for tens of thousands of records.
///
/// Numbers are written in Swift's shortest round-trip form; non-finite numbers (a score may
/// be ±infinity) are written as `null`.
struct JSONText {
    private(set) var text = ""

    init(capacity: Int = 0) { text.reserveCapacity(capacity) }

    mutating func raw(_ piece: String) { text += piece }

    mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    mutating func number(_ value: Double?) {
        guard let value, value.isFinite else { return text += "null" }
        if value == value.rounded(), abs(value) < 1e15 { text += String(Int64(value)) } else { text += "\(value)" }
    }

    mutating func integer(_ value: Int) { text += String(value) }

    mutating func key(_ name: String) {
        string(name)
        text += ":"
    }
}
