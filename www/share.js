// Settings in the URL fragment (#s=...): the fragment never leaves the browser, and it holds no data.

const PREFIX = '#s=';

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}

/** The page's address with these settings in its fragment. */
export function linkFor(settings, location = window.location) {
  return `${location.origin}${location.pathname}${location.search}${PREFIX}${toBase64Url(JSON.stringify(settings))}`;
}

/** Settings carried by the current fragment, or null (a damaged fragment is reported, not thrown). */
export function settingsFromHash(hash = window.location.hash) {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const settings = JSON.parse(fromBase64Url(hash.slice(PREFIX.length)));
    return settings && typeof settings === 'object' ? settings : null;
  } catch {
    return { damaged: true };
  }
}
