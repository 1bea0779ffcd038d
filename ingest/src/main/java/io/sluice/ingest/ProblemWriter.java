package io.sluice.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Renders {@link Problem}s as {@code application/problem+json}, with Retry-After for 503. */
final class ProblemWriter {

  private final ObjectMapper mapper;

  ProblemWriter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void write(Context ctx, Problem problem) {
    String body;
    try {
      body = mapper.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a problem", e);
    }
    if (problem.retryAfterSeconds() != null) {
      ctx.header("Retry-After", Integer.toString(problem.retryAfterSeconds()));
    }
    ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(body);
  }
}
