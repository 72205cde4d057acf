/** What a command handler answers: enough for read-your-writes and for the API's reply. */
export interface CommandResult {
  streamId: string;
  /** Types of the events appended, in order; empty when the command changed nothing. */
  eventTypes: string[];
  /** Global position of the last appended event; null when nothing was appended. */
  lastPosition: number | null;
  /** The stream's revision after the command (-1 when it does not exist). */
  revision: number;
}
