package io.sluice.app.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.model.DefaultBaseModel;
import io.sluice.model.Devices;
import io.sluice.model.LanguageModel;
import io.sluice.model.io.BaseModelIdentity;
import io.sluice.model.io.ChatTemplates;
import io.sluice.model.io.ModelFormatException;
import io.sluice.model.train.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** What the model commands share: base-model resolution, progress bars and JSON output. */
final class ModelSupport {
  static final ObjectMapper JSON = new ObjectMapper();

  private ModelSupport() {}

  /** {@code --base}, or the bundled default model when it is not given. */
  static Path baseDir(Path base) {
    return base != null ? base : DefaultBaseModel.path();
  }

  /** The portable name adapters record for this base (never a machine-local path). */
  static String baseModelName(Path base) throws IOException {
    return BaseModelIdentity.of(baseDir(base), null).name();
  }

  /** The base's portable name ({@code --base-name} when given) and its weights' SHA-256. */
  static BaseModelIdentity baseIdentity(Path base, String configuredName) throws IOException {
    return BaseModelIdentity.of(baseDir(base), configuredName);
  }

  static LanguageModel load(Path base) throws IOException {
    return userError(() -> LanguageModel.load(baseDir(base)));
  }

  /**
   * Loads the base with the chat template {@code --chat-template} names, or the one its checkpoint
   * declares when the option is absent.
   */
  static LanguageModel load(Path base, String chatTemplate) throws IOException {
    if (chatTemplate == null) {
      return load(base);
    }
    return userError(
        () ->
            LanguageModel.load(
                baseDir(base), ChatTemplates.named(chatTemplate), Devices.preferred()));
  }

  private interface Loader {
    LanguageModel load() throws IOException;
  }

  /**
   * A checkpoint Sluice cannot use is the user's to fix: one line naming file and key, no stack
   * trace.
   */
  private static LanguageModel userError(Loader loader) throws IOException {
    try {
      return loader.load();
    } catch (ModelFormatException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static final String CHAT_TEMPLATE_DESCRIPTION =
      "Chat template the base was trained with: chatml, llama3 or llama3.1 (default: identified from the checkpoint's "
          + "tokenizer_config.json; a template Sluice cannot identify is refused).";

  /** A progress bar on stderr, so stdout stays machine-readable. */
  static ProgressBar progressBar(String task, int total) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  /** Feeds a progress bar: step, loss and tokens/s; the bar itself shows the ETA. */
  static ProgressListener listener(ProgressBar bar) {
    return p -> {
      bar.maxHint(p.totalSteps());
      bar.stepTo(p.step());
      bar.setExtraMessage(String.format(" loss %.4f  %.0f tok/s", p.loss(), p.tokensPerSecond()));
    };
  }
}
