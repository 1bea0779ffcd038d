package io.sluice.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). {@code errors} lists
 * validation findings with JSON Pointers; batch findings also carry their 1-based line number.
 *
 * @param type a {@code urn:sluice:problem:*} URI naming the kind of problem (documented in
 *     docs/ingest.md)
 * @param title short summary of the kind of problem
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param errors individual findings, empty when there are none
 * @param retryAfterSeconds for 503: the Retry-After header value; not part of the body
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    List<Error> errors,
    @JsonIgnore Integer retryAfterSeconds) {

  /** Media type of problem bodies. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final String TYPE_PREFIX = "urn:sluice:problem:";

  public Problem {
    Objects.requireNonNull(type, "type");
    errors = List.copyOf(errors);
  }

  /**
   * One finding.
   *
   * @param line 1-based line of a batch or import body; absent for single events
   * @param pointer JSON Pointer into the event (or into the OpenAI line, for imports)
   * @param message what is wrong
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(Integer line, String pointer, String message) {}

  static Problem of(Kind kind, String detail) {
    return new Problem(TYPE_PREFIX + kind.slug, kind.title, kind.status, detail, List.of(), null);
  }

  static Problem of(Kind kind, String detail, List<Error> errors) {
    return new Problem(TYPE_PREFIX + kind.slug, kind.title, kind.status, detail, errors, null);
  }

  static Problem brokerUnavailable(String detail, int retryAfterSeconds) {
    return retryLater(Kind.BROKER_UNAVAILABLE, detail, retryAfterSeconds);
  }

  /** A 503 with a Retry-After header. */
  static Problem retryLater(Kind kind, String detail, int retryAfterSeconds) {
    return new Problem(
        TYPE_PREFIX + kind.slug, kind.title, kind.status, detail, List.of(), retryAfterSeconds);
  }

  /**
   * A client error the framework found before an endpoint ran, under its own status (e.g. 431), so
   * that no client input is reported as a server fault.
   */
  static Problem clientError(int status, String detail) {
    Kind kind = status == Kind.REQUEST_TIMEOUT.status ? Kind.REQUEST_TIMEOUT : Kind.BAD_REQUEST;
    return new Problem(TYPE_PREFIX + kind.slug, kind.title, status, detail, List.of(), null);
  }

  /** The kinds of problem ingest answers with; docs/ingest.md lists them. */
  enum Kind {
    MALFORMED_JSON("malformed-json", "Malformed JSON", 400),
    INVALID_PARAMETER("invalid-parameter", "Invalid query parameter", 400),
    BAD_REQUEST("bad-request", "Bad request", 400),
    UNAUTHORIZED("unauthorized", "Missing or unknown API key", 401),
    FORBIDDEN_TENANT("forbidden-tenant", "API key may not write this tenant", 403),
    NOT_FOUND("not-found", "No such endpoint", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    REQUEST_TIMEOUT("request-timeout", "Body arrived too slowly", 408),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    INVALID_EVENT("invalid-event", "Invalid event", 422),
    EMPTY_BATCH("empty-batch", "Empty batch", 422),
    INTERNAL_ERROR("internal-error", "Internal server error", 500),
    BROKER_UNAVAILABLE("broker-unavailable", "Broker unavailable", 503),
    OVERLOADED("overloaded", "Too many request bytes in progress", 503);

    final String slug;
    final String title;
    final int status;

    Kind(String slug, String title, int status) {
      this.slug = slug;
      this.title = title;
      this.status = status;
    }

    /** The metric tag of requests refused for this reason. */
    String reason() {
      return slug;
    }
  }
}
