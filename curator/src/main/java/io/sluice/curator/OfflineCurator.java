package io.sluice.curator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.curator.pii.AnonymizedText;
import io.sluice.curator.pii.PiiAnonymizer;
import io.sluice.schemas.AvroJson;
import io.sluice.schemas.RejectionReason;
import io.sluice.schemas.avro.CuratedExample;
import io.sluice.schemas.avro.Lineage;
import io.sluice.schemas.avro.RawEvent;
import io.sluice.schemas.avro.RejectedEvent;
import io.sluice.schemas.avro.Stage;
import io.sluice.schemas.event.EventJsonReader;
import io.sluice.schemas.event.MalformedJsonException;
import io.sluice.schemas.event.NativeEvents;
import io.sluice.schemas.event.ParseResult;
import io.sluice.schemas.event.ServerDefaults;
import io.sluice.schemas.event.Violation;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code sluice curate}: the production topology ({@link CuratorTopology#build}) run over a JSONL
 * file of native events on {@link OfflineTopology}, with no broker. Lines that are not JSON or not
 * a valid event become rejected records naming their line; nothing aborts the run. Output records
 * get lineage topic = the input file's name and offset = the 0-based line index. Outputs are
 * written to temporary files and moved into place at the end, so a failed run leaves existing
 * outputs untouched.
 */
public final class OfflineCurator {

  /** Deepest JSON nesting accepted on a line: a chat prompt is three levels deep. */
  private static final int MAX_NESTING_DEPTH = 16;

  private final CuratorConfig config;
  private final Clock clock;

  /**
   * @param clock gives curatedAt/rejectedAt and the timestamp of events that have none
   */
  public OfflineCurator(CuratorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Curates {@code input} into {@code curatedOut} and {@code rejectedOut}. */
  public CurateSummary run(Path input, Path curatedOut, Path rejectedOut) throws IOException {
    if (!Files.isRegularFile(input)) {
      throw new IOException("input file " + input + " does not exist or is not a regular file");
    }
    Path curatedDir = existingParent(curatedOut);
    Path rejectedDir = existingParent(rejectedOut);
    Path curatedTmp = null;
    Path rejectedTmp = null;
    Path stateDir = null;
    try {
      curatedTmp = Files.createTempFile(curatedDir, "." + curatedOut.getFileName() + ".", ".tmp");
      rejectedTmp =
          Files.createTempFile(rejectedDir, "." + rejectedOut.getFileName() + ".", ".tmp");
      // Next to the outputs rather than in the OS temp dir, which the OS may clean during a long
      // run.
      stateDir = Files.createTempDirectory(curatedDir, ".sluice-curate-state-");
      CurateSummary summary;
      try (BufferedWriter curated = Files.newBufferedWriter(curatedTmp, StandardCharsets.UTF_8);
          BufferedWriter rejected = Files.newBufferedWriter(rejectedTmp, StandardCharsets.UTF_8)) {
        summary = new Run(input, stateDir, curated, rejected).execute();
      }
      Files.move(curatedTmp, curatedOut, StandardCopyOption.REPLACE_EXISTING);
      Files.move(rejectedTmp, rejectedOut, StandardCopyOption.REPLACE_EXISTING);
      return summary;
    } finally {
      if (curatedTmp != null) {
        Files.deleteIfExists(curatedTmp);
      }
      if (rejectedTmp != null) {
        Files.deleteIfExists(rejectedTmp);
      }
      if (stateDir != null) {
        deleteRecursively(stateDir);
      }
    }
  }

  private static Path existingParent(Path output) throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("output directory of " + output + " does not exist");
    }
    return dir;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** One run: the driver, the line-to-offset table and the counts. */
  private final class Run {

    private final Path input;
    private final String inputName;
    private final BufferedWriter curatedOut;
    private final BufferedWriter rejectedOut;
    private final PiiAnonymizer pii = new PiiAnonymizer(config.pii());
    private final EventAnonymizer anonymizer = new EventAnonymizer(pii);
    private final EventJsonReader reader = new EventJsonReader(MAX_NESTING_DEPTH);

    /** Line index of each record piped into the driver, by the driver's offset. */
    private final List<Long> lineByOffset = new ArrayList<>();

    private final OfflineTopology topology;
    private final Map<String, Long> rejectedByReason = new TreeMap<>();
    private final Map<String, Long> piiByType = new TreeMap<>();

    /** Driver offsets whose PII is counted: every record out of one event carries its counts. */
    private final Set<Long> piiCountedOffsets = new HashSet<>();

    private long in;
    private long out;

    Run(Path input, Path stateDir, BufferedWriter curatedOut, BufferedWriter rejectedOut) {
      this.input = input;
      this.inputName = input.getFileName().toString();
      this.curatedOut = curatedOut;
      this.rejectedOut = rejectedOut;
      this.topology = new OfflineTopology(config, stateDir, clock.instant());
    }

    CurateSummary execute() throws IOException {
      try (InputStream stream = new BufferedInputStream(Files.newInputStream(input))) {
        long index = 0;
        int limit = config.offlineMaxLineBytes();
        for (byte[] line = nextLine(stream, limit);
            line != null;
            line = nextLine(stream, limit), index++) {
          if (line == TOO_LONG) {
            in++;
            rejectLongLine(index, limit);
          } else if (!isBlank(line)) {
            in++;
            curateLine(line, index);
            drain();
          }
        }
      } finally {
        topology.close();
      }
      long rejectedTotal = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
      return new CurateSummary(
          in,
          out,
          rejectedTotal,
          rejectedByReason,
          piiByType,
          rejectedByReason.getOrDefault(RejectionReason.DUPLICATE.name(), 0L));
    }

    private void curateLine(byte[] line, long index) throws IOException {
      JsonNode json;
      try {
        json = reader.read(line);
      } catch (MalformedJsonException e) {
        String detail = "line " + (index + 1) + ": not a JSON event: " + e.getMessage();
        rejectLine(line, index, RejectionReason.MALFORMED_JSON, detail);
        return;
      }
      ServerDefaults defaults = new ServerDefaults(clock, () -> inputName + ":" + (index + 1));
      ParseResult result = NativeEvents.parse(json, defaults, config.eventLimits());
      if (result instanceof ParseResult.Invalid invalid) {
        String violations =
            invalid.violations().stream()
                .map(Violation::toString)
                .collect(Collectors.joining("; "));
        String detail = "line " + (index + 1) + ": " + violations;
        rejectLine(line, index, RejectionReason.INVALID_FIELD, detail);
        return;
      }
      RawEvent event = ((ParseResult.Valid) result).event();
      lineByOffset.add(index);
      topology.send(event);
    }

    private void rejectLongLine(long index, int limit) throws IOException {
      String detail =
          "line "
              + (index + 1)
              + ": longer than "
              + limit
              + " bytes ("
              + CuratorConfig.OFFLINE_MAX_LINE_BYTES_CONFIG
              + ")";
      RejectedEvent event =
          RejectionReason.LINE_TOO_LONG
              .rejection(Stage.VALIDATE, detail)
              .setLineage(new Lineage(inputName, 0, index))
              .setRejectedAt(clock.instant())
              .build();
      write(rejectedOut, AvroJson.toJsonLine(event));
      rejectedByReason.merge(RejectionReason.LINE_TOO_LONG.name(), 1L, Long::sum);
    }

    /**
     * A line that never reaches the topology: its text is anonymized as a whole, when it is text.
     */
    private void rejectLine(byte[] line, long index, RejectionReason reason, String detail)
        throws IOException {
      String content = null;
      Map<String, Integer> counts = Map.of();
      try {
        String text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(line))
                .toString();
        AnonymizedText anonymized = pii.anonymize(text);
        content = anonymized.text();
        counts = EventAnonymizer.countsByName(anonymized.counts());
      } catch (CharacterCodingException e) {
        detail = detail + " (content omitted: not UTF-8)";
      }
      countPii(counts);
      RejectedEvent event =
          reason
              .rejection(Stage.VALIDATE, anonymizer.anonymizeText(detail))
              .setContent(content)
              .setPiiCounts(counts)
              .setLineage(new Lineage(inputName, 0, index))
              .setRejectedAt(clock.instant())
              .build();
      write(rejectedOut, AvroJson.toJsonLine(event));
      rejectedByReason.merge(reason.name(), 1L, Long::sum);
    }

    private void drain() throws IOException {
      for (CuratedExample record : topology.curated().readValuesToList()) {
        countPiiOnce(record.getLineage(), record.getPiiCounts());
        record.setLineage(relabel(record.getLineage()));
        write(curatedOut, AvroJson.toJsonLine(record));
        out++;
      }
      for (RejectedEvent record : topology.rejected().readValuesToList()) {
        countPiiOnce(record.getLineage(), record.getPiiCounts());
        record.setLineage(relabel(record.getLineage()));
        write(rejectedOut, AvroJson.toJsonLine(record));
        rejectedByReason.merge(record.getReason(), 1L, Long::sum);
      }
    }

    private void countPiiOnce(Lineage lineage, Map<String, Integer> counts) {
      if (piiCountedOffsets.add(lineage.getOffset())) {
        countPii(counts);
      }
    }

    private void countPii(Map<String, Integer> counts) {
      counts.forEach((type, count) -> piiByType.merge(type, (long) count, Long::sum));
    }

    private Lineage relabel(Lineage lineage) {
      return new Lineage(inputName, 0, lineByOffset.get((int) lineage.getOffset()));
    }

    private void write(BufferedWriter writer, String line) throws IOException {
      writer.write(line);
      writer.write('\n');
    }
  }

  /** Marks a line longer than the limit; compared by identity. */
  private static final byte[] TOO_LONG = new byte[0];

  /**
   * The next line's bytes without its terminator (LF or CRLF), {@link #TOO_LONG} when it exceeds
   * {@code limit} bytes (the rest of it is skipped), or null at the end of the stream.
   */
  private static byte[] nextLine(InputStream stream, int limit) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b = stream.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      if (line.size() >= limit) {
        while (b >= 0 && b != '\n') {
          b = stream.read();
        }
        return TOO_LONG;
      }
      line.write(b);
      b = stream.read();
    }
    byte[] bytes = line.toByteArray();
    if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
      return Arrays.copyOf(bytes, bytes.length - 1);
    }
    return bytes;
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
