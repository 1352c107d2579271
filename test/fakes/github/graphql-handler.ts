// POST /graphql: parse, validate against GitHub's real schema, check connection bounds the way GitHub's
// query analysis does, then execute with graphql-js against the fake's data.
import {
  execute,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { githubSchema } from './graphql-schema.js';
import { queryRoot, type GraphQLContext } from './graphql-nodes.js';
import type { BucketState } from './rate-limits.js';
import type { FakeStore } from './store.js';

export interface GraphQLDeps {
  readonly store: FakeStore;
  readonly viewer: { readonly login: string; readonly id: number };
  readonly rate: () => BucketState;
  /** Counts the request's points against the graphql bucket. */
  readonly charge: (points: number) => void;
  /** 'flat': 1 point per query; 'github': GitHub's formula (see FakeGitHubOptions.graphqlPricing). */
  readonly pricing: 'flat' | 'github';
}

const MAX_PAGE = 100;
/** GitHub refuses a query that could return more nodes than this (docs: "Node limit"). */
const MAX_NODES = 500_000;

type Variables = Record<string, unknown>;

/** GitHub puts `type` beside message/locations/path rather than inside `extensions`. */
export function formatError(error: GraphQLError): Record<string, unknown> {
  const json = error.toJSON();
  const { type, ...extensions } = (json.extensions ?? {}) as Record<string, unknown>;
  return {
    ...(type !== undefined ? { type } : {}),
    ...(json.path ? { path: json.path } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    ...(json.locations ? { locations: json.locations } : {}),
    message: json.message,
  };
}

/** The commonest validation failures in GitHub's (graphql-ruby's) words; the rest keep graphql-js's. */
function githubWording(error: GraphQLError): GraphQLError {
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (undefinedField) {
    const [, fieldName = '', typeName = ''] = undefinedField;
    return new GraphQLError(`Field '${fieldName}' doesn't exist on type '${typeName}'`, {
      nodes: error.nodes,
      extensions: { code: 'undefinedField', typeName, fieldName },
    });
  }
  const unknownArgument = /^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\./.exec(error.message);
  if (unknownArgument) {
    const [, argumentName = '', fieldName = ''] = unknownArgument;
    return new GraphQLError(`Field '${fieldName}' doesn't accept argument '${argumentName}'`, {
      nodes: error.nodes,
      extensions: { code: 'argumentNotAccepted', name: fieldName, typeName: 'Field', argumentName },
    });
  }
  const missingArgument = /^Argument "[^".]+\.([^(]+)\(([^:]+):\)" of type "[^"]+" is required, but it was not provided\./.exec(error.message);
  if (missingArgument) {
    const [, fieldName = '', argumentName = ''] = missingArgument;
    return new GraphQLError(`Field '${fieldName}' is missing required arguments: ${argumentName}`, {
      nodes: error.nodes,
      extensions: { code: 'missingRequiredArguments', className: 'Field', name: fieldName, arguments: argumentName },
    });
  }
  return error;
}

interface Analysis {
  readonly errors: GraphQLError[];
  /** GitHub's nodeCount: the most nodes the query could return, multiplying nested page sizes. */
  readonly nodeCount: number;
  /** The connection requests GitHub's pricing assumes: each connection once per parent node. */
  readonly connectionRequests: number;
  /** rateLimit(dryRun: true): GitHub prices the query without running it. */
  readonly dryRun: boolean;
}

function intArgument(field: FieldNode, name: string, operation: OperationDefinitionNode, variables: Variables): number | null | undefined {
  const argument = field.arguments?.find((a) => a.name.value === name);
  if (!argument) return undefined;
  const value = argument.value;
  if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
  if (value.kind === Kind.NULL) return null;
  if (value.kind === Kind.VARIABLE) {
    const variableName = value.name.value;
    if (Object.hasOwn(variables, variableName)) {
      const given = variables[variableName];
      return typeof given === 'number' ? given : given === null ? null : undefined;
    }
    const fallback = operation.variableDefinitions?.find((d) => d.variable.name.value === variableName)?.defaultValue;
    if (fallback?.kind === Kind.INT) return Number.parseInt(fallback.value, 10);
  }
  return undefined;
}

function boolArgument(field: FieldNode, name: string, variables: Variables): boolean {
  const value = field.arguments?.find((a) => a.name.value === name)?.value;
  if (value?.kind === Kind.BOOLEAN) return value.value;
  if (value?.kind === Kind.VARIABLE) return variables[value.name.value] === true;
  return false;
}

function selectsAny(selectionSet: SelectionSetNode | undefined, names: readonly string[], fragments: Map<string, FragmentDefinitionNode>): boolean {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD && names.includes(selection.name.value)) return true;
    if (selection.kind === Kind.INLINE_FRAGMENT && selectsAny(selection.selectionSet, names, fragments)) return true;
    if (selection.kind === Kind.FRAGMENT_SPREAD && selectsAny(fragments.get(selection.name.value)?.selectionSet, names, fragments)) return true;
  }
  return false;
}

function analyze(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): Analysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const errors: GraphQLError[] = [];
  let nodeCount = 0;
  let connectionRequests = 0;
  let dryRun = false;
  let nodeLimitReported = false;

  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, multiplier: number, path: readonly string[]): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (condition && isCompositeType(condition)) walk(selection.selectionSet, condition, multiplier, path);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && condition && isCompositeType(condition)) walk(fragment.selectionSet, condition, multiplier, path);
        continue;
      }
      if (!isObjectType(parentType) && !isInterfaceType(parentType)) continue;
      const definition = parentType.getFields()[selection.name.value];
      if (!definition) continue;
      const responsePath = [...path, selection.alias?.value ?? selection.name.value];
      const fieldType = getNamedType(definition.type);
      if (path.length === 0 && selection.name.value === 'rateLimit' && boolArgument(selection, 'dryRun', variables)) dryRun = true;

      let childMultiplier = multiplier;
      const isConnection = fieldType.name.endsWith('Connection') && definition.args.some((a) => a.name === 'first');
      if (isConnection) {
        connectionRequests += multiplier;
        const connectionName = selection.name.value;
        const first = intArgument(selection, 'first', operation, variables);
        const last = intArgument(selection, 'last', operation, variables);
        const fail = (message: string, type: string) =>
          errors.push(new GraphQLError(message, { nodes: selection, path: responsePath, extensions: { type } }));
        if (first == null && last == null) {
          // GitHub lets a connection go unbounded when only totalCount/pageInfo is asked for.
          if (selectsAny(selection.selectionSet, ['nodes', 'edges'], fragments)) {
            fail(`You must provide a \`first\` or \`last\` value to properly paginate the \`${connectionName}\` connection.`, 'MISSING_PAGINATION_BOUNDARIES');
          }
          childMultiplier = 0;
        } else {
          if (first != null && last != null) {
            fail(`Passing both \`first\` and \`last\` to paginate the \`${connectionName}\` connection is not supported.`, 'INVALID_PAGINATION');
          }
          for (const [argument, value] of [['first', first], ['last', last]] as const) {
            if (value == null) continue;
            if (value > MAX_PAGE) {
              fail(`Requesting ${value} records on the \`${connectionName}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE} records.`, 'EXCESSIVE_PAGINATION');
            } else if (value < 1) {
              fail(`\`${argument}\` on the \`${connectionName}\` connection cannot be less than 1.`, 'INVALID_PAGINATION');
            }
          }
          const size = Math.min(MAX_PAGE, Math.max(0, first ?? last ?? 0));
          childMultiplier = multiplier * size;
          nodeCount += childMultiplier;
          if (nodeCount > MAX_NODES && !nodeLimitReported) {
            nodeLimitReported = true;
            // Wording as reported by users of the API; GitHub documents the limit, not the message.
            fail(
              `By the time this query traverses to the ${connectionName} connection, it is requesting up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`,
              'MAX_NODE_LIMIT_EXCEEDED',
            );
          }
        }
      }
      if (selection.selectionSet && isCompositeType(fieldType)) walk(selection.selectionSet, fieldType, childMultiplier, responsePath);
    }
  };

  const rootType = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (rootType) walk(operation.selectionSet, rootType, 1, []);
  return { errors, nodeCount, connectionRequests, dryRun };
}

