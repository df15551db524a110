// processCpu: the CPU time a process has used so far, every thread summed, in
// nanoseconds (the first field of /proc/PID/task/TID/schedstat). Read before
// and after a load run, it gives what each request cost the server itself,
// which does not move with how fast the load generator sharing the cores is.

import { readdir, readFile } from 'node:fs/promises';

export async function processCpuNs(pid: number): Promise<number> {
  let total = 0;
  for (const task of await readdir(`/proc/${pid}/task`)) {
    // A thread that ended between the listing and the read has nothing more to add.
    const schedstat = await readFile(`/proc/${pid}/task/${task}/schedstat`, 'utf8').catch(() => undefined);
    if (schedstat !== undefined) total += Number(schedstat.split(' ')[0]);
  }
  return total;
}
