// Cluster settings the model reacts to.

import { DEFAULT_TIME_UNTIL_STORE_DEAD_MS } from './timing';

/** server.time_until_store_dead; changing it reschedules the dead-store deadlines of nodes already down. */
export class ModelSettings {
  private storeDeadMs = DEFAULT_TIME_UNTIL_STORE_DEAD_MS;

  constructor(private readonly onChange: () => void) {}

  get timeUntilStoreDeadMs(): number {
    return this.storeDeadMs;
  }

  set timeUntilStoreDeadMs(ms: number) {
    this.storeDeadMs = ms;
    this.onChange();
  }
}
