/**
 * Splits OVSDB's byte stream into JSON texts. RFC 7047 sends JSON-RPC messages back to back with no
 * delimiter, and one socket read may hold half a message or several (three replies in one chunk were
 * observed), so the framer counts brace and bracket depth outside strings, carrying its scan state
 * across chunks: each character is looked at once however the stream is cut.
 *
 * Input is text: the socket decodes UTF-8 (setEncoding) so a character split across reads is whole.
 */
export class JsonStreamFramer {
  private buffer = '';
  /** Where the scan stopped in `buffer`; everything before it has been classified. */
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Where the message being scanned starts, or -1 between messages. */
  private start = -1;

  constructor(private readonly maxMessageChars = 64 * 1024 * 1024) {}

  /** Feeds a chunk; returns the messages it completed, in order. Throws JsonFramingError on bad input. */
  push(chunk: string): unknown[] {
    this.buffer += chunk;
    const messages: unknown[] = [];
    const text = this.buffer;
    let i = this.scanned;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (this.start < 0) {
        if (c === SPACE || c === TAB || c === LF || c === CR) continue;
        if (c !== OPEN_BRACE && c !== OPEN_BRACKET) throw new JsonFramingError(`unexpected ${JSON.stringify(text[i])} between messages`);
        this.start = i;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.depth === 0) {
          const raw = text.slice(this.start, i + 1);
          this.start = -1;
          try {
            messages.push(JSON.parse(raw));
          } catch (error) {
            throw new JsonFramingError(`a message is not JSON: ${(error as Error).message}`);
          }
        }
      }
    }
    // Keep only the unfinished message, so the buffer does not grow with the stream.
    if (this.start < 0) {
      this.buffer = '';
      this.scanned = 0;
    } else {
      this.buffer = text.slice(this.start);
      this.scanned = i - this.start;
      this.start = 0;
      if (this.buffer.length > this.maxMessageChars) throw new JsonFramingError(`a message exceeds ${this.maxMessageChars} characters`);
    }
    return messages;
  }

  /** Forgets any partial message (after a reconnect the new stream starts clean). */
  reset(): void {
    this.buffer = '';
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.start = -1;
  }
}

/** The peer sent something that is not a stream of JSON objects or arrays; the connection is unusable. */
export class JsonFramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFramingError';
  }
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
