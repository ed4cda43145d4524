extension CommandError {
    /// `feature` is not in this build: a first `swift run -c release pbt` leaves out the package
    /// traits that need SwiftNIO (Package.swift says why); the message says how to build it in.
    /// - Parameters:
    ///   - feature: what is missing, as the subject of "is not in this build", e.g. "pbt serve".
    ///   - trait: the package trait that adds it: `PostgreSQL` or `Dashboard`.
    static func leftOut(_ feature: String, trait: String) -> CommandError {
        CommandError(
            "\(feature) is not in this build of pbt: it needs the package trait '\(trait)' (off by default, to keep "
                + "the first build short): `swift build -c release --traits \(trait)`, then .build/release/pbt; "
                + "or `swift run -c release --traits \(trait) pbt …`")
    }
}
