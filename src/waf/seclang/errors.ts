// Load errors for SecLang configuration. Every problem carries the file and the physical line it
// was found on; a load collects several before giving up so one run shows most mistakes at once.

export interface SecLangIssue {
  file: string;
  line: number;
  message: string;
}

export class SecLangError extends Error {
  override name = 'SecLangError';
  /** Where the first problem is (also the first entry of `issues`). */
  readonly file: string;
  readonly line: number;
  /** Every problem found, in the order met. */
  readonly issues: SecLangIssue[];

  constructor(issues: SecLangIssue[]) {
    const first = issues[0] ?? { file: '<unknown>', line: 0, message: 'unknown error' };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more error${issues.length > 2 ? 's' : ''})` : '';
    super(`${first.file}:${first.line}: ${first.message}${more}`);
    this.file = first.file;
    this.line = first.line;
    this.issues = issues.length > 0 ? issues : [first];
  }

  /** Every issue on its own line, `file:line: message`. */
  describe(): string {
    return this.issues.map((i) => `${i.file}:${i.line}: ${i.message}`).join('\n');
  }
}

/**
 * A problem inside one directive argument, at a character offset of that argument. The directive
 * handlers turn it into a SecLangIssue on the physical line the offset falls on.
 */
export class ArgSyntaxError extends Error {
  override name = 'ArgSyntaxError';
  constructor(
    message: string,
    readonly offset = 0,
  ) {
    super(message);
  }
}
