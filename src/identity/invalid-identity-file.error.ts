/** The identity file is unreadable or inconsistent: one line per problem, each naming where it is. */
export class InvalidIdentityFileError extends Error {
  readonly code = 'INVALID_IDENTITY_FILE';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid identity file ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidIdentityFileError';
  }
}
