/** Every step family, by step type. */
import type { StepType } from '../../../../shared/runbooks';
import type { StepHandler } from '../types';
import { collect } from './collect';
import { cordon, uncordon } from './cordon';
import { drain } from './drain';
import { confirm, note } from './gates';
import { check } from './guards';
import { labelOrAnnotate, patch } from './patch';
import { report } from './report';
import { wait } from './wait';
import { rolloutRestart, scale } from './workload';

export const HANDLERS: { [T in StepType]: StepHandler<T> } = {
  cordon,
  uncordon,
  drain,
  scale,
  'rollout-restart': rolloutRestart,
  patch,
  label: labelOrAnnotate,
  // One handler for both: they share a spec (`type: 'label' | 'annotate'`).
  annotate: labelOrAnnotate as unknown as StepHandler<'annotate'>,
  wait,
  check,
  confirm,
  note,
  collect,
  report,
};

/** Steps whose preview and run need no cluster (they may have no site). */
export const SITELESS: ReadonlySet<StepType> = new Set(['confirm', 'note', 'report']);
