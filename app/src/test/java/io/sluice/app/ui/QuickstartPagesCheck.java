package io.sluice.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.broker.EmbeddedBroker;
import io.sluice.ui.UiConfig;
import io.sluice.ui.UiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The registry pages of a finished quickstart run, in a real headless Chromium: the run's broker is
 * started again on its data directory and the pages are served from what its topics hold. The
 * screenshots land in {@link #SCREENSHOTS} (docs/ui.md shows copies).
 */
public final class QuickstartPagesCheck {

  public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
  private static final String ACME_KEY = "acme-only-key-0123456789";
  private static final Duration CATCH_UP = Duration.ofSeconds(60);

  private QuickstartPagesCheck() {}

  /**
   * Checks the pages of the run in {@code runDir}.
   *
   * @param promoted the adapter the gate promoted on acme/support-bot
   * @param rejected the adapter it rejected on acme/sales-bot
   * @param forgottenSkill the skill the rejection's first FORGETTING reason names
   */
  public static void check(Path runDir, String promoted, String rejected, String forgottenSkill)
      throws Exception {
    try (HeadlessChromium chromium = HeadlessChromium.start();
        EmbeddedBroker broker = EmbeddedBroker.start(runDir.resolve("broker"), 0);
        UiServer open = start(broker, "");
        UiServer keyed = start(broker, ACME_KEY + "=acme")) {
      WebDriver browser = chromium.driver;
      String site = "http://127.0.0.1:" + open.port();

      browser.get(site + "/tracks");
      assertThat(browser.findElement(By.id("open-access")).isDisplayed()).isTrue();
      assertThat(
              row(browser, "acme", "support-bot")
                  .findElement(By.cssSelector("td.champion"))
                  .getText())
          .isEqualTo(promoted);
      assertThat(
              row(browser, "acme", "sales-bot")
                  .findElement(By.cssSelector("td.last-decision"))
                  .getText())
          .contains("REJECT")
          .contains("FORGETTING")
          .contains(rejected);
      chromium.screenshot(SCREENSHOTS.resolve("tracks.png"));

      row(browser, "acme", "sales-bot").findElement(By.linkText("sales-bot")).click();
      WebElement reason =
          browser.findElement(By.cssSelector("#timeline li.reason[data-code='FORGETTING']"));
      assertThat(reason.isDisplayed()).isTrue();
      assertThat(reason.getText()).contains(forgottenSkill);
      Set<String> skills = reportedSkills(site, "acme", "sales-bot");
      List<String> drawn = new ArrayList<>();
      for (WebElement series :
          browser.findElements(By.cssSelector("g.series.candidate[data-skill]"))) {
        assertThat(series.findElement(By.tagName("polyline")).getDomAttribute("points"))
            .isNotBlank();
        drawn.add(series.getDomAttribute("data-skill"));
      }
      assertThat(drawn).hasSameSizeAs(skills).containsExactlyInAnyOrderElementsOf(skills);
      assertThat(browser.findElements(By.cssSelector("polygon.band"))).hasSameSizeAs(skills);
      chromium.screenshot(SCREENSHOTS.resolve("track-rejected.png"));

      browser.findElement(By.cssSelector("#timeline")).findElement(By.linkText(rejected)).click();
      WebElement why =
          browser.findElement(By.cssSelector("div.decision li.reason[data-code='FORGETTING']"));
      assertThat(why.isDisplayed()).isTrue();
      assertThat(why.getText()).contains("A general skill dropped by more than the allowed drop");
      assertThat(
              browser
                  .findElement(
                      By.cssSelector("#general-scores tr[data-task='" + forgottenSkill + "']"))
                  .getText())
          .contains("FORGETTING");
      assertThat(
              browser.findElement(By.cssSelector("#chart-loss polyline")).getDomAttribute("points"))
          .isNotBlank();
      assertThat(browser.findElement(By.id("files")).getText())
          .contains("adapter_model.safetensors");
      chromium.screenshot(SCREENSHOTS.resolve("candidate-rejected.png"));

      browser.get(site + "/candidates/" + promoted);
      assertThat(
              browser
                  .findElement(By.cssSelector(".decision[data-action='PROMOTE'] li.reason"))
                  .getText())
          .contains("PASSED");
      chromium.screenshot(SCREENSHOTS.resolve("candidate-promoted.png"));

      signInShowsOnlyTheKeysTenant(chromium, "http://127.0.0.1:" + keyed.port());
    }
  }

  private static void signInShowsOnlyTheKeysTenant(HeadlessChromium chromium, String site)
      throws Exception {
    WebDriver browser = chromium.driver;
    browser.get(site + "/tracks");
    assertThat(browser.getPageSource()).doesNotContain("id=\"tracks\"");
    browser.findElement(By.name("key")).sendKeys(ACME_KEY);
    browser.findElement(By.cssSelector("form[action='/login'] button")).click();
    List<WebElement> rows = browser.findElements(By.cssSelector("#tracks tbody tr"));
    assertThat(rows).as("tracks after signing in at %s", browser.getCurrentUrl()).isNotEmpty();
    rows.forEach(r -> assertThat(r.getDomAttribute("data-tenant")).isEqualTo("acme"));
    assertThat(browser.getPageSource()).doesNotContain("globex").doesNotContain("open-access");
    chromium.screenshot(SCREENSHOTS.resolve("tracks-signed-in.png"));
  }

  private static WebElement row(WebDriver browser, String tenant, String track) {
    return browser.findElement(
        By.cssSelector("#tracks tr[data-tenant='" + tenant + "'][data-track='" + track + "']"));
  }

  /** The general skills of the track's last evaluation, from the JSON API. */
  private static Set<String> reportedSkills(String site, String tenant, String track)
      throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(site + "/api/tracks/" + tenant + "/" + track))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode evaluations = new ObjectMapper().readTree(response.body()).path("evaluations");
    Set<String> skills = new TreeSet<>();
    evaluations
        .get(evaluations.size() - 1)
        .path("generalScores")
        .fieldNames()
        .forEachRemaining(skills::add);
    assertThat(skills).isNotEmpty();
    return skills;
  }

  private static UiServer start(EmbeddedBroker broker, String keys) throws InterruptedException {
    UiServer server =
        UiServer.start(
            UiConfig.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                    UiConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    UiConfig.HOST_CONFIG,
                    "127.0.0.1",
                    UiConfig.PORT_CONFIG,
                    "0",
                    UiConfig.API_KEYS_CONFIG,
                    keys)));
    assertThat(server.feed().awaitCaughtUp(CATCH_UP)).isTrue();
    return server;
  }
}
