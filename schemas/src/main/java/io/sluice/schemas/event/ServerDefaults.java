package io.sluice.schemas.event;

import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where the server's values for an event's optional {@code id} and {@code timestamp} come from.
 * Tests pass a fixed clock and a counter so that parsed events are predictable.
 *
 * @param clock gives the receive time used when an event has no timestamp
 * @param ids gives the id used when an event has none
 */
public record ServerDefaults(Clock clock, Supplier<String> ids) {

  public ServerDefaults {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ids, "ids");
  }

  /** System UTC time and random UUIDs: what a running service uses. */
  public static ServerDefaults system() {
    return new ServerDefaults(Clock.systemUTC(), () -> UUID.randomUUID().toString());
  }
}
