import type { FastifyInstance } from 'fastify';
import type { Migration } from 'kysely';
import type { SettingDef } from './config/setting-def.ts';
import type { Kernel } from './kernel.ts';

/** What a module gives the role that composes it. */
export interface ModuleParts<Api> {
  /** Its public API: the only way other modules reach it (passed to them as dependencies). */
  api: Api;
  /** Registers its routes. */
  routes?(app: FastifyInstance): void | Promise<void>;
  /** Starts its background work (renewals, refreshes, schedules) once the node serves. */
  start?(): void | Promise<void>;
  /** Stops that work; called before the kernel closes. */
  stop?(): void | Promise<void>;
}

/**
 * A domain module: one folder owning its tables (and their migrations), its settings, its
 * routes, its background work and its errors. `create` gets the kernel and the APIs of the
 * modules it depends on — never anything else.
 */
export interface Module<Api = unknown, Deps = Record<string, never>> {
  readonly name: string;
  /** The tables it owns; no other module may query them (see the boundary test). */
  readonly tables: readonly string[];
  /** Its migrations, by name; names are unique across modules and sort in the order applied. */
  readonly migrations: Readonly<Record<string, Migration>>;
  /** Its settings; a role's configuration schema is the kernel's plus its modules'. */
  readonly settings: readonly SettingDef[];
  create(kernel: Kernel, deps: Deps): ModuleParts<Api> | Promise<ModuleParts<Api>>;
}

/** Checks a module definition's shape where it is written. */
export function defineModule<Api, Deps = Record<string, never>>(m: Module<Api, Deps>): Module<Api, Deps> {
  return m;
}
