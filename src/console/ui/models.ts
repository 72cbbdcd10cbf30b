import type { paths } from '@facegate/client';

// The documents the console's screens show, as the generated API types describe them (never restated by hand).

type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

export type Project = Ok<'/v2/projects/{id}', 'get'>['data'];
export type ProjectFlow = Ok<'/v2/project-flows/{id}', 'get'>['data'];
export type Collection = Ok<'/v2/face-recognition/collections/{id}', 'get'>['data'];
export type Person = Ok<'/v2/face-recognition/persons/{id}', 'get'>['data'];
export type SearchHit = Ok<'/v2/face-recognition/search', 'post'>['data'][number];
export type ProjectInput = NonNullable<paths['/v2/projects']['post']['requestBody']>['content']['application/json'];
export type FlowInput = NonNullable<paths['/v2/project-flows']['post']['requestBody']>['content']['application/json'];
export type FlowUpdate = NonNullable<
  paths['/v2/project-flows/{id}']['put']['requestBody']
>['content']['application/json'];
