import { matches, type RequestFacts, type RequestMatch } from './fault-rules.js';

/** The next `count` matching requests are held: not carried out and not answered until released. */
export interface HangRule extends RequestMatch {
  count?: number;
}

/** How held requests end: by default answered 504 Timeout without being carried out; `proceed` carries them out as if never held. */
export interface HangRelease {
  proceed?: boolean;
  status?: number;
  message?: string;
}

export interface ArmedHang {
  id: string;
  rule: HangRule;
  /** Matching requests still to be held. */
  remaining: number;
  /** Requests held now. */
  held: number;
}

interface Hang extends ArmedHang {
  waiting: Array<(release: HangRelease) => void>;
  released?: HangRelease;
}

/**
 * Hang faults: a matching request waits until its hang is released (or its client gives up, which
 * leaves it never carried out, as a cancelled request on a real API server).
 */
export class HeldRequests {
  private hangs: Hang[] = [];
  private serial = 0;

  arm(rule: HangRule): string {
    const id = `hang-${++this.serial}`;
    this.hangs.push({ id, rule, remaining: rule.count ?? 1, held: 0, waiting: [] });
    return id;
  }

  /** If an armed hang matches, waits for its release and says how the request ends; else undefined at once. */
  hold(facts: RequestFacts): Promise<HangRelease> | undefined {
    const hang = this.hangs.find((h) => h.released === undefined && h.remaining > 0 && matches(h.rule, facts));
    if (!hang) return undefined;
    hang.remaining--;
    hang.held++;
    return new Promise((resolve) => hang.waiting.push(resolve));
  }

  /** Ends every request the hang holds and disarms it; false when there is no such hang. */
  release(id: string, release: HangRelease = {}): boolean {
    const hang = this.hangs.find((h) => h.id === id);
    if (!hang) return false;
    this.hangs.splice(this.hangs.indexOf(hang), 1);
    hang.released = release;
    for (const resolve of hang.waiting.splice(0)) resolve(release);
    return true;
  }

  releaseAll(): void {
    for (const hang of [...this.hangs]) this.release(hang.id);
  }

  pending(): ArmedHang[] {
    return this.hangs.map(({ id, rule, remaining, held }) => ({ id, rule: { ...rule }, remaining, held }));
  }
}
