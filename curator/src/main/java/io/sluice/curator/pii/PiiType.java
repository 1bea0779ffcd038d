package io.sluice.curator.pii;

/**
 * Kinds of personal or secret data the anonymizer replaces. The placeholder prefix is the
 * constant's name: an email becomes {@code <EMAIL_1>}.
 */
public enum PiiType {
  /** Email addresses. */
  EMAIL,
  /** Telephone numbers: North American and international formats. */
  PHONE,
  /** Payment card numbers (13 to 19 digits, Luhn-valid). */
  CARD,
  /** International bank account numbers (mod-97 valid, known country length). */
  IBAN,
  /** US social security numbers. */
  SSN,
  /** IPv4 and IPv6 addresses. */
  IP,
  /** Access keys, tokens, passwords and credentials in URLs. */
  SECRET,
  /** Person names found after cues such as "my name is", "Dear" or a sign-off. */
  NAME;

  /** Placeholders for the first numbers, built once: most records hold only a few values. */
  private static final int CACHED = 16;

  private final String[] cached = new String[CACHED + 1];

  PiiType() {
    for (int number = 1; number <= CACHED; number++) {
      cached[number] = "<" + name() + "_" + number + ">";
    }
  }

  /**
   * The placeholder for the {@code number}-th distinct value of this type, e.g. {@code <EMAIL_2>}.
   */
  public String placeholder(int number) {
    return number >= 1 && number <= CACHED ? cached[number] : "<" + name() + "_" + number + ">";
  }
}
