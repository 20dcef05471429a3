/** The `meridian` commands of the pki module, in the order the help lists them. */
import type { CommandSpec } from '../../kernel/module.ts';
import type { PkiApi } from '../module.ts';
import { certCsr } from './cert-csr.ts';
import { certDelete } from './cert-delete.ts';
import { certExport } from './cert-export.ts';
import { certGenerate } from './cert-generate.ts';
import { certImport } from './cert-import.ts';
import { certList } from './cert-list.ts';
import { certShow } from './cert-show.ts';
import { doctor } from './doctor.ts';
import { trustExportCa } from './trust-export-ca.ts';
import { trustImport } from './trust-import.ts';
import { trustList } from './trust-list.ts';
import { trustRemove } from './trust-remove.ts';
import { trustShow } from './trust-show.ts';

export const pkiCommands: readonly CommandSpec<PkiApi>[] = [
  certList,
  certShow,
  certGenerate,
  certCsr,
  certImport,
  certExport,
  certDelete,
  trustList,
  trustShow,
  trustImport,
  trustRemove,
  trustExportCa,
  doctor,
];
