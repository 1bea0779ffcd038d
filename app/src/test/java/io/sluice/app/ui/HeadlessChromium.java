package io.sluice.app.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given
 * explicitly, so Selenium Manager never runs and nothing is downloaded. Without the packages a test
 * fails under CI (whose .ci/run installs them) and is skipped, saying why, elsewhere.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final int WIDTH = 1280;

  final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts the browser, or fails (CI) or aborts (elsewhere) the test when it is not installed. */
  static HeadlessChromium start() {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String missing =
          "the registry pages are checked in Debian's chromium and chromium-driver ("
              + BROWSER
              + ", "
              + DRIVER
              + "); install them: apt-get install chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=" + WIDTH + ",900",
        "--lang=en-US");
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    // A click that navigates (a form post and its redirect) may return before the next page is
    // there: lookups wait for their element rather than read the page being left.
    driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(20));
    return new HeadlessChromium(driver);
  }

  /** Saves the whole page (the window grown to the page's height) as a PNG. */
  void screenshot(Path file) throws IOException {
    int height = driver.findElement(By.tagName("body")).getSize().getHeight();
    // The window's outer size includes the browser frame: leave room so the page is whole.
    driver
        .manage()
        .window()
        .setSize(new Dimension(WIDTH, Math.min(Math.max(height + 160, 600), 8000)));
    Files.createDirectories(file.getParent());
    Files.copy(
        driver.getScreenshotAs(OutputType.FILE).toPath(),
        file,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
