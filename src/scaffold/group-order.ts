import { listAnswerOf } from './list-answer-gap.js';
import { answersList } from './openapi-answers.js';
import type { SpecFiles } from './openapi-loader.js';
import type { PathGroup } from './openapi-paths.js';

/**
 * The order path groups are built in, which decides which group wins a schema two of them answer.
 * Groups with an item path first: a collection wins its schema over a singleton (`GET /profile`);
 * among them, one whose collection GET answers one object goes last — traccar's `/session` (with
 * `/session/{id}`) answers a User, as `/users` lists them: `/users` is the collection. The sort is
 * stable: groups of one rank keep the spec's order.
 */
export function buildOrder(files: SpecFiles, groups: Iterable<PathGroup>, conventions: boolean): PathGroup[] {
  const rank = (g: PathGroup): number => {
    if (!g.itemPath) return 2;
    if (conventions || !g.ops.some((o) => o.kind === 'list')) return 0;
    try {
      const answer = listAnswerOf(files, g);
      return answer && !answersList(files, answer.at, answer.norm) ? 1 : 0;
    } catch {
      return 0; // a schema that cannot be read is reported when its group is built
    }
  };
  const order = [...groups];
  const ranks = new Map(order.map((g) => [g, rank(g)]));
  return order.sort((a, b) => ranks.get(a)! - ranks.get(b)!);
}
