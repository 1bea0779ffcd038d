package io.sluice.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.json.JavalinJackson;
import io.sluice.ingest.Problem;
import io.sluice.ui.RegistryState.CandidateHistory;
import io.sluice.ui.RegistryState.TrackHistory;
import io.sluice.ui.pages.CandidatePage;
import io.sluice.ui.pages.Html;
import io.sluice.ui.pages.Layout;
import io.sluice.ui.pages.TrackPage;
import io.sluice.ui.pages.TracksPage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice ui}: read-only pages of the registry, served from what {@link RegistryFeed} reads
 * off the topics. Nothing here writes to Kafka or to the adapter store.
 */
public final class UiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);

  /** The pages load nothing but themselves: no script, no CDN, styles inline. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'";

  private static final String PROBLEM_PREFIX = "urn:sluice:problem:";

  /** A signed-in browser keeps its key for a working day. */
  private static final int COOKIE_SECONDS = 12 * 60 * 60;

  private final Javalin app;
  private final RegistryFeed feed;

  private UiServer(Javalin app, RegistryFeed feed) {
    this.app = app;
    this.feed = feed;
  }

  /** Starts reading the topics and serving; returns once the port is bound. */
  public static UiServer start(UiConfig config) {
    RegistryState state = new RegistryState(config.caps());
    RegistryFeed feed = RegistryFeed.start(config, state);
    Routes routes = new Routes(config, state, new Access(config.apiKeys()));
    ObjectMapper mapper = new ObjectMapper();
    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.jsonMapper(new JavalinJackson(mapper, false));
              javalin.jetty.host = config.host();
              javalin.jetty.port = config.port();
              javalin.routes.before(
                  ctx ->
                      ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                          .header("X-Content-Type-Options", "nosniff")
                          .header("Referrer-Policy", "no-referrer"));
              javalin.routes.get("/", ctx -> ctx.redirect("/tracks"));
              javalin.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "alive")));
              javalin.routes.get(
                  "/readyz",
                  ctx ->
                      ctx.status(feed.isCaughtUp() ? 200 : 503)
                          .json(
                              Map.of(
                                  "status", feed.isCaughtUp() ? "ready" : "reading the topics")));
              javalin.routes.get("/login", ctx -> routes.login(ctx, false));
              javalin.routes.post("/login", routes::signIn);
              javalin.routes.get("/logout", routes::signOut);
              javalin.routes.get("/tracks", routes::tracksPage);
              javalin.routes.get("/tracks/{tenant}/{track}", routes::trackPage);
              javalin.routes.get("/candidates/{id}", routes::candidatePage);
              javalin.routes.get("/candidates/{id}/files/{name}", routes::adapterFile);
              javalin.routes.get("/api/tracks", routes::tracksJson);
              javalin.routes.get("/api/tracks/{tenant}/{track}", routes::trackJson);
              javalin.routes.get("/api/candidates/{id}", routes::candidateJson);
            });
    try {
      app.start();
    } catch (RuntimeException e) {
      closeQuietly(feed);
      throw e;
    }
    LOG.info(
        "registry pages on http://{}:{}/ reading {}",
        config.host(),
        app.port(),
        config.bootstrapServers());
    if (config.apiKeys().isOpen()) {
      LOG.warn(
          "no API keys configured ({}): every tenant is shown to anyone", UiConfig.API_KEYS_CONFIG);
    }
    return new UiServer(app, feed);
  }

  /** The bound HTTP port (the real one when configured as 0). */
  public int port() {
    return app.port();
  }

  /** The feed, so callers can wait until the pages show everything committed at start. */
  public RegistryFeed feed() {
    return feed;
  }

  @Override
  public void close() {
    app.stop();
    closeQuietly(feed);
  }

  private static void closeQuietly(RegistryFeed feed) {
    try {
      feed.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The handlers; each finds its viewer first and shows only the viewer's tenants. */
  private static final class Routes {
    private final UiConfig config;
    private final RegistryState state;
    private final Access access;

    Routes(UiConfig config, RegistryState state, Access access) {
      this.config = config;
      this.state = state;
      this.access = access;
    }

    void tracksPage(Context ctx) {
      Optional<Viewer> viewer = viewerOfPage(ctx);
      if (viewer.isEmpty()) {
        return;
      }
      List<TrackHistory> visible = state.tracks(viewer.get()::sees);
      String tenant = ctx.queryParam("tenant");
      String selected = tenant == null || tenant.isBlank() ? null : tenant;
      TreeSet<String> tenants = new TreeSet<>();
      visible.forEach(t -> tenants.add(t.tenant()));
      List<TrackHistory> shown =
          selected == null
              ? visible
              : visible.stream().filter(t -> t.tenant().equals(selected)).toList();
      page(ctx, "Tracks", viewer.get(), TracksPage.body(shown, tenants, selected));
    }

    void trackPage(Context ctx) {
      Optional<Viewer> viewer = viewerOfPage(ctx);
      if (viewer.isEmpty()) {
        return;
      }
      Optional<TrackHistory> track = visibleTrack(ctx, viewer.get());
      if (track.isEmpty()) {
        notFoundPage(
            ctx,
            viewer.get(),
            "No track "
                + ctx.pathParam("tenant")
                + "/"
                + ctx.pathParam("track")
                + " is held, or this key may not see its tenant.");
        return;
      }
      page(
          ctx,
          track.get().tenant() + "/" + track.get().track(),
          viewer.get(),
          TrackPage.body(track.get(), config.forgettingBudget()));
    }

    void candidatePage(Context ctx) {
      Optional<Viewer> viewer = viewerOfPage(ctx);
      if (viewer.isEmpty()) {
        return;
      }
      Optional<CandidateHistory> candidate = visibleCandidate(ctx, viewer.get());
      if (candidate.isEmpty()) {
        notFoundPage(
            ctx,
            viewer.get(),
            "No adapter " + ctx.pathParam("id") + " is held, or this key may not see its tenant.");
        return;
      }
      page(
          ctx,
          candidate.get().candidateId(),
          viewer.get(),
          CandidatePage.body(candidate.get(), files(candidate.get())));
    }

    void adapterFile(Context ctx) throws IOException {
      Optional<Viewer> viewer = viewerOfPage(ctx);
      if (viewer.isEmpty()) {
        return;
      }
      Optional<Path> file =
          visibleCandidate(ctx, viewer.get())
              .flatMap(this::files)
              .flatMap(f -> f.file(ctx.pathParam("name")));
      if (file.isEmpty()) {
        notFoundPage(ctx, viewer.get(), "No such file of this adapter is readable from here.");
        return;
      }
      boolean json = file.get().getFileName().toString().endsWith(".json");
      ctx.contentType(json ? "application/json" : "application/octet-stream");
      if (!json) {
        ctx.header(
            "Content-Disposition", "attachment; filename=\"" + file.get().getFileName() + "\"");
      }
      InputStream in = Files.newInputStream(file.get());
      ctx.result(in);
    }

    void tracksJson(Context ctx) {
      viewerOfApi(ctx)
          .ifPresent(
              viewer ->
                  ctx.json(
                      UiApi.tracks(state.tracks(viewer::sees), viewer.isOpen(), state.leftOut())));
    }

    void trackJson(Context ctx) {
      viewerOfApi(ctx)
          .ifPresent(
              viewer ->
                  visibleTrack(ctx, viewer)
                      .ifPresentOrElse(
                          track -> ctx.json(UiApi.track(track)),
                          () ->
                              problem(
                                  ctx,
                                  404,
                                  "not-found",
                                  "Not found",
                                  "no track "
                                      + ctx.pathParam("tenant")
                                      + "/"
                                      + ctx.pathParam("track")
                                      + " is held, or this key may not see its tenant")));
    }

    void candidateJson(Context ctx) {
      viewerOfApi(ctx)
          .ifPresent(
              viewer ->
                  visibleCandidate(ctx, viewer)
                      .ifPresentOrElse(
                          candidate -> ctx.json(UiApi.candidate(candidate, files(candidate))),
                          () ->
                              problem(
                                  ctx,
                                  404,
                                  "not-found",
                                  "Not found",
                                  "no adapter "
                                      + ctx.pathParam("id")
                                      + " is held, or this key may not see its tenant")));
    }

    void login(Context ctx, boolean rejected) {
      if (access.isOpen()) {
        ctx.redirect("/tracks");
        return;
      }
      String body =
          "<h1>Sign in</h1>"
              + (rejected ? "<p class=\"bad\" id=\"login-error\">That key is not known.</p>" : "")
              + "<p>Enter an API key of <code>ui.api.keys</code>: you see the tenants it"
              + " names.</p><form method=\"post\" action=\"/login\"><label>API key <input"
              + " type=\"password\" name=\"key\" autocomplete=\"off\" required></label> <button"
              + " type=\"submit\">Sign in</button></form>";
      ctx.status(401).html(Layout.signedOut("Sign in", body));
    }

    void signIn(Context ctx) {
      String key = ctx.formParam("key");
      if (!access.accepts(key)) {
        login(ctx, true);
        return;
      }
      ctx.cookie(
          new Cookie(
              Access.COOKIE,
              key.strip(),
              "/",
              COOKIE_SECONDS,
              servedOverHttps(ctx),
              true,
              null,
              SameSite.STRICT));
      ctx.redirect("/tracks");
    }

    /** Over TLS (directly or behind a proxy that says so) the key never travels in clear. */
    private static boolean servedOverHttps(Context ctx) {
      return "https".equalsIgnoreCase(ctx.scheme())
          || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    void signOut(Context ctx) {
      ctx.removeCookie(Access.COOKIE, "/");
      ctx.redirect(access.isOpen() ? "/tracks" : "/login");
    }

    private Optional<Viewer> viewerOfPage(Context ctx) {
      Optional<Viewer> viewer = access.viewer(ctx);
      if (viewer.isEmpty()) {
        login(ctx, ctx.cookie(Access.COOKIE) != null);
      }
      return viewer;
    }

    private Optional<Viewer> viewerOfApi(Context ctx) {
      Optional<Viewer> viewer = access.viewer(ctx);
      if (viewer.isEmpty()) {
        ctx.header("WWW-Authenticate", "Bearer");
        problem(
            ctx,
            401,
            "unauthorized",
            "Unauthorized",
            "send one of ui.api.keys as 'Authorization: Bearer KEY'");
      }
      return viewer;
    }

    private Optional<TrackHistory> visibleTrack(Context ctx, Viewer viewer) {
      String tenant = ctx.pathParam("tenant");
      return viewer.sees(tenant) ? state.track(tenant, ctx.pathParam("track")) : Optional.empty();
    }

    private Optional<CandidateHistory> visibleCandidate(Context ctx, Viewer viewer) {
      return state.candidate(ctx.pathParam("id")).filter(c -> viewer.sees(c.tenant()));
    }

    private Optional<AdapterFiles> files(CandidateHistory candidate) {
      return candidate.candidate().map(c -> new AdapterFiles(c.getAdapterUri()));
    }

    private void page(Context ctx, String title, Viewer viewer, String body) {
      ctx.html(Layout.page(title, viewer, state.leftOut(), body));
    }

    private void notFoundPage(Context ctx, Viewer viewer, String message) {
      ctx.status(404)
          .html(
              Layout.page(
                  "Not found",
                  viewer,
                  state.leftOut(),
                  "<h1>Not found</h1><p>"
                      + Html.esc(message)
                      + "</p><p><a href=\"/tracks\">All tracks</a></p>"));
    }

    private static void problem(Context ctx, int status, String slug, String title, String detail) {
      ctx.status(status)
          .json(new Problem(PROBLEM_PREFIX + slug, title, status, detail, List.of(), null))
          .contentType(Problem.MEDIA_TYPE);
    }
  }
}
