/// Reduces a curve to at most `threshold` points for drawing with the Largest-Triangle-Three-
/// Buckets method (Steinarsson 2013): the first and last points stay, and of each bucket the
/// point forming the largest triangle with its neighbours', so peaks and jumps survive.
///
/// Only drawing is decimated: stored data, tables and the JSON API keep every point.
/// - Complexity: O(n).
func decimate(_ points: [(x: Double, y: Double)], threshold: Int) -> [(x: Double, y: Double)] {
    guard threshold >= 3, points.count > threshold else { return points }
    var result: [(x: Double, y: Double)] = [points[0]]
    result.reserveCapacity(threshold)
    let bucket = Double(points.count - 2) / Double(threshold - 2)
    var anchor = 0
    for index in 0..<(threshold - 2) {
        let start = Int(Double(index) * bucket) + 1
        let end = min(Int(Double(index + 1) * bucket) + 1, points.count - 1)
        let nextEnd = min(Int(Double(index + 2) * bucket) + 1, points.count)
        var averageX = 0.0, averageY = 0.0
        let nextCount = max(1, nextEnd - end)
        for point in points[end..<max(end + 1, nextEnd)] {
            averageX += point.x
            averageY += point.y
        }
        averageX /= Double(nextCount)
        averageY /= Double(nextCount)
        var chosen = start, largest = -1.0
        for candidate in start..<max(start + 1, end) {
            let area = abs(
                (points[anchor].x - averageX) * (points[candidate].y - points[anchor].y)
                    - (points[anchor].x - points[candidate].x) * (averageY - points[anchor].y))
            if area > largest {
                largest = area
                chosen = candidate
            }
        }
        result.append(points[chosen])
        anchor = chosen
    }
    result.append(points[points.count - 1])
    return result
}
