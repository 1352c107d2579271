// What one collection covers: namespaces listed whole and single images, each once.
import type { DockerHubConfig } from './config.js';

export interface ImageRef {
  readonly namespace: string;
  readonly name: string;
}

export interface Targets {
  readonly namespaces: readonly string[];
  readonly images: readonly ImageRef[];
}

/** One repository, however it was reached (a namespace list or dockerhub.images): the dedupe key. */
export function imageKey(namespace: string, name: string): string {
  return `${namespace}/${name}`.toLowerCase();
}

/** The `target` of a TargetError, as the status view shows it. */
export function namespaceTarget(namespace: string): string {
  return `namespace:${namespace}`;
}

export function imageTarget(image: ImageRef): string {
  return `image:${image.namespace}/${image.name}`;
}

export function targetsOf(config: Pick<DockerHubConfig, 'namespaces' | 'images'>): Targets {
  const namespaces = [...new Set(config.namespaces)];
  const images = new Map<string, ImageRef>();
  for (const text of config.images) {
    const [namespace, name] = text.split('/') as [string, string];
    images.set(imageKey(namespace, name), { namespace, name });
  }
  return { namespaces, images: [...images.values()] };
}
