package io.sluice.ui;

import io.javalin.http.Context;
import io.sluice.ingest.ApiKeys;
import java.util.Optional;

/**
 * Finds the viewer of a request: the key comes as {@code Authorization: Bearer KEY} (API clients)
 * or in the cookie {@value #COOKIE} that the sign-in form sets (browsers, which cannot add a header
 * to a link).
 */
final class Access {

  static final String COOKIE = "sluice_ui_key";
  private static final String BEARER = "bearer ";

  private final ApiKeys keys;

  Access(ApiKeys keys) {
    this.keys = keys;
  }

  boolean isOpen() {
    return keys.isOpen();
  }

  /** The request's viewer; empty when keys are configured and none of them was presented. */
  Optional<Viewer> viewer(Context ctx) {
    if (keys.isOpen()) {
      return Optional.of(Viewer.OPEN);
    }
    return presentedKey(ctx).flatMap(keys::lookup).map(grant -> new Viewer(Optional.of(grant)));
  }

  /** True when the key is one of ours (the sign-in form checks it before setting the cookie). */
  boolean accepts(String key) {
    return key != null && keys.lookup(key.strip()).isPresent();
  }

  private static Optional<String> presentedKey(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null
        && header.length() > BEARER.length()
        && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.of(header.substring(BEARER.length()).strip());
    }
    return Optional.ofNullable(ctx.cookie(COOKIE)).filter(value -> !value.isBlank());
  }
}
