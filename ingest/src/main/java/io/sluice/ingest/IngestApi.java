package io.sluice.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.sluice.schemas.Topics;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.EventJsonReader;
import io.sluice.schemas.event.MalformedJsonException;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.RawEventValidator;
import io.sluice.schemas.event.ServerDefaults;
import io.sluice.schemas.event.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write endpoints. Every request is checked in the same order: API key (401), query parameters
 * (400), content type (415), declared size (413), bytes in progress (503), JSON (400), fields
 * (422), tenant permission (403); only then is anything written, and the answer (202) comes after
 * the broker committed it.
 */
final class IngestApi {

  static final String JSON = "application/json";
  static final String NDJSON = "application/x-ndjson";

  private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);

  private final IngestConfig config;
  private final ServerDefaults defaults;
  private final EventJsonReader reader;
  private final BatchParser batchParser;
  private final EventWriter writer;
  private final IngestMetrics metrics;
  private final ProblemWriter problems;
  private final InflightBytes inflight;

  IngestApi(
      IngestConfig config,
      ServerDefaults defaults,
      EventWriter writer,
      IngestMetrics metrics,
      ProblemWriter problems,
      InflightBytes inflight) {
    this.config = config;
    this.defaults = defaults;
    this.reader = new EventJsonReader(config.maxJsonDepth());
    this.batchParser = new BatchParser(reader, config.maxEventBytes(), config.maxBatchLines());
    this.writer = writer;
    this.metrics = metrics;
    this.problems = problems;
    this.inflight = inflight;
  }

  /**
   * Wraps an endpoint: renders problems, turns anything unexpected into a logged 500 (never a stack
   * trace to the client), and counts the request.
   */
  Handler endpoint(String name, Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (ProblemException e) {
        metrics.rejected(e.kind(), e.events());
        if (e.kind() == Problem.Kind.PAYLOAD_TOO_LARGE
            && !RequestBody.discardRest(
                ctx.req().getInputStream(), config.oversizeDiscardBytes())) {
          ctx.header("Connection", "close");
        }
        problems.write(ctx, e.problem());
      } catch (Exception e) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        problems.write(
            ctx, Problem.of(Problem.Kind.INTERNAL_ERROR, "the server failed; see its log"));
      } finally {
        metrics.request(name, ctx.statusCode());
      }
    };
  }

  /** POST /v1/events: one native event. */
  void postEvent(Context ctx) throws Exception {
    Optional<ApiKeys.Grant> grant = authenticate(ctx);
    RequestBody.requireContentType(ctx.contentType(), JSON);
    RequestBody.requireIdentityEncoding(ctx.header("Content-Encoding"));
    try (InflightBytes.Reservation reservation =
        reserve(ctx, config.maxEventBytes(), IngestConfig.MAX_EVENT_BYTES_CONFIG)) {
      writeEvent(
          ctx, grant, body(ctx, config.maxEventBytes(), IngestConfig.MAX_EVENT_BYTES_CONFIG));
    }
  }

  private void writeEvent(Context ctx, Optional<ApiKeys.Grant> grant, byte[] body) {
    JsonNode json;
    try {
      json = reader.read(body);
    } catch (MalformedJsonException e) {
      throw refuse(
          Problem.Kind.MALFORMED_JSON,
          Problem.of(
              Problem.Kind.MALFORMED_JSON,
              "the body is not one JSON value in UTF-8; nothing was written",
              List.of(new Problem.Error(null, "", e.getMessage()))),
          1);
    }
    ParseResult result = NativeEvents.parse(json, defaults, config.eventLimits());
    if (result instanceof ParseResult.Invalid invalid) {
      List<Problem.Error> errors = new ArrayList<>();
      for (Violation violation : invalid.violations()) {
        errors.add(new Problem.Error(null, violation.pointer(), violation.message()));
      }
      throw refuse(
          Problem.Kind.INVALID_EVENT,
          Problem.of(
              Problem.Kind.INVALID_EVENT,
              "the event breaks " + errors.size() + " rule(s); nothing was written",
              errors),
          1);
    }
    RawEvent event = ((ParseResult.Valid) result).event();
    authorize(grant, List.of(event), null);
    RecordMetadata written = write(List.of(event)).get(0);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", event.getId());
    answer.put("topic", written.topic());
    answer.put("partition", written.partition());
    answer.put("offset", written.offset());
    ctx.status(202).json(answer);
  }

  /** POST /v1/events/batch: native events, one per line, written atomically. */
  void postBatch(Context ctx) throws Exception {
    Optional<ApiKeys.Grant> grant = authenticate(ctx);
    RequestBody.requireContentType(ctx.contentType(), NDJSON);
    RequestBody.requireIdentityEncoding(ctx.header("Content-Encoding"));
    LineConverter converter = json -> NativeEvents.parse(json, defaults, config.eventLimits());
    try (InflightBytes.Reservation reservation =
        reserve(ctx, config.maxBatchBytes(), IngestConfig.MAX_BATCH_BYTES_CONFIG)) {
      writeBatch(
          ctx,
          grant,
          body(ctx, config.maxBatchBytes(), IngestConfig.MAX_BATCH_BYTES_CONFIG),
          converter);
    }
  }

  /** POST /v1/import/openai?tenant=T&amp;track=K: an OpenAI fine-tuning file, atomically. */
  void importOpenAi(Context ctx) throws Exception {
    Optional<ApiKeys.Grant> grant = authenticate(ctx);
    String tenant = nameParameter(ctx, "tenant");
    String track = nameParameter(ctx, "track");
    RequestBody.requireContentType(ctx.contentType(), NDJSON);
    RequestBody.requireIdentityEncoding(ctx.header("Content-Encoding"));
    LineConverter converter = new OpenAiImport(tenant, track, defaults, config.eventLimits());
    try (InflightBytes.Reservation reservation =
        reserve(ctx, config.maxBatchBytes(), IngestConfig.MAX_BATCH_BYTES_CONFIG)) {
      writeBatch(
          ctx,
          grant,
          body(ctx, config.maxBatchBytes(), IngestConfig.MAX_BATCH_BYTES_CONFIG),
          converter);
    }
  }

  private void writeBatch(
      Context ctx, Optional<ApiKeys.Grant> grant, byte[] body, LineConverter converter)
      throws ProblemException {
    BatchResult result = batchParser.parse(body, converter);
    if (result instanceof BatchResult.Refused refused) {
      throw refuse(
          refused.kind(),
          Problem.of(refused.kind(), refused.detail(), refused.errors()),
          refused.events());
    }
    BatchResult.Accepted accepted = (BatchResult.Accepted) result;
    List<RawEvent> events = accepted.events();
    authorize(grant, events, accepted.lines());
    write(events);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("count", events.size());
    answer.put("topic", Topics.EVENTS_RAW.name());
    // In line order, server-assigned ids included, so clients can match later rejections
    // (sluice.events.rejected) to their lines; at most ingest.max.batch.lines ids.
    answer.put("ids", events.stream().map(RawEvent::getId).toList());
    ctx.status(202).json(answer);
  }

  private static String nameParameter(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || !RawEventValidator.NAME.matcher(value).matches()) {
      throw refuse(
          Problem.Kind.INVALID_PARAMETER,
          Problem.of(
              Problem.Kind.INVALID_PARAMETER,
              "query parameter " + name + " is missing or invalid",
              List.of(
                  new Problem.Error(
                      null,
                      null,
                      name
                          + " must match "
                          + RawEventValidator.NAME.pattern()
                          + (value == null ? " but is missing" : ", but was \"" + value + "\"")))),
          1);
    }
    return value;
  }

  /** The caller's grant; empty when the service runs open. */
  private Optional<ApiKeys.Grant> authenticate(Context ctx) {
    if (config.apiKeys().isOpen()) {
      return Optional.empty();
    }
    String header = ctx.header("Authorization");
    String prefix = "bearer ";
    if (header == null
        || header.length() <= prefix.length()
        || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw refuse(
          Problem.Kind.UNAUTHORIZED,
          Problem.of(Problem.Kind.UNAUTHORIZED, "send the API key as 'Authorization: Bearer KEY'"),
          1);
    }
    Optional<ApiKeys.Grant> grant =
        config.apiKeys().lookup(header.substring(prefix.length()).strip());
    if (grant.isEmpty()) {
      throw refuse(
          Problem.Kind.UNAUTHORIZED, Problem.of(Problem.Kind.UNAUTHORIZED, "unknown API key"), 1);
    }
    return grant;
  }

  /**
   * 403 listing every event of a tenant the key may not write.
   *
   * @param lines line number of each event in a batch body; null for a single event
   */
  private void authorize(
      Optional<ApiKeys.Grant> grant, List<RawEvent> events, List<Integer> lines) {
    if (grant.isEmpty()) {
      return;
    }
    List<Problem.Error> errors = new ArrayList<>();
    for (int i = 0; i < events.size() && errors.size() < BatchParser.MAX_REPORTED_ERRORS; i++) {
      String tenant = events.get(i).getTenant();
      if (!grant.get().allows(tenant)) {
        errors.add(
            new Problem.Error(
                lines == null ? null : lines.get(i),
                "/tenant",
                "this API key may not write tenant " + tenant));
      }
    }
    if (!errors.isEmpty()) {
      throw refuse(
          Problem.Kind.FORBIDDEN_TENANT,
          Problem.of(
              Problem.Kind.FORBIDDEN_TENANT,
              "the API key (entry "
                  + grant.get().entry()
                  + " of ingest.api.keys) may not write "
                  + errors.size()
                  + " of the events; nothing was written",
              errors),
          events.size());
    }
  }

  private List<RecordMetadata> write(List<RawEvent> events) throws ProblemException {
    try {
      // The writer bounds every broker step by the produce timeout; the extra wait only guards
      // against a writer bug leaving the request hanging.
      List<RecordMetadata> written =
          writer.write(events).await(config.produceTimeout().multipliedBy(3));
      metrics.accepted(events);
      return written;
    } catch (WriteFailedException failed) {
      if (!failed.brokerUnavailable()) {
        LOG.error("write of {} events failed", events.size(), failed);
        throw refuse(
            Problem.Kind.INTERNAL_ERROR,
            Problem.of(
                Problem.Kind.INTERNAL_ERROR, "the broker refused the write; nothing was written"),
            events.size());
      }
      LOG.warn("broker unavailable: {}", failed.getMessage());
      throw unavailable(events.size());
    }
  }

  private ProblemException unavailable(int events) {
    return refuse(
        Problem.Kind.BROKER_UNAVAILABLE,
        Problem.brokerUnavailable(
            "the Kafka broker did not confirm the write in time; nothing was written, retry later",
            config.retryAfterSeconds()),
        events);
  }

  /**
   * Reserves the request's bytes before its body is read: its Content-Length, or the endpoint's
   * limit for a body of unknown length (chunked), which is all it may grow to. 413 comes first, so
   * a body that can never be accepted is not told to retry.
   */
  private InflightBytes.Reservation reserve(Context ctx, int limit, String limitKey) {
    long contentLength = ctx.req().getContentLengthLong();
    RequestBody.checkDeclaredLength(contentLength, limit, limitKey);
    long bytes = contentLength >= 0 ? contentLength : limit;
    return inflight
        .tryReserve(bytes)
        .orElseThrow(
            () ->
                refuse(
                    Problem.Kind.OVERLOADED,
                    Problem.retryLater(
                        Problem.Kind.OVERLOADED,
                        "requests in progress hold "
                            + inflight.used()
                            + " bytes; this one needs "
                            + bytes
                            + " more and the limit is "
                            + inflight.limit()
                            + " ("
                            + IngestConfig.MAX_INFLIGHT_BYTES_CONFIG
                            + "); nothing was written, retry later",
                        config.retryAfterSeconds()),
                    1));
  }

  private byte[] body(Context ctx, int limit, String limitKey) {
    try {
      return RequestBody.read(
          ctx.req().getInputStream(), ctx.req().getContentLengthLong(), limit, limitKey);
    } catch (BadMessageException e) {
      ctx.header("Connection", "close");
      if (e.getCode() == Problem.Kind.REQUEST_TIMEOUT.status) {
        // Jetty's data-rate check: the client trickles its body and would keep this thread.
        throw refuse(
            Problem.Kind.REQUEST_TIMEOUT,
            Problem.of(Problem.Kind.REQUEST_TIMEOUT, config.slowClients().tooSlowDetail()),
            1);
      }
      throw unreadable(e);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** The client broke off or garbled the transfer (early EOF, bad chunk framing, idle timeout). */
  private static ProblemException unreadable(Exception e) {
    return refuse(
        Problem.Kind.BAD_REQUEST,
        Problem.of(
            Problem.Kind.BAD_REQUEST,
            "the body could not be read (" + e.getMessage() + "); nothing was written"),
        1);
  }

  private static ProblemException refuse(Problem.Kind kind, Problem problem, int events) {
    return new ProblemException(kind, problem, events);
  }
}
