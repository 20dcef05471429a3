/**
 * The kernel's `meridian jobs …` commands (every role has the kernel's jobs): kept beside the
 * CLI's progress bar, handed to the role, which runs them against the kernel of its node.
 */
import type { Kernel } from '@meridian/server/kernel/kernel.ts';
import type { CommandSpec } from '@meridian/server/kernel/module.ts';
import { jobsCancel } from './jobs-cancel.ts';
import { jobsList } from './jobs-list.ts';
import { jobsShow } from './jobs-show.ts';
import { jobsWatch, type WatchTiming } from './jobs-watch.ts';

export function jobsCommands(timing: WatchTiming = {}): CommandSpec<Kernel>[] {
  return [jobsList, jobsShow, jobsCancel, jobsWatch(timing)];
}
