package io.sluice.model;

import java.util.List;

/**
 * Turns chat messages into the text a model was trained on, in Java rather than Jinja.
 *
 * <p>Each turn renders as {@code turnPrefix(role) + content + turnSuffix}; the prompt ends with
 * the assistant's turn prefix, and a completion is its text followed by {@code stop}. Keeping
 * the prompt and completion apart is what lets losses cover the completion only.
 *
 * @param bos text that opens every conversation (Llama 3's begin-of-text), or ""
 * @param turnPrefix prefix of a turn; {@code {role}} is replaced by the role
 * @param turnSuffix text closing a finished turn
 * @param stop the token that ends the assistant's answer; generation stops there
 */
public record ChatTemplate(String bos, String turnPrefix, String turnSuffix, String stop) {

  public ChatTemplate {
    if (!turnPrefix.contains("{role}")) {
      throw new IllegalArgumentException("turnPrefix must contain {role} but is '" + turnPrefix + "'");
    }
    if (stop.isEmpty()) {
      throw new IllegalArgumentException("stop must not be empty");
    }
  }

  /** ChatML, as Qwen and SmolLM2 use, and the tiny default model. */
  public static ChatTemplate chatMl() {
    return new ChatTemplate("", "<|im_start|>{role}\n", "<|im_end|>\n", "<|im_end|>");
  }

  /** Llama 3's header-based template. */
  public static ChatTemplate llama3() {
    return new ChatTemplate(
        "<|begin_of_text|>", "<|start_header_id|>{role}<|end_header_id|>\n\n", "<|eot_id|>", "<|eot_id|>");
  }

  /** The conversation so far, ending where the assistant starts to speak. */
  public String renderPrompt(List<ChatMessage> messages) {
    StringBuilder text = new StringBuilder(bos);
    for (ChatMessage m : messages) {
      text.append(turnPrefix.replace("{role}", m.role())).append(m.content()).append(turnSuffix);
    }
    return text.append(turnPrefix.replace("{role}", "assistant")).toString();
  }

  /** The assistant's answer as trained: its text and the stop token. */
  public String renderCompletion(String completion) {
    return completion + stop;
  }
}
