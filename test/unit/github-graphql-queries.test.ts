import { Kind, parse, validate, visit } from 'graphql';
import type { DocumentNode, FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  FOLLOW_UP_MAX_FIELDS,
  FOLLOW_UP_NODE_BUDGET,
  followUpNodes,
  followUpQuery,
  GITHUB_NODE_LIMIT,
  NODES_PER_OWNER_PAGE,
  NODES_PER_REPOSITORY_BATCH,
  nodeCount,
  ownerRepositoriesQuery,
  planFollowUps,
  repositoriesQuery,
  REPOSITORIES_PER_BATCH,
} from '../../electron/core/sources/github/graphql-queries.js';
import type { FollowUp } from '../../electron/core/sources/github/graphql-queries.js';
import { githubSchema } from '../fakes/github/graphql-schema.js';

function schemaErrors(query: string): string[] {
  return validate(githubSchema(), parse(query)).map((error) => error.message);
}

/** GitHub's node count, computed from the document itself: every `first: N` multiplies what is below it. */
function documentNodes(document: DocumentNode): number {
  let total = 0;
  const multipliers: number[] = [1];
  visit(document, {
    Field: {
      enter(field: FieldNode) {
        const first = field.arguments?.find((argument) => argument.name.value === 'first');
        const size = first?.value.kind === Kind.INT ? Number(first.value.value) : null;
        const current = multipliers[multipliers.length - 1]!;
        if (size !== null) total += current * size;
        multipliers.push(size === null ? current : current * size);
      },
      leave() {
        multipliers.pop();
      },
    },
  });
  return total;
}

const releasesFollowUp = (index: number): FollowUp => ({ kind: 'releases', key: `o/r${index}`, owner: 'o', name: `r${index}`, cursor: 'Y3Vyc29y' });
const assetsFollowUp = (index: number): FollowUp => ({
  kind: 'assets',
  key: `o/r${index}`,
  owner: 'o',
  name: `r${index}`,
  tag: `v${index}`,
  releaseCursorBefore: index === 0 ? null : 'Y3Vyc29y',
  cursor: 'YXNzZXQ=',
});

describe('GitHub GraphQL documents', () => {
  it('validate against GitHub’s public schema for every include combination', () => {
    for (const forks of [true, false]) {
      for (const archived of [true, false]) {
        for (const isPrivate of [true, false]) {
          expect(schemaErrors(ownerRepositoriesQuery({ forks, archived, private: isPrivate }))).toEqual([]);
        }
      }
    }
    expect(schemaErrors(repositoriesQuery([{ owner: 'a', name: 'b' }, { owner: 'c', name: 'd' }]).query)).toEqual([]);
    expect(schemaErrors(followUpQuery([releasesFollowUp(0), assetsFollowUp(1), assetsFollowUp(0)]).query)).toEqual([]);
  });

  it('turns the include filters into server-side arguments', () => {
    const argumentsOf = (query: string) => /repositories\(([^)]*)\)/.exec(query)![1]!;
    const filtered = argumentsOf(ownerRepositoriesQuery({ forks: false, archived: false, private: false }));
    expect(filtered).toContain('isFork: false');
    expect(filtered).toContain('isArchived: false');
    expect(filtered).toContain('privacy: PUBLIC');
    expect(filtered).toContain('ownerAffiliations: [OWNER]');
    const everything = argumentsOf(ownerRepositoriesQuery({ forks: true, archived: true, private: true }));
    expect(everything).not.toMatch(/isFork|isArchived|privacy/);
    expect(everything).toContain('ownerAffiliations: [OWNER]');
  });

  it('reads the budget inside every query', () => {
    for (const query of [ownerRepositoriesQuery({ forks: true, archived: true, private: true }), repositoriesQuery([{ owner: 'a', name: 'b' }]).query, followUpQuery([releasesFollowUp(0)]).query]) {
      expect(query).toMatch(/rateLimit \{ limit remaining resetAt cost \}/);
    }
  });

  it('passes names as variables, never inside the document', () => {
    const { query, variables } = repositoriesQuery([{ owner: 'evil"owner', name: 'x) { y' }]);
    expect(query).not.toContain('evil');
    expect(variables).toEqual({ o0: 'evil"owner', n0: 'x) { y' });
    const followUp = followUpQuery([assetsFollowUp(0)]);
    expect(followUp.variables).toEqual({ o0: 'o', n0: 'r0', c0: 'YXNzZXQ=', b0: null });
  });

  it('stays under GitHub’s node limit, with the counts the planner assumes', () => {
    const ownerPage = parse(ownerRepositoriesQuery({ forks: true, archived: true, private: true }));
    expect(documentNodes(ownerPage)).toBe(NODES_PER_OWNER_PAGE);
    const batch = parse(repositoriesQuery(Array.from({ length: REPOSITORIES_PER_BATCH }, (_, index) => ({ owner: 'o', name: `r${index}` }))).query);
    expect(documentNodes(batch)).toBe(NODES_PER_REPOSITORY_BATCH);
    expect(NODES_PER_OWNER_PAGE).toBeLessThan(GITHUB_NODE_LIMIT);
    expect(NODES_PER_REPOSITORY_BATCH).toBeLessThan(GITHUB_NODE_LIMIT);
    expect(documentNodes(parse(followUpQuery([releasesFollowUp(0)]).query))).toBe(followUpNodes(releasesFollowUp(0)));
    expect(documentNodes(parse(followUpQuery([assetsFollowUp(0)]).query))).toBe(followUpNodes(assetsFollowUp(0)));
    expect(nodeCount([100, 25, 25])).toBe(100 + 2_500 + 62_500);
  });

  it('plans follow-ups into queries within the node budget and the field cap, in order', () => {
    const followUps = [...Array.from({ length: 90 }, (_, index) => releasesFollowUp(index)), ...Array.from({ length: 250 }, (_, index) => assetsFollowUp(index))];
    const plans = planFollowUps(followUps);
    expect(plans.flat()).toEqual(followUps);
    for (const plan of plans) {
      expect(plan.length).toBeLessThanOrEqual(FOLLOW_UP_MAX_FIELDS);
      const nodes = plan.reduce((sum, followUp) => sum + followUpNodes(followUp), 0);
      expect(nodes).toBeLessThanOrEqual(FOLLOW_UP_NODE_BUDGET);
      expect(documentNodes(parse(followUpQuery(plan).query))).toBe(nodes);
    }
    expect(plans.length).toBeLessThan(8);
    expect(planFollowUps([])).toEqual([]);
  });
});
