// Every program the lab can run, by name. A new program (kubectl, helm, haproxy, systemctl…) is
// one file in this folder exporting a ProgramHandler (see the header of lab.ts) and one line here.
import { BUILTINS } from './builtins';
import { cockroach, leaveSql, typedSql } from './cockroach';
import { lsof } from './cockroachStart';
import { docker } from './docker';
import { HAPROXY_PROGRAMS } from './haproxyCommands';
import { HOST_PROGRAMS } from './host';
import { sed } from './sed';
import { KUBERNETES_PROGRAMS } from './kubernetes/programs';
import type { LabPrograms, ProgramHandler } from './lab';

const PROGRAMS = new Map<string, ProgramHandler>([
  ...BUILTINS,
  ...HOST_PROGRAMS,
  ...KUBERNETES_PROGRAMS,
  ...HAPROXY_PROGRAMS,
  ['cockroach', cockroach],
  ['lsof', lsof],
  ['docker', docker],
  ['sed', sed],
]);

export const LAB_PROGRAMS: LabPrograms = { programs: PROGRAMS, typedSql, leaveSql };
