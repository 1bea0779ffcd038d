package io.sluice.ops;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Paths of the repository the checks read, and the external tools they run. */
final class Repo {
  private Repo() {}

  /**
   * The repository root: the parent of this module (surefire runs tests in the module directory).
   */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("k8s"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no k8s/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path k8s() {
    return root().resolve("k8s");
  }

  /**
   * An executable on PATH, if installed (Debian's prometheus package brings prometheus and
   * promtool).
   */
  static Optional<Path> tool(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static String missingToolMessage(String name) {
    return name
        + " is not installed, so this check is SKIPPED: install Debian's `prometheus` package"
        + " (apt-get install -y prometheus; .ci/run does) to run it";
  }
}
