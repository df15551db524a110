// The real service in a child process for a test, stopped when the test ends
// (scripts/lib/serviceProcess.ts does the work; the benchmarks use it too).

import type { TestContext } from 'node:test';
import { startService, type ServiceProcess } from '../../scripts/lib/serviceProcess.js';

export { runService as runServer, type ServiceProcess as ServerProcess } from '../../scripts/lib/serviceProcess.js';

export async function startServer(t: TestContext, env: Record<string, string>): Promise<ServiceProcess> {
  const service = await startService(env);
  t.after(() => service.stop());
  return service;
}