function errorsOnly(errors: readonly GraphQLError[]): Record<string, unknown> {
  return { errors: errors.map(formatError) };
}

/** Answers one GraphQL request body (already JSON-decoded). HTTP status is 200 whatever the outcome, as on GitHub. */
export async function executeGraphQL(request: unknown, deps: GraphQLDeps): Promise<Record<string, unknown>> {
  if (typeof request !== 'object' || request === null || typeof (request as { query?: unknown }).query !== 'string') {
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] };
  }
  const { query, variables: rawVariables, operationName } = request as { query: string; variables?: unknown; operationName?: unknown };
  if (rawVariables !== undefined && rawVariables !== null && (typeof rawVariables !== 'object' || Array.isArray(rawVariables))) {
    return { errors: [{ message: 'Variables are invalid JSON.' }] };
  }
  const variables = (rawVariables ?? {}) as Variables;

  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return errorsOnly([error]);
    throw error;
  }
  const schema = githubSchema();
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) return errorsOnly(validationErrors.map(githubWording));

  const name = typeof operationName === 'string' ? operationName : undefined;
  const operation = getOperationAST(document, name);
  const analysis = operation ? analyze(schema, document, operation, variables) : { errors: [], nodeCount: 0, connectionRequests: 0, dryRun: false };
  if (analysis.errors.length > 0) return errorsOnly(analysis.errors);

  // GitHub: the connection requests ÷ 100, rounded, at least 1 ('flat' simplifies to 1). Requests
  // rejected above, and dry runs, cost nothing.
  const cost = deps.pricing === 'github' ? Math.max(1, Math.round(analysis.connectionRequests / 100)) : 1;
  if (!analysis.dryRun) deps.charge(cost);
  const context: GraphQLContext = { store: deps.store, viewer: deps.viewer, rate: deps.rate, cost, nodeCount: analysis.nodeCount };
  const root = queryRoot(context);
  const result = await execute({
    schema,
    document,
    rootValue: analysis.dryRun ? { rateLimit: root.rateLimit } : root,
    contextValue: context,
    variableValues: variables,
    operationName: name,
  });
  const body: Record<string, unknown> = {};
  if ('data' in result) body['data'] = result.data ?? null;
  if (result.errors && result.errors.length > 0) body['errors'] = result.errors.map(formatError);
  return body;
}
