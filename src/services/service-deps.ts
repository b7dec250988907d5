import type { Config } from '../config.js';
import type { SigningKey } from '../credentials/signing-key.js';
import type { Db } from '../db/client.js';
import type { ImageProcessor } from '../images/image-processor.js';
import type { Logger } from '../logger.js';
import type { ObjectStorage } from '../storage/object-storage.js';
import type { ComplaintGateway } from '../temporal/complaint-gateway.js';
import type { WorkflowGateway } from '../temporal/workflow-gateway.js';

/** What services need from the outside world; the app and the worker wire real ones. */
export interface ServiceDeps {
  config: Config;
  db: Db;
  storage: ObjectStorage;
  workflows: WorkflowGateway;
  logger: Logger;
  clock: () => Date;
  signingKey: SigningKey;
  complaints: ComplaintGateway;
  images: ImageProcessor;
}
