import { Dialect } from './dialect';
import { g1 } from './g1';
import { g1p } from './g1p';
import { g2 } from './g2';
import { g3 } from './g3';

/** Every generation the extension speaks, oldest first. A new generation is one module and one line here. */
export const DIALECTS: readonly Dialect[] = [g1, g1p, g2, g3];
