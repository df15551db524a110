// The `:id` route parameter: validated before any lookup (400 otherwise).

import { WORKER_ID_MAX_LENGTH, WORKER_ID_PATTERN } from '../catalog/workerId.js';

export const workerIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: WORKER_ID_MAX_LENGTH, pattern: WORKER_ID_PATTERN.source },
  },
} as const;

export interface WorkerIdParams {
  readonly id: string;
}
