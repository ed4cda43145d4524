import Foundation

/// How many times `needle` occurs in `text`, counting occurrences that do not overlap.
public func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}
