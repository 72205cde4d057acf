import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Effect } from './control/effect-log.js';
import type { Allocation } from './controllers/kube-ovn-ipam.js';
import type { GuestDomain } from './exec/guest-domains.js';
import type { StoreSnapshot } from './store/object-store.js';

/** Everything the simulator keeps across a restart: the objects, the domains in the launchers, Kube-OVN's addresses, the effect log. */
export interface SimulatorState {
  version: 1;
  store: StoreSnapshot;
  domains: GuestDomain[];
  addresses: Allocation[];
  /** The client writes carried out (absent in files from before the effect log). */
  effects?: Effect[];
}

/** The state as one JSON file, written through a temporary file and a rename so a crash leaves the previous one whole. */
export class StatePersistence {
  private scheduled = false;

  constructor(private readonly path: string, private readonly collect: () => SimulatorState) {}

  load(): SimulatorState | undefined {
    if (!existsSync(this.path)) return undefined;
    const state = JSON.parse(readFileSync(this.path, 'utf8')) as SimulatorState;
    if (state.version !== 1) throw new Error(`${this.path}: unknown simulator state version ${String(state.version)}`);
    return state;
  }

  /** Coalesces the writes of one turn of the event loop into one. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.saveNow();
    });
  }

  saveNow(): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.collect()));
    renameSync(temporary, this.path);
  }
}
