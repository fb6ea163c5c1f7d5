import type { Resources } from '../resources.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';

const stores = new WeakMap<object, ObjectStore>();

/**
 * The object store configured for this Tandem, built once per configuration object (tests give
 * each Tandem its own). The embedded store keeps objects under `outputDir`.
 */
export function objectStoreOf(resources: Resources): ObjectStore {
  let store = stores.get(resources.config);
  if (!store) {
    store = new LocalObjectStore(resources.config.outputDir);
    stores.set(resources.config, store);
  }
  return store;
}
