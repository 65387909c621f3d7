// Settings in the URL fragment (#s=...): browsers never send the fragment to a server.
//
// The data go into the link only when the user asks, after a warning: then `&d=` carries the
// file's bytes compressed (deflate-raw) and `&n=` its name.

const PREFIX = '#s=';
/** Longest compressed data we put in a link: longer links are cut by mail programs and chats. */
export const MAX_DATA_CHARS = 200_000;

function toBase64Url(text) {
  return bytesToBase64Url(new TextEncoder().encode(text));
}

function bytesToBase64Url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlToBytes(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

function fromBase64Url(text) {
  return new TextDecoder().decode(base64UrlToBytes(text));
}

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** The fragment part carrying a file: `&n=name&d=compressed bytes`. */
export async function dataPart(bytes, name) {
  const packed = bytesToBase64Url(await pipe(bytes, new CompressionStream('deflate-raw')));
  return `&n=${encodeURIComponent(name)}&d=${packed}`;
}

/** The file carried by the fragment, if any: { name, bytes } (an ArrayBuffer). */
export async function dataFromHash(hash = window.location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const d = params.get('d');
  if (!d) return null;
  const bytes = await pipe(base64UrlToBytes(d), new DecompressionStream('deflate-raw'));
  return { name: params.get('n') || 'data.csv', bytes: bytes.buffer };
}

/** The page's address with these settings (and, if given, the data part) in its fragment. */
export function linkFor(settings, data = '', location = window.location) {
  return `${location.origin}${location.pathname}${location.search}${PREFIX}${toBase64Url(JSON.stringify(settings))}${data}`;
}

/** Settings carried by the current fragment, or null (a damaged fragment is reported, not thrown). */
export function settingsFromHash(hash = window.location.hash) {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const settings = JSON.parse(fromBase64Url(hash.slice(PREFIX.length).split('&')[0]));
    return settings && typeof settings === 'object' ? settings : null;
  } catch {
    return { damaged: true };
  }
}
