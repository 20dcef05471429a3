/**
 * The publish job (kind gis-server.publish): the admin API's createService moves the upload
 * to <home>/publish and queues this job, which streams the file into the store with progress,
 * then removes the file whatever the outcome. Its error names the bad line or feature. The
 * upload is on the disk of the node that received it, so the job is local: only that node runs
 * it (several nodes share one PostgreSQL database), and it fails as interrupted if that node
 * stops first. Cancelling it stops the ingest and leaves nothing behind.
 */
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kernel } from '../../kernel/kernel.ts';
import type { ServiceAccessLevel } from './catalog.ts';
import type { FeatureServices } from './feature-services.ts';
import type { DataFormat } from './publish.ts';

export const PUBLISH_JOB = 'gis-server.publish';

export interface PublishJobInput {
  name: string;
  folder: string;
  description: string;
  access: ServiceAccessLevel;
  owner: string;
  format: DataFormat;
  /** The data file, under <home>/publish. */
  file: string;
  /** The name the client gave the file (for messages). */
  filename: string;
  maxRecordCount: number;
}

export interface PublishJobResult {
  folderName: string;
  serviceName: string;
  serviceUrl: string;
  layers: number;
}

/** Where uploads wait for their publish job. */
export async function publishDir(home: string): Promise<string> {
  const dir = join(home, 'publish');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function registerPublishJob(kernel: Pick<Kernel, 'jobs'>, services: FeatureServices): void {
  kernel.jobs.register<PublishJobInput, PublishJobResult>(
    PUBLISH_JOB,
    async (job) => {
      const i = job.input;
      try {
        const record = await services.publish(
          { ...i, path: i.file, signal: job.signal },
          (done, total, message) => job.progress(done, total, message),
        );
        const loaded = await services.find(record.folder, record.name);
        return {
          folderName: record.folder,
          serviceName: record.name,
          serviceUrl: services.serviceUrl(record),
          layers: loaded?.layers.length ?? 0,
        };
      } finally {
        await unlink(i.file).catch(() => {});
      }
    },
    { local: true },
  );
}
