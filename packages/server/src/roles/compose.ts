import type { FastifyInstance } from 'fastify';
import type { Migration } from 'kysely';
import { httpSettings } from '../http/settings.ts';
import type { SettingDef } from '../kernel/config/setting-def.ts';
import { kernelSettings } from '../kernel/config/settings.ts';
import { registerJobRoutes } from '../kernel/jobs/routes.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { kernelMigrations } from '../kernel/migrations.ts';
import type { Module, ModuleParts } from '../kernel/module.ts';
import { registerTraceRoutes } from '../kernel/pipeline/routes.ts';

// biome-ignore lint/suspicious/noExplicitAny: a role lists modules of every API and dependency type.
export type AnyModule = Module<any, any>;

/**
 * A role's configuration schema: the kernel's settings, the HTTP layer's, and its modules';
 * `defaults` changes a default for this role (a GIS server listens on 6443, say).
 */
export function roleSettings(
  modules: readonly AnyModule[],
  defaults: Readonly<Record<string, SettingDef['default']>> = {},
): SettingDef[] {
  const all = [...kernelSettings, ...httpSettings, ...modules.flatMap((m) => m.settings)];
  return all.map((s) => (Object.hasOwn(defaults, s.key) ? { ...s, default: defaults[s.key] } : s));
}

/** A role's migrations: the kernel's and its modules'; a name used twice is a programming error. */
export function roleMigrations(modules: readonly AnyModule[]): Record<string, Migration> {
  const all: Record<string, Migration> = { ...kernelMigrations };
  for (const m of modules)
    for (const [name, migration] of Object.entries(m.migrations)) {
      if (all[name]) throw new Error(`migration ${name} of module ${m.name} is defined twice`);
      all[name] = migration;
    }
  return all;
}

type Register = (app: FastifyInstance) => void | Promise<void>;

/** The routes of a role: the kernel's administration (jobs, traces), then each module's. */
export function roleRoutes(kernel: Kernel, parts: Record<string, ModuleParts<unknown>>): Register[] {
  return [
    (app) => registerJobRoutes(app, { jobs: kernel.jobs }),
    (app) => registerTraceRoutes(app, { pipelines: kernel.pipelines }),
    ...Object.values(parts).flatMap((p) => (p.routes ? [p.routes.bind(p)] : [])),
  ];
}
