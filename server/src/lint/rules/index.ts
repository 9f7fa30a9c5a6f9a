// Every lint rule, in the order their findings are listed for one statement.
import type { Rule } from '../rule';
import { interleaveRemoved } from './interleaveRemoved';
import { isolationLevel } from './isolationLevel';
import { localityWithoutPrimaryRegion } from './localityWithoutPrimaryRegion';
import { missingLocality } from './missingLocality';
import { missingPrimaryKey } from './missingPrimaryKey';
import { partitionByKeyPrefix } from './partitionByKeyPrefix';
import { partitionByRegionalByRow } from './partitionByRegionalByRow';
import { passwordLiteral } from './passwordLiteral';
import { postgresOnly } from './postgresOnly';
import { readOnlyTransaction } from './readOnlyTransaction';
import { redundantIndex } from './redundantIndex';
import { regionColumnNotRegionalByRow } from './regionColumnNotRegionalByRow';
import { regionalByRowAsType } from './regionalByRowAsType';
import { regionNotInDatabase } from './regionNotInDatabase';
import { replicationFactor } from './replicationFactor';
import { secondaryRegionRegionalByRow } from './secondaryRegionRegionalByRow';
import { sequentialIndex } from './sequentialIndex';
import { sequentialPrimaryKey } from './sequentialPrimaryKey';
import { surviveRegionFailure } from './surviveRegionFailure';
import { uuidOsspFunction } from './uuidOsspFunction';
import { votersExceedReplicas } from './votersExceedReplicas';

export const allRules: readonly Rule[] = [
  sequentialPrimaryKey,
  sequentialIndex,
  missingPrimaryKey,
  missingLocality,
  regionColumnNotRegionalByRow,
  regionalByRowAsType,
  localityWithoutPrimaryRegion,
  regionNotInDatabase,
  surviveRegionFailure,
  secondaryRegionRegionalByRow,
  partitionByKeyPrefix,
  partitionByRegionalByRow,
  replicationFactor,
  votersExceedReplicas,
  isolationLevel,
  readOnlyTransaction,
  postgresOnly,
  uuidOsspFunction,
  interleaveRemoved,
  redundantIndex,
  passwordLiteral,
];

export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map((rule) => [rule.id, rule]));
