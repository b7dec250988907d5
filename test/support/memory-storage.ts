import type { ObjectStorage } from '../../src/storage/object-storage.js';

/** A bucket in memory that honours If-None-Match: * (for pure unit tests of what the service stores). */
export function memoryStorage(objects = new Map<string, Buffer>()): ObjectStorage {
  return {
    async putIfAbsent(key, body) {
      if (objects.has(key)) return 'exists';
      objects.set(key, body);
      return 'created';
    },
    get: async (key) => objects.get(key) ?? null,
    put: async (key, body) => {
      if (Buffer.isBuffer(body)) objects.set(key, body);
    },
    remove: async (key) => {
      objects.delete(key);
    },
    presignGet: async () => '',
    checkReachable: async () => undefined,
    destroy: () => undefined,
  };
}
