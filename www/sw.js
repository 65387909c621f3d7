// The hosted page's service worker: after a first visit the page opens and works with no network
// (a shared link opens on a plane). It keeps the page's own files, the list and version written by
// the build (pkg/assets.js, `make web`), in a cache named for that version, and nothing else: the
// data are read inside the page and never requested, so no request for data ever reaches it.
//
// Network first: online, every file comes from the server (and refreshes its cached copy), so a
// new version is seen at once; offline, the cached copy answers. A new version's worker caches all
// its files when installed and deletes the older versions' caches when it takes over.

importScripts('pkg/assets.js');

const { version, files } = self.SURVCALC_ASSETS;
const CACHE = `survcalc-${version}`;
const scope = new URL(self.registration.scope);
/** The cached copy's key for a request: one of the page's files, or null (then it is not touched). */
const OWN = new Set(['', ...files].map((f) => new URL(f, scope).href));

function keyOf(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  return OWN.has(url.href) ? url.href : null;
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['./', ...files])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith('survcalc-') && n !== CACHE).map((n) => caches.delete(n)),
  )));
});

self.addEventListener('fetch', (event) => {
  const key = keyOf(event.request);
  if (!key) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(key, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(key);
      if (cached) return cached;
      throw error;
    }
  })());
});
