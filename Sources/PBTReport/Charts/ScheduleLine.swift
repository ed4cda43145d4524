import PBT

/// A schedule drawn as a step function: each entry's value from its step to the next entry's
/// (the last to `end`).
enum ScheduleLine {
    /// The path of `entries`' values of `name` on `frame`, or an empty path when no value can
    /// be placed on `axis`.
    static func path(_ entries: [ScheduleEntry], end: Int, name: String, axis: ValueAxis, frame: ChartFrame) -> PathData
    {
        var path = PathData()
        for (position, entry) in entries.enumerated() {
            guard let value = axis.value(entry.hyperparameters[name]) else { continue }
            let stop = position + 1 < entries.count ? entries[position + 1].step : end
            if path.isEmpty { path.move(frame.x(Double(entry.step)), frame.y(value)) }
            path.line(frame.x(Double(entry.step)), frame.y(value))
            path.line(frame.x(Double(stop)), frame.y(value))
        }
        return path
    }
}
