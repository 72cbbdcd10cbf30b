/** Fetches an image by URL for the routes that accept one (only when the deployment enables it). */
export interface ImageFetcher {
  fetch(url: URL): Promise<Buffer>;
}
