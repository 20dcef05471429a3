/**
 * `meridian server publish FILE --name N`, `meridian server services` and
 * `meridian server delete-service [FOLDER/]NAME`: on the server's data directory, whether or
 * not the server runs (a running server hears of the change on the change bus).
 */
import { readableUserFile } from '../../cli/user-files.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import { BadServiceDefinition } from './errors.ts';
import type { FeatureServices } from './feature-services.ts';
import { dataFormat } from './publish.ts';

/** What the commands need of the module's API. */
export interface ServicesCommandApi {
  services: FeatureServices;
}

/** "folder/name" or "name" → its parts. */
export function splitServicePath(path: string): { folder: string; name: string } {
  const parts = path
    .replace(/\.FeatureServer$/i, '')
    .split('/')
    .filter(Boolean);
  if (parts.length === 1) return { folder: '', name: parts[0]! };
  if (parts.length === 2) return { folder: parts[0]!, name: parts[1]! };
  throw new MeridianError(BadServiceDefinition, `'${path}' is not a service: write NAME or FOLDER/NAME.`);
}

const publish: CommandSpec<ServicesCommandApi> = {
  name: 'publish',
  summary: 'Publishes a GeoJSON or CSV file as a feature service (with a progress bar).',
  args: ['FILE'],
  options: {
    name: {
      type: 'string',
      valueName: 'NAME',
      required: true,
      description: 'The service name (letters, digits, _).',
    },
    folder: { type: 'string', valueName: 'FOLDER', description: 'The folder (default: the root folder).' },
    public: { type: 'boolean', description: 'Anyone may read it (default: signed-in users of this server).' },
    description: { type: 'string', valueName: 'TEXT', description: "The service's description." },
    'file-type': {
      type: 'string',
      valueName: 'TYPE',
      description: 'geojson or csv (default: by the extension).',
    },
    owner: { type: 'string', valueName: 'USER', description: 'Its owner (default: admin).' },
  },
  description:
    'The file is streamed into the feature store; a bad feature or line stops the publish and leaves nothing behind. A running server lists the new service within a second.',
  async run(ctx) {
    const path = readableUserFile(ctx, ctx.args[0]!);
    const format = dataFormat(ctx.options['file-type'] as string | undefined, path);
    const { api, kernel } = await ctx.open();
    const bar = ctx.progress?.('server publish');
    let record: Awaited<ReturnType<FeatureServices['publish']>>;
    try {
      record = await api.services.publish(
        {
          name: String(ctx.options.name),
          folder: ctx.options.folder as string | undefined,
          description: ctx.options.description as string | undefined,
          access: ctx.options.public ? 'public' : 'private',
          owner: (ctx.options.owner as string | undefined) ?? 'admin',
          path,
          format,
          maxRecordCount: kernel.config.server.maxRecordCount,
        },
        (done, total, message) => bar?.update({ done, total, message }),
      );
    } finally {
      bar?.stop();
    }
    const loaded = await api.services.find(record.folder, record.name);
    const features = loaded?.layers.reduce((n, l) => n + l.featureCount, 0) ?? 0;
    ctx.stdout.write(
      `Published ${record.folder ? `${record.folder}/` : ''}${record.name} (${record.access}, ${features} features)\n  ${api.services.serviceUrl(record)}\n`,
    );
    return 0;
  },
};

const list: CommandSpec<ServicesCommandApi> = {
  name: 'services',
  summary: 'Lists the feature services: folder/name, access, owner, layers and features.',
  options: { json: { type: 'boolean', description: 'As JSON.' } },
  async run(ctx) {
    const { api } = await ctx.open();
    const snap = await api.services.snapshot();
    const all = [...snap.byKey.values()];
    if (ctx.options.json) {
      const out = all.map((s) => ({
        ...s.record,
        url: api.services.serviceUrl(s.record),
        layers: s.layers.map((l) => ({
          id: l.id,
          name: l.name,
          geometryType: l.geometryType,
          featureCount: l.featureCount,
        })),
      }));
      ctx.stdout.write(`${JSON.stringify({ services: out }, null, 2)}\n`);
    } else if (!all.length)
      ctx.stdout.write('No services (meridian server publish FILE --name NAME adds one).\n');
    else
      for (const s of all) {
        const r = s.record;
        const n = s.layers.reduce((sum, l) => sum + l.featureCount, 0);
        ctx.stdout.write(
          `${r.folder ? `${r.folder}/` : ''}${r.name}  ${r.access}  owner ${r.owner}  ${s.layers.length} layer(s), ${n} features${r.portalItemId ? `  item ${r.portalItemId}` : ''}\n  ${api.services.serviceUrl(r)}\n`,
        );
      }
    return 0;
  },
};

const remove: CommandSpec<ServicesCommandApi> = {
  name: 'delete-service',
  summary: 'Deletes a feature service (its data and its catalog entry).',
  args: ['[FOLDER/]NAME'],
  async run(ctx) {
    const { folder, name } = splitServicePath(ctx.args[0]!);
    const { api } = await ctx.open();
    const gone = await api.services.remove(folder, name);
    if (!gone) {
      ctx.stderr.write(`No service ${folder ? `${folder}/` : ''}${name} (nothing deleted).\n`);
      return 1;
    }
    ctx.stdout.write(`Deleted ${gone.folder ? `${gone.folder}/` : ''}${gone.name}\n`);
    return 0;
  },
};

export const servicesCommands: readonly CommandSpec<ServicesCommandApi>[] = [publish, list, remove];
