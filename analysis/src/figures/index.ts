/** Every figure, family by family, in the order of the report. */
import { BREAKDOWNS } from './breakdowns.ts';
import { COMPARE } from './compare.ts';
import { FLINK_RESCALE_FIGURES } from './flink-rescale.ts';
import { MECHANISMS_FIGURES } from './mechanisms.ts';
import { OURS } from './ours.ts';
import { OVERVIEW } from './overview.ts';
import { PARETO } from './pareto.ts';
import { WORKLOADS } from './workloads.ts';
import type { FigureDef } from './figure.ts';

export const FIGURES: readonly FigureDef[] = [...OVERVIEW, ...PARETO, ...BREAKDOWNS, ...WORKLOADS, ...OURS, ...MECHANISMS_FIGURES, ...FLINK_RESCALE_FIGURES, ...COMPARE];
