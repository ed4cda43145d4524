import Foundation
import Hummingbird

/// The experiment name in a route's path (`/experiments/:name`, `/api/experiments/:name/…`):
/// links percent-encode it (`ExperimentListPage.escapePath`), so it is decoded here.
enum ExperimentPath {
    /// The decoded name.
    /// - Throws: `HTTPError` (400) when the path holds an invalid percent escape.
    static func name(_ context: some RequestContext) throws -> String {
        let raw = try context.parameters.require("name")
        guard let name = raw.removingPercentEncoding else {
            throw HTTPError(.badRequest, message: "the experiment name in the path is not valid percent-encoding")
        }
        return name
    }
}
