// Remember When's service worker (rendered by server/pages/app_shell.py, served at /sw.js so
// its scope is the whole site).
//
// - The app shell (every static file, under its hashed name, and the two offline pages) is
//   kept at install, in a cache named by this version; activating drops older versions.
// - Pages: the network first. A page a signed-in member opened is kept (the last 30), and
//   shown again without a connection, with a note saying so; any other page shows our
//   offline page, never the browser's error.
// - Photos: a thumbnail the member looked at is kept while its signed link is valid, and
//   never shown once it has expired: media links keep expiring as they do.
// - Nothing of one member is kept for another: a page for nobody signed in, or for someone
//   else, empties the pages and photos kept (log-out also clears the site's data).
// - Never kept: the API, anything but a GET, logging in and out, the share target, this
//   script, another site's answers, anything but a 200, anything marked no-store.
// - Web Push: shows the notification the server sent; a tap opens its page.

const VERSION = {{ version|tojson }};
const SHELL = `shell-${VERSION}`;
const PAGES = "pages";
const PHOTOS = "photos";
const PRECACHE = {{ precache|tojson }};
const OFFLINE = {{ offline|tojson }};
const NOT_SAVED = {{ not_saved|tojson }};
const ICON = {{ icon|tojson }};
const BADGE = {{ badge|tojson }};
const PAGES_KEPT = 30;
const PHOTOS_KEPT = 300;
const NEVER_KEPT = [/^\/api\//, /^\/login$/, /^\/logout$/, /^\/signup$/, /^\/share(\/|$)/, /^\/sw\.js$/];
// The member a page was shown to, as the page itself says (base.html, on <body>).
const MEMBER = /<body\b[^>]*\bdata-member="([^"]+)"/;
const OFFLINE_NOTE =
  '<p class="offline-note" role="status">You’re offline — this is the page as you last saw it.</p>';

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("shell-") && name !== SHELL) await caches.delete(name);
      }
      await dropExpiredPhotos();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Logging out goes to the network untouched, so the browser itself acts on the
    // answer's Clear-Site-Data.
    if (request.mode === "navigate" && url.pathname !== "/logout") {
      event.respondWith(sendForm(request));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(openPage(event, url));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(shellFile(request));
  } else if (url.pathname.startsWith("/media/")) {
    event.respondWith(photo(request, url));
  }
});

async function sendForm(request) {
  try {
    return await fetch(request);
  } catch {
    // Nothing was sent: the words are still in the form the member came from.
    return (await caches.match(NOT_SAVED)) || Response.error();
  }
}

async function openPage(event, url) {
  const keepable = !NEVER_KEPT.some((pattern) => pattern.test(url.pathname));
  try {
    const response = await fetch(event.request);
    // The offline pages are shown to nobody in particular: they say nothing of who is in.
    if (!url.pathname.startsWith(OFFLINE)) event.waitUntil(remember(url, response.clone(), keepable));
    return response;
  } catch {
    const kept = keepable && (await (await caches.open(PAGES)).match(url.href));
    if (kept) return asLastSeen(kept);
    return (await caches.match(OFFLINE)) || Response.error();
  }
}

// Keep a page the member opened; forget every member's pages and photos when the page was
// shown to nobody signed in, or to someone other than the member whose pages are kept.
async function remember(url, response, keepable) {
  if (response.status !== 200 || response.type !== "basic") return;
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return;
  const html = await response.text();
  const member = (html.match(MEMBER) || [])[1];
  const keptMember = await keptFor(await caches.open(PAGES));
  if (!member || (keptMember && keptMember !== member)) await forgetMember();
  if (!member) return;
  if (!keepable || /no-store/.test(response.headers.get("Cache-Control") || "")) return;
  const pages = await caches.open(PAGES);
  await pages.put(url.href, new Response(html, { headers: keptHeaders(response.headers, member) }));
  await trim(pages, PAGES_KEPT);
}

async function keptFor(pages) {
  const [first] = await pages.keys();
  if (!first) return undefined;
  const kept = await pages.match(first);
  return kept && kept.headers.get("X-Kept-For");
}

async function forgetMember() {
  await caches.delete(PAGES);
  await caches.delete(PHOTOS);
}

function keptHeaders(headers, member) {
  const kept = new Headers(headers);
  // The body is kept decoded: its length and encoding as sent no longer describe it.
  kept.delete("Content-Encoding");
  kept.delete("Content-Length");
  kept.set("X-Kept-For", member);
  return kept;
}

// The kept page, with a quiet note at the top of its content.
async function asLastSeen(kept) {
  const html = (await kept.text()).replace(/<main\b[^>]*>/, (main) => main + OFFLINE_NOTE);
  return new Response(html, { status: 200, headers: kept.headers });
}

async function shellFile(request) {
  const shell = await caches.open(SHELL);
  const kept = await shell.match(request);
  if (kept) return kept;
  try {
    return await fetch(request);
  } catch (error) {
    // Offline, a page kept before an update names the files of its day, which went with the
    // old shell: it gets the same file as it is now.
    const name = unhashed(new URL(request.url).pathname);
    const same = (await shell.keys()).find((r) => unhashed(new URL(r.url).pathname) === name);
    if (same) return shell.match(same);
    throw error;
  }
}

function unhashed(path) {
  return path.replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, "$1");
}

async function photo(request, url) {
  const cache = await caches.open(PHOTOS);
  if (!(Number(url.searchParams.get("exp")) * 1000 > Date.now())) {
    await cache.delete(url.href);
    return fetch(request);
  }
  const kept = await cache.match(url.href);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") {
    await cache.put(url.href, response.clone());
    await trim(cache, PHOTOS_KEPT);
  }
  return response;
}

async function dropExpiredPhotos() {
  const cache = await caches.open(PHOTOS);
  for (const request of await cache.keys()) {
    const expires = Number(new URL(request.url).searchParams.get("exp")) * 1000;
    if (!(expires > Date.now())) await cache.delete(request);
  }
}

// Oldest first: a page opened again was put again, at the end.
async function trim(cache, most) {
  const keys = await cache.keys();
  for (const request of keys.slice(0, Math.max(0, keys.length - most))) {
    await cache.delete(request);
  }
}

// --- Web Push -----------------------------------------------------------------------------

// A path of this site, or the home page: a notification never leads elsewhere.
function ourPath(value) {
  if (typeof value !== "string" || !value.startsWith("/") || /^\/[/\\]/.test(value)) return "/";
  const url = new URL(value, self.location.origin);
  return url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/";
}

function text(value) {
  return typeof value === "string" ? value : "";
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = (event.data && event.data.json()) || {};
  } catch {
    message = {};
  }
  const options = {
    body: text(message.body),
    icon: ICON,
    badge: BADGE,
    data: { url: ourPath(message.url) },
  };
  if (text(message.tag)) options.tag = message.tag;
  event.waitUntil(self.registration.showNotification(text(message.title) || "Remember When", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = ourPath(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (ours) {
        const focused = await ours.focus();
        try {
          if (await focused.navigate(url)) return;
        } catch {
          // A window this worker does not control cannot be navigated from here.
        }
      }
      await self.clients.openWindow(url);
    })(),
  );
});
