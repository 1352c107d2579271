// GitHub's real public GraphQL schema (from @octokit/graphql-schema), built once per process.
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLSchema } from 'graphql';

let cached: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  if (!cached) {
    // The package's exports map hides schema.graphql, so locate it beside the package entry point.
    const file = new URL('./schema.graphql', import.meta.resolve('@octokit/graphql-schema'));
    // assumeValid: GitHub's published SDL repeats two EnterpriseOwnerInfo fields and deprecates some
    // interface implementations, both of which graphql 17 rejects as a schema. Operations are still
    // validated against it in full.
    cached = buildSchema(readFileSync(file, 'utf8'), { assumeValid: true });
  }
  return cached;
}
