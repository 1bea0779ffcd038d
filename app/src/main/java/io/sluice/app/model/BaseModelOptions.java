package io.sluice.app.model;

import io.sluice.model.LanguageModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --base} and {@code --chat-template}: which base model a model command loads, and how. */
final class BaseModelOptions {

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description = "Base model directory (default: the bundled tiny model).")
  Path base;

  @Option(
      names = "--chat-template",
      paramLabel = "NAME",
      description = ModelSupport.CHAT_TEMPLATE_DESCRIPTION)
  String chatTemplate;

  /** The base, with the chat template {@code --chat-template} names or its checkpoint declares. */
  LanguageModel load() throws IOException {
    return ModelSupport.load(base, chatTemplate);
  }
}
