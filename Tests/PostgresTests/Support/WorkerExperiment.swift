import PBTTestSupport

/// Writes `name.yaml` in `directory`, the quadratic experiment these tests give their workers
/// (step size 0.02, perturb), and returns its path.
func workerExperiment(name: String, population: Int, steps: Int, in directory: TemporaryDirectory) throws -> String {
    try directory.write(
        "\(name).yaml",
        quadraticExperiment(name: name, population: population, steps: steps, stepSize: 0.02, explore: .perturb)
    ).path
}
