package io.sluice.ingest;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.event.EventJsonReader;
import io.sluice.schemas.event.MalformedJsonException;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a newline-delimited JSON body (batch or import) line by line. Every line is checked before
 * anything is written, and every bad line is reported, so a client can fix its file in one round.
 * Blank lines are skipped (a trailing newline is normal) but keep their numbers; {@code \r\n} line
 * ends and a UTF-8 byte order mark at the start are accepted.
 */
public final class BatchParser {

  /** Most findings listed in one response; the detail gives the full count. */
  public static final int MAX_REPORTED_ERRORS = 1_000;

  /** Files copied from documentation often hold objects pretty-printed over several lines. */
  private static final String UNFINISHED_LINE_HINT =
      " (the line ends inside a JSON value: each line must hold one whole JSON object; an object"
          + " pretty-printed over several lines is not NDJSON)";

  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final EventJsonReader reader;
  private final int maxEventBytes;
  private final int maxLines;

  public BatchParser(EventJsonReader reader, int maxEventBytes, int maxLines) {
    this.reader = reader;
    this.maxEventBytes = maxEventBytes;
    this.maxLines = maxLines;
  }

  /** Reads every line of {@code body} with {@code converter}. */
  public BatchResult parse(byte[] body, LineConverter converter) {
    List<RawEvent> events = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    Findings findings = new Findings();
    int lineNumber = 0;
    int eventLines = 0;
    int start = startsWithByteOrderMark(body) ? BYTE_ORDER_MARK.length : 0;
    while (start < body.length) {
      int end = indexOf(body, (byte) '\n', start);
      lineNumber++;
      int contentEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
      if (!isBlank(body, start, contentEnd)) {
        eventLines++;
        if (eventLines > maxLines) {
          return new BatchResult.Refused(
              Problem.Kind.PAYLOAD_TOO_LARGE,
              "the body has more than " + maxLines + " events (ingest.max.batch.lines); split it",
              List.of(),
              eventLines);
        }
        readLine(body, start, contentEnd, lineNumber, converter, events, findings);
        if (lines.size() < events.size()) {
          lines.add(lineNumber);
        }
      }
      start = end + 1;
    }
    if (findings.count > 0) {
      return findings.refusal(eventLines);
    }
    if (events.isEmpty()) {
      return new BatchResult.Refused(
          Problem.Kind.EMPTY_BATCH, "the body contains no events", List.of(), 0);
    }
    return new BatchResult.Accepted(events, lines);
  }

  private void readLine(
      byte[] body,
      int start,
      int end,
      int lineNumber,
      LineConverter converter,
      List<RawEvent> events,
      Findings findings) {
    int length = end - start;
    if (length > maxEventBytes) {
      findings.add(
          Problem.Kind.PAYLOAD_TOO_LARGE,
          new Problem.Error(
              lineNumber,
              "",
              "the line is "
                  + length
                  + " bytes; the limit is "
                  + maxEventBytes
                  + " (ingest.max.event.bytes)"));
      findings.badLines++;
      return;
    }
    JsonNode json;
    try {
      json = reader.read(body, start, length);
    } catch (MalformedJsonException e) {
      String message =
          e.getCause() instanceof JsonEOFException
              ? e.getMessage() + UNFINISHED_LINE_HINT
              : e.getMessage();
      findings.add(Problem.Kind.MALFORMED_JSON, new Problem.Error(lineNumber, "", message));
      findings.badLines++;
      return;
    }
    ParseResult result = converter.convert(json);
    if (result instanceof ParseResult.Valid valid) {
      events.add(valid.event());
    } else {
      for (Violation violation : ((ParseResult.Invalid) result).violations()) {
        findings.add(
            Problem.Kind.INVALID_EVENT,
            new Problem.Error(lineNumber, violation.pointer(), violation.message()));
      }
      findings.badLines++;
    }
  }

  /** Editors on Windows save UTF-8 files with one; it is no part of the first line. */
  private static boolean startsWithByteOrderMark(byte[] body) {
    return body.length >= BYTE_ORDER_MARK.length
        && java.util.Arrays.equals(
            body, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length);
  }

  private static int indexOf(byte[] bytes, byte target, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == target) {
        return i;
      }
    }
    return bytes.length;
  }

  private static boolean isBlank(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Findings so far; the most severe kind decides the status. */
  private static final class Findings {
    private final List<Problem.Error> errors = new ArrayList<>();
    private Problem.Kind worst;
    private int count;
    private int badLines;

    void add(Problem.Kind kind, Problem.Error error) {
      count++;
      if (errors.size() < MAX_REPORTED_ERRORS) {
        errors.add(error);
      }
      if (worst == null || severity(kind) > severity(worst)) {
        worst = kind;
      }
    }

    /** 413 outranks 400, which outranks 422: fix the framing before the fields. */
    private static int severity(Problem.Kind kind) {
      return switch (kind) {
        case PAYLOAD_TOO_LARGE -> 3;
        case MALFORMED_JSON -> 2;
        default -> 1;
      };
    }

    BatchResult.Refused refusal(int eventLines) {
      String detail =
          badLines
              + " of "
              + eventLines
              + " events are invalid ("
              + count
              + (count == 1 ? " finding" : " findings")
              + (count > errors.size() ? ", the first " + errors.size() + " listed" : "")
              + "); nothing was written";
      return new BatchResult.Refused(worst, detail, errors, eventLines);
    }
  }
}
